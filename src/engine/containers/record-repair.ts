/**
 * Repair of a stored container record that holds a value the docker CLI
 * cannot decode (written by an older berthd, before create bodies were
 * checked against the contract, or edited by hand). The CLI decodes every
 * field of `docker inspect` and `docker ps` into Go types, so one bad value
 * (`Labels {"a":5}`, `Memory 1e308`) makes the whole listing fail.
 *
 * The table below gives the Go type of every field of Config and HostConfig
 * as the CLI decodes them (api/types/container in moby, read, not copied).
 * A value that does not fit is removed: an object's field is deleted (Go
 * then holds its zero value), a map's entry is deleted, an array's element
 * is dropped, a fixed-size array (ConsoleSize) is deleted whole. `null` is
 * always taken (Go leaves the zero value), unknown fields are ignored (Go
 * does too). The engine may not import the API's generated validator, so
 * this is its own table, over the wire types of `src/wire/container-config.ts`.
 */
import { newState, ZERO_TIME, type ContainerRecord } from './record.ts';

type Scalar = 'string' | 'bool' | 'int64' | 'uint16' | 'uint32' | 'uint64' | 'strslice';
type Shape = Scalar | { obj: Readonly<Record<string, Shape>> } | { map: Shape } | { list: Shape } | { tuple: Shape };

const strings: Shape = { list: 'string' };
const stringMap: Shape = { map: 'string' };
const emptyObjectMap: Shape = { map: { obj: {} } };
const throttle: Shape = { list: { obj: { Path: 'string', Rate: 'uint64' } } };

const HEALTH: Shape = { obj: { Test: strings, Interval: 'int64', Timeout: 'int64', Retries: 'int64', StartPeriod: 'int64' } };

export const CONFIG_SHAPE: Shape = {
  obj: {
    Hostname: 'string', Domainname: 'string', User: 'string',
    AttachStdin: 'bool', AttachStdout: 'bool', AttachStderr: 'bool',
    ExposedPorts: emptyObjectMap, Tty: 'bool', OpenStdin: 'bool', StdinOnce: 'bool',
    Env: strings, Cmd: 'strslice', Healthcheck: HEALTH, ArgsEscaped: 'bool', Image: 'string',
    Volumes: emptyObjectMap, WorkingDir: 'string', Entrypoint: 'strslice', NetworkDisabled: 'bool',
    MacAddress: 'string', OnBuild: strings, Labels: stringMap, StopSignal: 'string', StopTimeout: 'int64',
    Shell: 'strslice',
  },
};

const MOUNT: Shape = {
  obj: {
    Type: 'string', Source: 'string', Target: 'string', ReadOnly: 'bool', Consistency: 'string',
    BindOptions: { obj: { Propagation: 'string', NonRecursive: 'bool', CreateMountpoint: 'bool' } },
    VolumeOptions: { obj: { NoCopy: 'bool', Labels: stringMap, DriverConfig: { obj: { Name: 'string', Options: stringMap } } } },
    TmpfsOptions: { obj: { SizeBytes: 'int64', Mode: 'uint32' } },
  },
};

export const HOST_CONFIG_SHAPE: Shape = {
  obj: {
    Binds: strings, ContainerIDFile: 'string',
    LogConfig: { obj: { Type: 'string', Config: stringMap } },
    NetworkMode: 'string',
    PortBindings: { map: { list: { obj: { HostIp: 'string', HostPort: 'string' } } } },
    RestartPolicy: { obj: { Name: 'string', MaximumRetryCount: 'int64' } },
    AutoRemove: 'bool', VolumeDriver: 'string', VolumesFrom: strings, Mounts: { list: MOUNT },
    ConsoleSize: { tuple: 'uint64' }, Annotations: stringMap, CapAdd: 'strslice', CapDrop: 'strslice',
    CgroupnsMode: 'string', Dns: strings, DnsOptions: strings, DnsSearch: strings, ExtraHosts: strings,
    GroupAdd: strings, IpcMode: 'string', Cgroup: 'string', Links: strings, OomScoreAdj: 'int64',
    PidMode: 'string', Privileged: 'bool', PublishAllPorts: 'bool', ReadonlyRootfs: 'bool',
    SecurityOpt: strings, StorageOpt: stringMap, Tmpfs: stringMap, UTSMode: 'string', UsernsMode: 'string',
    ShmSize: 'int64', Sysctls: stringMap, Runtime: 'string', Isolation: 'string',
    CpuShares: 'int64', Memory: 'int64', NanoCpus: 'int64', CgroupParent: 'string', BlkioWeight: 'uint16',
    BlkioWeightDevice: { list: { obj: { Path: 'string', Weight: 'uint16' } } },
    BlkioDeviceReadBps: throttle, BlkioDeviceWriteBps: throttle, BlkioDeviceReadIOps: throttle, BlkioDeviceWriteIOps: throttle,
    CpuPeriod: 'int64', CpuQuota: 'int64', CpuRealtimePeriod: 'int64', CpuRealtimeRuntime: 'int64',
    CpusetCpus: 'string', CpusetMems: 'string',
    Devices: { list: { obj: { PathOnHost: 'string', PathInContainer: 'string', CgroupPermissions: 'string' } } },
    DeviceCgroupRules: strings,
    DeviceRequests: { list: { obj: { Driver: 'string', Count: 'int64', DeviceIDs: strings, Capabilities: { list: strings }, Options: stringMap } } },
    KernelMemory: 'int64', KernelMemoryTCP: 'int64', MemoryReservation: 'int64', MemorySwap: 'int64',
    MemorySwappiness: 'int64', OomKillDisable: 'bool', Init: 'bool', PidsLimit: 'int64',
    Ulimits: { list: { obj: { Name: 'string', Soft: 'int64', Hard: 'int64' } } },
    CpuCount: 'int64', CpuPercent: 'int64', IOMaximumIOps: 'uint64', IOMaximumBandwidth: 'uint64',
    MaskedPaths: strings, ReadonlyPaths: strings,
  },
};

