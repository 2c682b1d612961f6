/**
 * create/run flags → the POST /containers/create body, as docker/cli's
 * opts.parse builds Config, HostConfig and NetworkingConfig. Pure: env-file
 * contents come through `readFile`, the client environment through `env`.
 */
import type { Flags } from '../flags.ts';
import type { Mount } from '../../wire/container-config.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { buildNetworking, checkMacAddress, type NetworkAttachment } from './network-opts.ts';
import { isCdiDeviceName, parseDevice, type DeviceMapping } from './device-specs.ts';
import { keyValues, labelsToMap, parseExpose, parseKeyValueFile, parsePortSpec, parseRestartPolicy, parseTmpfs, parseUlimit, parseVolume, resolveEnv, type PortBinding } from './specs.ts';

export interface CreateBody {
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
  NetworkingConfig: { EndpointsConfig: Record<string, unknown> };
}

export interface ConfigInputs {
  image: string;
  args: string[];
  env: Record<string, string | undefined>;
  readFile: (path: string) => string;
  /** run -d: nothing attached. */
  detach: boolean;
  /** The directory relative -v host paths ("./data") are taken from; the process's by default. */
  cwd?: string;
}

/** The body Docker sends: Config fields merged at the top level with HostConfig/NetworkingConfig. */
export function toCreateBody(flags: Flags, inputs: ConfigInputs): Record<string, unknown> {
  const b = buildCreateConfig(flags, inputs);
  return { ...b.Config, HostConfig: b.HostConfig, NetworkingConfig: b.NetworkingConfig };
}

