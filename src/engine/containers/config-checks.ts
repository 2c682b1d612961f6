/**
 * dockerd's semantic checks of single create settings, with its words:
 * each takes the user's value and throws what dockerd answers (400 unless
 * said otherwise). Each accepts all that dockerd accepts, quirks included
 * (a host port "1-2-3" reads as 1-2). `create-checks.ts` orders them.
 */
import { isIP } from 'node:net';
import type { ContainerConfig, HealthConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

/** moby `translateWorkingDir`: a working directory is absolute. */
export function checkWorkingDir(dir: string | undefined): void {
  if (dir && !dir.startsWith('/')) throw new InvalidParameterError(`the working directory '${dir}' is invalid, it needs to be an absolute path`);
}

/** moby `opts.ValidateEnv`: a variable has a name (`=x` and `` have none). */
export function checkEnv(env: ContainerConfig['Env']): void {
  for (const entry of env ?? []) {
    const name = entry.split('=', 1)[0]!;
    if (name === '') throw new InvalidParameterError(`invalid environment variable: ${entry}`);
  }
}

/** 1ms, in the nanoseconds of `HealthConfig`: the shortest interval, timeout or start period dockerd takes (0 means the default). */
const MIN_HEALTH_DURATION = 1_000_000;

/** moby `validateHealthCheck`, on the user's Healthcheck (whatever its Test). */
export function checkHealthcheck(health: HealthConfig | undefined | null): void {
  if (!health) return;
  const durations: Array<[string, number | undefined]> = [['Interval', health.Interval], ['Timeout', health.Timeout]];
  for (const [field, value] of durations) {
    if (value && value < MIN_HEALTH_DURATION) throw new InvalidParameterError(`${field} in Healthcheck cannot be less than 1ms`);
  }
  if ((health.Retries ?? 0) < 0) throw new InvalidParameterError('Retries in Healthcheck cannot be negative');
  if (health.StartPeriod && health.StartPeriod < MIN_HEALTH_DURATION) throw new InvalidParameterError('StartPeriod in Healthcheck cannot be less than 1ms');
}

/** `--rm` with a restart policy: a container that removes itself cannot be restarted. */
export function checkAutoRemove(hostConfig: HostConfig): void {
  const policy = hostConfig.RestartPolicy?.Name ?? '';
  if (hostConfig.AutoRemove && policy !== '' && policy !== 'no') throw new InvalidParameterError("can't create 'AutoRemove' container with restart policy");
}

/** Go's `net.ParseIP` after trimming spaces: dotted IPv4 or IPv6, no zone, no brackets. */
function isGoIp(text: string): boolean {
  const ip = text.trim();
  return !ip.includes('%') && isIP(ip) !== 0;
}

/** moby `opts.ValidateExtraHost`: `name:ip` (split at the first colon, so IPv6 works), or `name:host-gateway`. */
export function checkExtraHosts(hosts: HostConfig['ExtraHosts']): void {
  for (const entry of hosts ?? []) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new InvalidParameterError(`bad format for add-host: ${JSON.stringify(entry)}`);
    const ip = entry.slice(colon + 1);
    if (ip !== 'host-gateway' && !isGoIp(ip)) throw new InvalidParameterError(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  }
}

/** Go's `strconv.ParseUint(s, 10, 16)`: decimal digits only (leading zeros allowed), at most 65535. */
function isPortNumber(text: string): boolean {
  return /^\d+$/.test(text) && Number(text) <= 65535;
}

/** go-connections `SplitProtoPort`'s port part: what precedes the first "/" ("" for "" or "/x"). */
function portPart(spec: string): string {
  return spec.split('/')[0]!;
}

/** go-connections `ParsePortRange` as `NewPort` uses it: "" (any), "N", or "N-M" with N <= M (parts past a second "-" are ignored). */
function isHostPort(text: string): boolean {
  if (text === '') return true;
  if (!text.includes('-')) return isPortNumber(text);
  const [start = '', end = ''] = text.split('-');
  return isPortNumber(start) && isPortNumber(end) && Number(start) <= Number(end);
}

/**
 * moby `validatePortBindings`: a container port is one number (a protocol
 * after "/" is not checked at create), a host port a number or a range,
 * either optionally followed by "/proto".
 */
export function checkPortBindings(bindings: HostConfig['PortBindings']): void {
  for (const [port, list] of Object.entries(bindings ?? {})) {
    const containerPort = portPart(port);
    if (containerPort !== '' && !isPortNumber(containerPort)) throw new InvalidParameterError(`invalid port specification: ${JSON.stringify(containerPort)}`);
    for (const binding of list ?? []) {
      const hostPort = binding.HostPort ?? '';
      if (!isHostPort(portPart(hostPort))) throw new InvalidParameterError(`invalid port specification: ${JSON.stringify(hostPort)}`);
    }
  }
}

/**
 * The runtimes dockerd 20.10 knows without a `runtimes` configuration:
 * runc, under its own name and its containerd shims' names. All run runc here.
 */
const RUNTIMES = new Set(['runc', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux']);

export function checkRuntime(runtime: string | undefined): void {
  if (runtime && !RUNTIMES.has(runtime)) throw new InvalidParameterError(`Unknown runtime specified ${runtime}`);
}

export function checkCgroupnsMode(mode: string | undefined): void {
  if (mode && mode !== 'host' && mode !== 'private') throw new InvalidParameterError(`invalid cgroup namespace mode: ${mode}`);
}

/**
 * Linux has one isolation, "default" (any case). dockerd refuses others
 * while decoding the request, before any other check, with an untyped
 * error: a 500.
 */
export function checkIsolation(isolation: string | undefined): void {
  if (isolation && isolation.toLowerCase() !== 'default') throw new SystemError(`Invalid isolation: ${JSON.stringify(isolation)} - linux only supports 'default'`);
}

/**
 * moby `validateNetMode` (in its request decoder): a `container:` mode names
 * a container, and settings that belong to the network namespace's owner
 * (hostname, links, DNS, hosts, MAC, ports) are not given with one; nor a
 * hostname with the host's UTS namespace, nor links with the host's network.
 */
export function checkNetworkMode(config: ContainerConfig, hostConfig: HostConfig): void {
  const mode = hostConfig.NetworkMode ?? '';
  const conflict = (what: string) => new InvalidParameterError(`conflicting options: ${what}`);
  if (mode.split(':')[0] === 'container' && !/^container:./.test(mode)) throw new InvalidParameterError('Invalid network mode: invalid container format container:<name|id>');
  const container = mode.startsWith('container:');
  const host = mode === 'host';
  if (container && config.Hostname) throw conflict('hostname and the network mode');
  if (container && (hostConfig.Links ?? []).length > 0) throw conflict("container type network can't be used with links. This would result in undefined behavior");
  if (container && (hostConfig.Dns ?? []).length > 0) throw conflict('dns and the network mode');
  if (container && (hostConfig.ExtraHosts ?? []).length > 0) throw conflict('custom host-to-IP mapping and the network mode');
  if ((container || host) && config.MacAddress) throw conflict('mac-address and the network mode');
  if (container && (Object.keys(hostConfig.PortBindings ?? {}).length > 0 || hostConfig.PublishAllPorts)) throw conflict('port publishing and the container type network mode');
  if (container && Object.keys(config.ExposedPorts ?? {}).length > 0) throw conflict('port exposing and the container type network mode');
  if (hostConfig.UTSMode === 'host' && config.Hostname) throw conflict('hostname and the UTS mode');
  if (host && (hostConfig.Links ?? []).length > 0) throw conflict("host type networking can't be used with links. This would result in undefined behavior");
}

/** moby `validateQoS` (decoder, untyped: 500): Windows-only I/O limits. */
export function checkQos(hostConfig: HostConfig): void {
  if (hostConfig.IOMaximumBandwidth) throw new SystemError('Invalid QoS settings: linux does not support configuration of maximum bandwidth');
  if (hostConfig.IOMaximumIOps) throw new SystemError('Invalid QoS settings: linux does not support configuration of maximum IOPs');
}

/** moby `validateResources` (decoder, untyped: 500): a real-time runtime fits in its period. */
export function checkRealtime(hostConfig: HostConfig): void {
  const period = hostConfig.CpuRealtimePeriod ?? 0;
  const runtime = hostConfig.CpuRealtimeRuntime ?? 0;
  if (period !== 0 && runtime !== 0 && runtime > period) throw new SystemError('cpu real-time runtime cannot be higher than cpu real-time period');
}