/** Our own state record: what inspect's State and ps's Status are made from. */
const STATE_SHAPE: Shape = {
  obj: { status: 'string', pid: 'int64', exitCode: 'int64', error: 'string', oomKilled: 'bool', startedAt: 'string', finishedAt: 'string' },
};

/**
 * Largest magnitudes whose JavaScript number prints as digits that Go parses
 * in range: 2^63 itself is a double that prints as 9223372036854775808, one
 * past int64's maximum (and from 1e21 up JSON prints an exponent, which Go
 * refuses for an integer).
 */
const MAX: Record<'int64' | 'uint16' | 'uint32' | 'uint64', number> = {
  int64: 2 ** 63 - 1024,
  uint16: 2 ** 16 - 1,
  uint32: 2 ** 32 - 1,
  uint64: 2 ** 64 - 2048,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalarFits(shape: Scalar, v: unknown): boolean {
  switch (shape) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'strslice':
      return typeof v === 'string' || (Array.isArray(v) && v.every((s) => s === null || typeof s === 'string'));
    default: {
      if (typeof v !== 'number' || !Number.isInteger(v)) return false;
      const min = shape === 'int64' ? -MAX.int64 : 0;
      return v >= min && v <= MAX[shape];
    }
  }
}

/**
 * Make `value` fit `shape`, in place, removing what does not; returns false
 * when `value` itself does not fit (its holder removes it). Each removal's
 * path is added to `fixed`.
 */
function fit(value: unknown, shape: Shape, path: string, fixed: string[]): boolean {
  if (value === null) return true;
  if (typeof shape === 'string') return scalarFits(shape, value);
  if ('tuple' in shape) return Array.isArray(value) && value.every((v) => fit(v, shape.tuple, path, []));
  if ('list' in shape) {
    if (!Array.isArray(value)) return false;
    for (let i = value.length - 1; i >= 0; i--) {
      if (!fit(value[i], shape.list, `${path}[${i}]`, fixed)) {
        fixed.push(`${path}[${i}]`);
        value.splice(i, 1);
      }
    }
    return true;
  }
  if (!isObject(value)) return false;
  for (const key of Object.keys(value)) {
    const child = 'map' in shape ? shape.map : shape.obj[key];
    if (child === undefined) continue;
    if (!fit(value[key], child, `${path}.${key}`, fixed)) {
      fixed.push(`${path}.${key}`);
      delete value[key];
    }
  }
  return true;
}

/**
 * Repair `record` in place so that its inspect and list forms decode in the
 * docker CLI; returns the paths of what was removed or reset (empty when
 * the record was sound).
 */
export function repairRecord(record: ContainerRecord): string[] {
  const fixed: string[] = [];
  const r = record as unknown as Record<string, unknown>;
  for (const [key, shape, wire] of [['config', CONFIG_SHAPE, 'Config'], ['hostConfig', HOST_CONFIG_SHAPE, 'HostConfig']] as const) {
    if (!fit(r[key], shape, wire, fixed) || r[key] === null) {
      fixed.push(wire);
      r[key] = {};
    }
  }
  const ownStrings: [keyof ContainerRecord, string, () => string][] = [
    ['name', 'Name', () => `/${String(record.id).slice(0, 12)}`],
    ['created', 'Created', () => ZERO_TIME],
    ['image', 'Image', () => ''],
    ['path', 'Path', () => ''],
    ['networkMode', 'HostConfig.NetworkMode', () => 'default'],
  ];
  for (const [key, wire, zero] of ownStrings) {
    if (typeof r[key] !== 'string') {
      fixed.push(wire);
      r[key] = zero();
    }
  }
  if (!Array.isArray(r['args'])) {
    fixed.push('Args');
    r['args'] = [];
  } else if (!fit(r['args'], strings, 'Args', fixed)) r['args'] = [];
  const state = r['state'];
  if (!isObject(state)) {
    fixed.push('State');
    r['state'] = { ...newState(), status: 'exited' };
  } else {
    const zero = newState() as unknown as Record<string, unknown>;
    fit(state, STATE_SHAPE, 'State', fixed);
    for (const key of Object.keys(zero)) if (!(key in state)) state[key] = zero[key];
  }
  if (typeof r['restartCount'] !== 'number' || !scalarFits('int64', r['restartCount'])) {
    fixed.push('RestartCount');
    r['restartCount'] = 0;
  }
  return fixed;
}