export function buildCreateConfig(flags: Flags, inputs: ConfigInputs): CreateBody {
  checkMacAddress(flags.str('mac-address'));
  const attach = flags.list('attach');
  const interactive = flags.bool('interactive');
  let attachStdin = attach.includes('stdin');
  let attachStdout = attach.includes('stdout');
  let attachStderr = attach.includes('stderr');
  if (attach.length === 0) {
    attachStdin = interactive;
    attachStdout = true;
    attachStderr = true;
  }
  if (inputs.detach) {
    if (attach.length > 0) throw new InvalidParameterError('conflicting options: cannot specify both --attach and --detach');
    attachStdin = attachStdout = attachStderr = false;
  }

  const env: string[] = [];
  for (const file of flags.list('env-file')) env.push(...parseKeyValueFile(file, inputs.readFile(file), inputs.env, true));
  for (const e of flags.list('env')) env.push(resolveEnv(e, inputs.env));

  const labelLines: string[] = [];
  for (const file of flags.list('label-file')) labelLines.push(...parseKeyValueFile(file, inputs.readFile(file), inputs.env, false));
  labelLines.push(...flags.list('label'));

  const exposed: Record<string, object> = {};
  const portBindings: Record<string, PortBinding[]> = {};
  for (const p of flags.list('publish')) {
    const spec = parsePortSpec(p);
    for (const k of spec.exposed) exposed[k] = {};
    for (const [k, v] of Object.entries(spec.bindings)) portBindings[k] = [...(portBindings[k] ?? []), ...v];
  }
  for (const e of flags.list('expose')) for (const k of parseExpose(e)) exposed[k] = {};

  // --device is checked here, not as the flag is parsed (docker waits to know the daemon's OS); CDI names become a request.
  const devices: DeviceMapping[] = [];
  const cdiDevices: string[] = [];
  for (const d of flags.list('device')) {
    if (isCdiDeviceName(d)) cdiDevices.push(d);
    else devices.push(parseDevice(d));
  }

  const binds: string[] = [];
  const volumes: Record<string, object> = {};
  for (const v of flags.list('volume')) {
    const parsed = parseVolume(v, inputs.cwd ?? process.cwd());
    if (parsed.bind) binds.push(parsed.bind);
    if (parsed.volume) volumes[parsed.volume] = {};
  }

  const tmpfs: Record<string, string> = {};
  for (const t of flags.list('tmpfs')) {
    const [path, opts] = parseTmpfs(t);
    tmpfs[path] = opts;
  }

  let entrypoint: string[] | undefined;
  if (flags.has('entrypoint')) entrypoint = flags.str('entrypoint') === '' ? [''] : [flags.str('entrypoint')];

  const tty = flags.bool('tty');
  const config: Record<string, unknown> = {
    Hostname: flags.str('hostname'),
    Domainname: flags.str('domainname'),
    User: flags.str('user'),
    AttachStdin: attachStdin,
    AttachStdout: attachStdout,
    AttachStderr: attachStderr,
    Tty: tty,
    OpenStdin: interactive,
    StdinOnce: interactive && attachStdin,
    Env: env,
    Cmd: inputs.args.length ? inputs.args : null,
    Image: inputs.image,
    Volumes: Object.keys(volumes).length ? volumes : {},
    WorkingDir: flags.str('workdir'),
    Entrypoint: entrypoint ?? null,
    OnBuild: null,
    Labels: labelsToMap(labelLines),
  };
  if (Object.keys(exposed).length) config['ExposedPorts'] = exposed;
  const healthcheck = buildHealthcheck(flags);
  if (healthcheck) config['Healthcheck'] = healthcheck;
  if (flags.has('stop-signal')) config['StopSignal'] = flags.str('stop-signal');
  if (flags.has('stop-timeout')) config['StopTimeout'] = flags.int('stop-timeout');

  const nanoCpus = flags.get<number>('cpus');
  const networking = buildNetworking([...(flags.get<NetworkAttachment[]>('net') ?? []), ...(flags.get<NetworkAttachment[]>('network') ?? [])], {
    aliases: [...flags.list('net-alias'), ...flags.list('network-alias')],
    links: flags.list('link'),
    ipv4: flags.str('ip'),
    ipv6: flags.str('ip6'),
    mac: flags.str('mac-address'),
    linkLocalIps: flags.list('link-local-ip'),
  });
  // Daemons before API 1.44 read the main endpoint's MAC from Config; docker's CLI fills it in there too.
  const mainMac = networking.endpoints[networking.mode]?.['MacAddress'];
  if (typeof mainMac === 'string' && mainMac) config['MacAddress'] = mainMac;
  const host: Record<string, unknown> = {
    Binds: binds.length ? binds : null,
    ContainerIDFile: flags.str('cidfile'),
    LogConfig: { Type: flags.str('log-driver'), Config: keyValues(flags.list('log-opt')) },
    NetworkMode: networking.mode,
    PortBindings: portBindings,
    RestartPolicy: parseRestartPolicy(flags.str('restart')),
    AutoRemove: flags.bool('rm'),
    VolumeDriver: flags.str('volume-driver'),
    VolumesFrom: flags.list('volumes-from').length ? flags.list('volumes-from') : null,
    CapAdd: flags.list('cap-add').length ? flags.list('cap-add') : null,
    CapDrop: flags.list('cap-drop').length ? flags.list('cap-drop') : null,
    Dns: flags.list('dns'),
    DnsOptions: flags.list('dns-option'),
    DnsSearch: flags.list('dns-search'),
    ExtraHosts: flags.list('add-host').length ? flags.list('add-host') : null,
    GroupAdd: flags.list('group-add').length ? flags.list('group-add') : null,
    IpcMode: flags.str('ipc'),
    Links: flags.list('link').length ? flags.list('link') : null,
    PidMode: flags.str('pid'),
    UTSMode: flags.str('uts'),
    Privileged: flags.bool('privileged'),
    PublishAllPorts: flags.bool('publish-all'),
    ReadonlyRootfs: flags.bool('read-only'),
    SecurityOpt: flags.list('security-opt').length ? flags.list('security-opt') : null,
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    Mounts: flags.get<unknown[]>('mount')?.length ? flags.get<unknown[]>('mount') : undefined,
    ShmSize: flags.get<number>('shm-size') ?? 0,
    CpuShares: flags.int('cpu-shares'),
    Memory: flags.get<number>('memory') ?? 0,
    NanoCpus: nanoCpus !== undefined ? Math.round(nanoCpus * 1e9) : 0,
    CpuPeriod: flags.int('cpu-period'),
    CpuQuota: flags.int('cpu-quota'),
    CpusetCpus: flags.str('cpuset-cpus'),
    MemoryReservation: flags.get<number>('memory-reservation') ?? 0,
    MemorySwap: flags.get<number>('memory-swap') ?? 0,
    OomKillDisable: flags.bool('oom-kill-disable'),
    Ulimits: flags.list('ulimit').map(parseUlimit),
    BlkioWeight: flags.int('blkio-weight'),
    BlkioWeightDevice: flags.get<unknown[]>('blkio-weight-device') ?? [],
    BlkioDeviceReadBps: flags.get<unknown[]>('device-read-bps') ?? [],
    BlkioDeviceWriteBps: flags.get<unknown[]>('device-write-bps') ?? [],
    BlkioDeviceReadIOps: flags.get<unknown[]>('device-read-iops') ?? [],
    BlkioDeviceWriteIOps: flags.get<unknown[]>('device-write-iops') ?? [],
    Devices: devices,
    DeviceCgroupRules: flags.list('device-cgroup-rule').length ? flags.list('device-cgroup-rule') : null,
    CgroupParent: flags.str('cgroup-parent'),
    CpuRealtimePeriod: flags.int('cpu-rt-period'),
    CpuRealtimeRuntime: flags.int('cpu-rt-runtime'),
    CpusetMems: flags.str('cpuset-mems'),
    KernelMemory: flags.get<number>('kernel-memory') ?? 0,
    MemorySwappiness: flags.int('memory-swappiness'),
    OomScoreAdj: flags.int('oom-score-adj'),
  };
  if (flags.str('cgroupns')) host['CgroupnsMode'] = flags.str('cgroupns');
  if (flags.has('cpu-count')) host['CpuCount'] = flags.int('cpu-count');
  if (flags.has('cpu-percent')) host['CpuPercent'] = flags.int('cpu-percent');
  if (flags.has('io-maxbandwidth')) host['IOMaximumBandwidth'] = flags.get<number>('io-maxbandwidth');
  if (flags.has('io-maxiops')) host['IOMaximumIOps'] = flags.int('io-maxiops');
  if (flags.list('storage-opt').length) host['StorageOpt'] = keyValues(flags.list('storage-opt'));
  const deviceRequests: Record<string, unknown>[] = [];
  if (flags.has('gpus')) deviceRequests.push(flags.get<Record<string, unknown>>('gpus')!);
  if (cdiDevices.length) deviceRequests.push({ Driver: 'cdi', Count: 0, DeviceIDs: cdiDevices, Capabilities: null, Options: null });
  if (deviceRequests.length) host['DeviceRequests'] = deviceRequests;
  if (flags.str('runtime')) host['Runtime'] = flags.str('runtime');
  if (flags.str('isolation')) host['Isolation'] = flags.str('isolation');
  if (flags.list('annotation').length) host['Annotations'] = keyValues(flags.list('annotation'));
  if (flags.list('sysctl').length) host['Sysctls'] = keyValues(flags.list('sysctl'));
  if (flags.str('userns')) host['UsernsMode'] = flags.str('userns');
  if (flags.has('pids-limit')) host['PidsLimit'] = flags.int('pids-limit');
  if (flags.has('init')) host['Init'] = flags.bool('init');
  if (nanoCpus !== undefined && (flags.int('cpu-period') || flags.int('cpu-quota'))) {
    throw new InvalidParameterError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  }

  return { Config: config, HostConfig: host, NetworkingConfig: { EndpointsConfig: networking.endpoints } };
}


