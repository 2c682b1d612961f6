/**
 * Decodes the body of POST /containers/create: Docker's ContainerConfig
 * fields at the top level plus HostConfig and NetworkingConfig. Fields of
 * the wrong type are rejected with dockerd's (Go encoding/json) wording,
 * naming the field, before anything reaches the engine.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError } from '../../util/errors.ts';

type Kind = 'string' | 'bool' | 'int' | 'strings' | 'object' | 'any';

const CONFIG_FIELDS: Record<string, Kind> = {
  Hostname: 'string', Domainname: 'string', User: 'string', AttachStdin: 'bool', AttachStdout: 'bool',
  AttachStderr: 'bool', ExposedPorts: 'object', Tty: 'bool', OpenStdin: 'bool', StdinOnce: 'bool', Env: 'strings',
  Cmd: 'strings', Healthcheck: 'object', ArgsEscaped: 'bool', Image: 'string', Volumes: 'object', WorkingDir: 'string',
  Entrypoint: 'strings', NetworkDisabled: 'bool', MacAddress: 'string', OnBuild: 'strings', Labels: 'object',
  StopSignal: 'string', StopTimeout: 'int', Shell: 'strings',
};

const HOST_FIELDS: Record<string, Kind> = {
  Binds: 'strings', NetworkMode: 'string', PortBindings: 'object', RestartPolicy: 'object', AutoRemove: 'bool',
  VolumesFrom: 'strings', Mounts: 'any', CapAdd: 'strings', CapDrop: 'strings', Dns: 'strings', DnsOptions: 'strings',
  DnsSearch: 'strings', ExtraHosts: 'strings', GroupAdd: 'strings', IpcMode: 'string', Cgroup: 'string', Links: 'strings',
  OomScoreAdj: 'int', PidMode: 'string', Privileged: 'bool', PublishAllPorts: 'bool', ReadonlyRootfs: 'bool',
  SecurityOpt: 'strings', StorageOpt: 'object', Tmpfs: 'object', UTSMode: 'string', UsernsMode: 'string', ShmSize: 'int',
  Sysctls: 'object', Runtime: 'string', Isolation: 'string', MaskedPaths: 'strings', ReadonlyPaths: 'strings',
  Init: 'bool', Memory: 'int', MemorySwap: 'int', MemoryReservation: 'int', KernelMemory: 'int', NanoCpus: 'int',
  CpuShares: 'int', CpuPeriod: 'int', CpuQuota: 'int', CpuRealtimePeriod: 'int', CpuRealtimeRuntime: 'int',
  CpusetCpus: 'string', CpusetMems: 'string', PidsLimit: 'int', Ulimits: 'any', Devices: 'any', OomKillDisable: 'bool',
  BlkioWeight: 'int', MemorySwappiness: 'int', CgroupParent: 'string', ContainerIDFile: 'string', LogConfig: 'object',
  ConsoleSize: 'any', CgroupnsMode: 'string', VolumeDriver: 'string',
};

const GO_TYPE: Record<Kind, string> = { string: 'string', bool: 'bool', int: 'int64', strings: '[]string', object: 'map', any: 'any' };

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function check(fields: Record<string, Kind>, value: Record<string, unknown>, struct: string): void {
  for (const [key, kind] of Object.entries(fields)) {
    const v = value[key];
    if (v === undefined || v === null || kind === 'any') continue;
    const ok =
      (kind === 'string' && typeof v === 'string') ||
      (kind === 'bool' && typeof v === 'boolean') ||
      (kind === 'int' && typeof v === 'number' && Number.isInteger(v)) ||
      (kind === 'strings' && (Array.isArray(v) ? v.every((x) => typeof x === 'string') : key === 'Cmd' || key === 'Entrypoint' ? typeof v === 'string' : false)) ||
      (kind === 'object' && typeof v === 'object' && !Array.isArray(v));
    if (!ok) {
      const got = jsonKind(v) === 'number' ? 'number' : jsonKind(v);
      throw new InvalidParameterError(`json: cannot unmarshal ${got} into Go struct field ${struct}.${key} of type ${GO_TYPE[kind]}`);
    }
  }
}

export function decodeCreateBody(body: unknown): { config: ContainerConfig; hostConfig: HostConfig; networkingConfig?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidParameterError('json: cannot unmarshal into Go value of type container.Config: the request body must be an object');
  }
  const { HostConfig: host, NetworkingConfig: networking, ...rest } = body as Record<string, unknown>;
  check(CONFIG_FIELDS, rest, 'ContainerConfigWrapper.Config');
  if (host !== undefined && host !== null && (typeof host !== 'object' || Array.isArray(host))) {
    throw new InvalidParameterError(`json: cannot unmarshal ${jsonKind(host)} into Go struct field ContainerConfigWrapper.HostConfig of type container.HostConfig`);
  }
  const hostConfig = (host ?? {}) as Record<string, unknown>;
  check(HOST_FIELDS, hostConfig, 'HostConfig');
  const config = rest as ContainerConfig;
  // Docker accepts a string for Cmd/Entrypoint (strslice) and treats it as a one-word command.
  if (typeof config.Cmd === 'string') config.Cmd = [config.Cmd];
  if (typeof config.Entrypoint === 'string') config.Entrypoint = [config.Entrypoint];
  return { config, hostConfig: hostConfig as HostConfig, networkingConfig: networking };
}
