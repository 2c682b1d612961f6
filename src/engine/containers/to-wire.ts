/**
 * Container record → Engine API JSON (inspect and list), with the defaults
 * dockerd fills into HostConfig so `docker inspect` shows the same fields.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import type { ContainerInspectResponse, ContainerSummary } from '../../wire/container.ts';
import { humanDuration } from '../../util/human.ts';
import { containerPaths, ZERO_TIME, type ContainerRecord } from './record.ts';
import { containerMounts, toWireMounts } from './container-mounts.ts';
import { isActive } from './state-machine.ts';

export const DEFAULT_MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
];
export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * HostConfig with dockerd's create-time defaults for fields the client left
 * out; the lists a client leaves out are null (the docker CLI sends [] for
 * them, docker-py does not: checked on the reference with a bare API create).
 */
export function hostConfigWithDefaults(h: HostConfig): HostConfig {
  const privileged = Boolean(h.Privileged);
  return {
    Binds: null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: 'default',
    PortBindings: null,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: '',
    VolumesFrom: null,
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: 'host',
    Dns: null,
    DnsOptions: null,
    DnsSearch: null,
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    ConsoleSize: [0, 0],
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: null,
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: null,
    DeviceCgroupRules: null,
    DeviceRequests: null,
    KernelMemory: 0,
    KernelMemoryTCP: 0,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: null,
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    ...stripUndefined(h),
    ...(h.ShmSize ? {} : { ShmSize: 67108864 }),
    ...(h.NetworkMode ? {} : { NetworkMode: 'default' }),
    ...(h.IpcMode ? {} : { IpcMode: 'private' }),
    // dockerd's Go struct: MaximumRetryCount is always there, even when the client left it out ({"Name":"no"}).
    ...(h.RestartPolicy ? { RestartPolicy: h.RestartPolicy.Name ? { Name: h.RestartPolicy.Name, MaximumRetryCount: h.RestartPolicy.MaximumRetryCount ?? 0 } : { Name: 'no', MaximumRetryCount: 0 } } : {}),
    MaskedPaths: h.MaskedPaths ?? (privileged ? [] : DEFAULT_MASKED_PATHS),
    ReadonlyPaths: h.ReadonlyPaths ?? (privileged ? [] : DEFAULT_READONLY_PATHS),
  } as HostConfig;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function stateWire(record: ContainerRecord) {
  const s = record.state;
  return {
    Status: s.status,
    Running: isActive(s.status),
    Paused: s.status === 'paused',
    Restarting: s.status === 'restarting',
    OOMKilled: s.oomKilled,
    Dead: s.status === 'dead',
    Pid: s.pid,
    ExitCode: s.exitCode,
    Error: s.error,
    StartedAt: s.startedAt,
    FinishedAt: s.finishedAt,
    ...(s.health ? { Health: s.health } : {}),
  };
}

/** dockerd's human status ("Up 3 seconds", "Exited (0) 2 minutes ago"). */
export function statusText(record: ContainerRecord, now = Date.now()): string {
  const s = record.state;
  if (isActive(s.status)) {
    const up = `Up ${humanDuration(now - Date.parse(s.startedAt))}`;
    if (s.status === 'paused') return `${up} (Paused)`;
    if (s.health) return `${up} (${s.health.Status === 'starting' ? 'health: starting' : s.health.Status})`;
    return up;
  }
  if (s.status === 'restarting') return `Restarting (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
  if (s.status === 'removing') return 'Removal In Progress';
  if (s.status === 'dead') return 'Dead';
  if (s.startedAt === ZERO_TIME) return 'Created';
  if (s.finishedAt === ZERO_TIME) return '';
  return `Exited (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`;
}

export interface WireExtras {
  dataRoot: string;
  lowerDirs: string[];
  execIds: string[];
  networkSettings: Record<string, unknown>;
  sizeRw?: number;
  sizeRootFs?: number;
  /** The container whose /etc files it uses (network mode container:X), '' for none yet; its own when unset. */
  etcFilesOf?: string;
}

export function toWireInspect(record: ContainerRecord, x: WireExtras): ContainerInspectResponse {
  const p = containerPaths(x.dataRoot, record.id);
  const etc = x.etcFilesOf === undefined ? p : x.etcFilesOf === '' ? { resolvConf: '', hostname: '', hosts: '' } : containerPaths(x.dataRoot, x.etcFilesOf);
  const out: ContainerInspectResponse = {
    Id: record.id,
    Created: record.created,
    Path: record.path,
    Args: record.args,
    State: stateWire(record),
    Image: record.image,
    ResolvConfPath: etc.resolvConf,
    HostnamePath: etc.hostname,
    HostsPath: etc.hosts,
    LogPath: record.hostConfig.LogConfig?.Type === 'none' ? '' : p.log,
    Name: record.name,
    RestartCount: record.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: x.execIds.length ? x.execIds : null,
    HostConfig: { ...hostConfigWithDefaults(record.hostConfig), Links: inspectLinks(record.hostConfig) },
    GraphDriver: {
      Data: { LowerDir: x.lowerDirs.join(':'), MergedDir: p.merged, UpperDir: p.upper, WorkDir: p.work },
      Name: 'overlay2',
    },
    Mounts: toWireMounts(containerMounts(record)),
    Config: configWire(record.config),
    NetworkSettings: x.networkSettings,
  };
  if (x.sizeRw !== undefined) out.SizeRw = x.sizeRw;
  if (x.sizeRootFs !== undefined) out.SizeRootFs = x.sizeRootFs;
  return out;
}

/**
 * HostConfig.Links as dockerd's inspect shows them: rebuilt from its link
 * graph, which holds the links of the default bridge only. Links asked for on
 * a user-defined network (docker-compose sends them) live in that network's
 * endpoint (NetworkSettings.Networks.<net>.Links); none is null, not [].
 */
export function inspectLinks(h: HostConfig): string[] | null {
  const mode = h.NetworkMode || 'default';
  const userDefined = !['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:');
  return userDefined || !h.Links?.length ? null : h.Links;
}

/** container.Config's JSON fields in Go's order; the omitempty ones left out when empty, the others always there. */
const CONFIG_FIELDS: ReadonlyArray<readonly [string, 'always' | 'omitempty', unknown]> = [
  ['Hostname', 'always', ''], ['Domainname', 'always', ''], ['User', 'always', ''],
  ['AttachStdin', 'always', false], ['AttachStdout', 'always', false], ['AttachStderr', 'always', false],
  ['ExposedPorts', 'omitempty', null], ['Tty', 'always', false], ['OpenStdin', 'always', false], ['StdinOnce', 'always', false],
  ['Env', 'always', null], ['Cmd', 'always', null], ['Healthcheck', 'omitempty', null], ['ArgsEscaped', 'omitempty', false],
  ['Image', 'always', ''], ['Volumes', 'always', null], ['WorkingDir', 'always', ''], ['Entrypoint', 'always', null],
  ['NetworkDisabled', 'omitempty', false], ['MacAddress', 'omitempty', ''], ['OnBuild', 'always', null], ['Labels', 'always', {}],
  ['StopSignal', 'omitempty', ''], ['StopTimeout', 'omitempty', null], ['Shell', 'omitempty', null],
];

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/**
 * The container's Config as dockerd encodes it (Go's field order, omitempty):
 * a client that leaves fields out (docker-py, compose) still sees
 * "Domainname": "", "Volumes": null, "Labels": {}, and no "NetworkDisabled": false.
 */
export function configWire(config: ContainerConfig): ContainerConfig {
  const src = config as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, kind, zero] of CONFIG_FIELDS) {
    const v = src[key];
    if (kind === 'omitempty') {
      if (key === 'StopTimeout' ? v !== undefined && v !== null : !isEmpty(v)) out[key] = v;
    } else out[key] = v === undefined ? zero : key === 'Labels' && v === null ? {} : v;
  }
  for (const [key, v] of Object.entries(src)) if (!(key in out) && !CONFIG_FIELDS.some(([k]) => k === key) && v !== undefined) out[key] = v;
  return out as ContainerConfig;
}

/** dockerd's Command of a list entry: the path, then the args, those with a space in single quotes. */
export function commandText(record: ContainerRecord): string {
  if (record.args.length === 0) return record.path;
  return `${record.path} ${record.args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

export function toWireSummary(record: ContainerRecord, x: { networks: Record<string, unknown>; ports?: ContainerSummary['Ports']; sizeRw?: number; sizeRootFs?: number; now?: number }): ContainerSummary {
  const out: ContainerSummary = {
    Id: record.id,
    Names: [record.name],
    Image: record.config.Image ?? '',
    ImageID: record.image,
    Command: commandText(record),
    Created: Math.floor(Date.parse(record.created) / 1000),
    Ports: x.ports ?? [],
    Labels: record.config.Labels ?? {},
    State: record.state.status,
    Status: statusText(record, x.now),
    HostConfig: { NetworkMode: record.hostConfig.NetworkMode || 'default' },
    NetworkSettings: { Networks: x.networks },
    Mounts: toWireMounts(containerMounts(record)),
  };
  if (x.sizeRw !== undefined) out.SizeRw = x.sizeRw;
  if (x.sizeRootFs !== undefined) out.SizeRootFs = x.sizeRootFs;
  return out;
}