/** docker's --health-* / --no-healthcheck flags as Config.Healthcheck (durations in nanoseconds). */
function buildHealthcheck(flags: Flags): Record<string, unknown> | undefined {
  const timing = ['health-interval', 'health-timeout', 'health-start-period', 'health-start-interval', 'health-retries'].some((f) => flags.has(f));
  if (flags.bool('no-healthcheck')) {
    if (flags.has('health-cmd') || timing) throw new InvalidParameterError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!flags.has('health-cmd') && !timing) return undefined;
  for (const f of ['health-interval', 'health-timeout', 'health-start-period', 'health-start-interval']) {
    if ((flags.get<number>(f) ?? 0) < 0) throw new InvalidParameterError(`--${f} cannot be negative`);
  }
  if (flags.int('health-retries') < 0) throw new InvalidParameterError('--health-retries cannot be negative');
  const cmd = flags.str('health-cmd');
  // Zero values are left out, as docker's omitempty fields are.
  const out: Record<string, unknown> = {};
  if (cmd) out['Test'] = ['CMD-SHELL', cmd];
  const fields: Array<[string, number]> = [
    ['Interval', flags.get<number>('health-interval') ?? 0],
    ['Timeout', flags.get<number>('health-timeout') ?? 0],
    ['StartPeriod', flags.get<number>('health-start-period') ?? 0],
    ['StartInterval', flags.get<number>('health-start-interval') ?? 0],
    ['Retries', flags.int('health-retries')],
  ];
  for (const [name, value] of fields) if (value) out[name] = value;
  return out;
}
