/**
 * Resource limits: Docker's validation (moby `daemon/daemon_unix.go`
 * `verifyPlatformContainerResources`, same words) and the conversion of
 * `HostConfig` resources to OCI `linux.resources`, plus `--ulimit`.
 */
import { InvalidParameterError, SystemError } from '../../../util/errors.ts';
import type { HostConfig, Resources, ThrottleDevice } from '../../../wire/container-config.ts';
import type { OciBlockIO, OciDeviceCgroup, OciResources, OciRlimit } from './types.ts';

/** A block device's numbers, as stat(2) of its path gives them. */
export interface DeviceNumber {
  major: number;
  minor: number;
}

/** moby `linuxMinMemory`: 6 MiB. */
const MIN_MEMORY = 6 * 1024 * 1024;
/** The CFS period Docker uses for `--cpus`. */
const NANO_CPU_PERIOD = 100_000;

const ULIMIT_NAMES = new Set([
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

function bad(message: string): InvalidParameterError {
  return new InvalidParameterError(message);
}

/** `0-3,5` style lists; Docker rejects anything else. */
function validCpuset(text: string): boolean {
  return /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text);
}

/**
 * Validate the resource fields of a `HostConfig` (or an update's `Resources`)
 * as Docker does; an update may set a swap limit alone (the memory limit is
 * the container's).
 */
export function validateResources(r: Resources, hostCpus: number, options: { update?: boolean } = {}): void {
  const memory = r.Memory ?? 0;
  const swap = r.MemorySwap ?? 0;
  const reservation = r.MemoryReservation ?? 0;
  if (memory !== 0 && memory < MIN_MEMORY) throw bad('Minimum memory limit allowed is 6MB');
  if (memory === 0 && swap > 0 && !options.update) throw bad('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (memory > 0 && swap > 0 && swap < memory) throw bad('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (r.MemorySwappiness != null && r.MemorySwappiness !== -1 && (r.MemorySwappiness < 0 || r.MemorySwappiness > 100)) {
    throw bad(`Invalid value: ${r.MemorySwappiness}, valid memory swappiness range is 0-100`);
  }
  if (memory > 0 && reservation > 0 && reservation > memory) {
    throw bad('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (reservation > 0 && reservation < MIN_MEMORY) throw bad('Minimum memory reservation allowed is 6MB');
  if ((r.KernelMemory ?? 0) > 0 && r.KernelMemory! < MIN_MEMORY) throw bad('Minimum kernel memory limit allowed is 6MB');
  const nano = r.NanoCpus ?? 0;
  if (nano > 0 && (r.CpuPeriod ?? 0) > 0) throw bad('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && (r.CpuQuota ?? 0) > 0) throw bad('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || nano > hostCpus * 1e9) {
    throw bad(`Range of CPUs is from 0.01 to ${hostCpus}.00, as there are only ${hostCpus} CPUs available`);
  }
  const period = r.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000)) {
    throw bad('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  const quota = r.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw bad('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (r.CpusetCpus && !validCpuset(r.CpusetCpus)) throw bad(`Invalid value ${r.CpusetCpus} for cpuset cpus: invalid format: ${r.CpusetCpus}`);
  if (r.CpusetMems && !validCpuset(r.CpusetMems)) throw bad(`Invalid value ${r.CpusetMems} for cpuset mems: invalid format: ${r.CpusetMems}`);
  const blkio = r.BlkioWeight ?? 0;
  if (blkio > 0 && (blkio < 10 || blkio > 1000)) throw bad('Range of blkio weight is from 10 to 1000');
  // Ulimits are not checked here: dockerd takes any at create, and the start that cannot apply one fails.
}

/** Validate a whole `HostConfig` at create time, before anything is written (400 on failure). */
export function validateHostConfigResources(h: HostConfig, hostCpus: number): void {
  validateResources(h, hostCpus);
  const adj = h.OomScoreAdj ?? 0;
  if (adj < -1000 || adj > 1000) throw bad(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
  if ((h.ShmSize ?? 0) < 0) throw bad('SHM size can not be less than 0');
}

/** `--ulimit` entries → OCI rlimits; none at all unless the user asked (this host refuses raising rlimits). */
export function toRlimits(ulimits: Resources['Ulimits']): OciRlimit[] {
  const out: OciRlimit[] = [];
  for (const u of ulimits ?? []) {
    const name = u.Name ?? '';
    if (!ULIMIT_NAMES.has(name)) throw bad(`invalid ulimit type: ${name}`);
    const soft = u.Soft ?? 0;
    const hard = u.Hard ?? 0;
    // -1 is unlimited (written as RLIM_INFINITY, see serialize.ts).
    const unlimited = (n: number) => (n < 0 ? Infinity : n);
    if (unlimited(soft) > unlimited(hard)) throw bad(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
    out.push({ type: `RLIMIT_${name.toUpperCase()}`, soft, hard });
  }
  return out;
}

/**
 * Docker's default device cgroup rules: deny everything, then allow the
 * devices every container has (runc adds its own always-allowed set too).
 */
export function defaultDeviceRules(): OciDeviceCgroup[] {
  const c = (major: number | null, minor: number | null, access: string): OciDeviceCgroup => ({ allow: true, type: 'c', major, minor, access });
  return [
    { allow: false, access: 'rwm' },
    c(1, 5, 'rwm'), // /dev/zero
    c(1, 3, 'rwm'), // /dev/null
    c(1, 9, 'rwm'), // /dev/urandom
    c(1, 8, 'rwm'), // /dev/random
    c(5, 0, 'rwm'), // /dev/tty
    c(5, 1, 'rwm'), // /dev/console
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }, // /dev/fuse stays denied
  ];
}

/** `HostConfig` resources → OCI `linux.resources` (devices rules set by the caller). */
export function toOciResources(r: Resources): OciResources {
  const out: OciResources = {};
  const memory = r.Memory ?? 0;
  const mem: NonNullable<OciResources['memory']> = {};
  if (memory > 0) mem.limit = memory;
  if ((r.MemoryReservation ?? 0) > 0) mem.reservation = r.MemoryReservation;
  // Docker's default swap is twice the memory limit (set on the HostConfig at create); -1 is unlimited.
  const swap = r.MemorySwap ?? 0;
  if (swap !== 0) mem.swap = swap;
  else if (memory > 0) mem.swap = memory * 2;
  if (r.MemorySwappiness != null && r.MemorySwappiness >= 0) mem.swappiness = r.MemorySwappiness;
  if ((r.KernelMemoryTCP ?? 0) > 0) mem.kernelTCP = r.KernelMemoryTCP;
  if (r.OomKillDisable) mem.disableOOMKiller = true;
  if (Object.keys(mem).length > 0) out.memory = mem;

  const cpu: NonNullable<OciResources['cpu']> = {};
  if ((r.CpuShares ?? 0) > 0) cpu.shares = r.CpuShares;
  if ((r.NanoCpus ?? 0) > 0) {
    cpu.period = NANO_CPU_PERIOD;
    cpu.quota = Math.floor(((r.NanoCpus ?? 0) * NANO_CPU_PERIOD) / 1e9);
  }
  if ((r.CpuPeriod ?? 0) > 0) cpu.period = r.CpuPeriod;
  if ((r.CpuQuota ?? 0) !== 0) cpu.quota = r.CpuQuota;
  if (r.CpusetCpus) cpu.cpus = r.CpusetCpus;
  if (r.CpusetMems) cpu.mems = r.CpusetMems;
  if ((r.CpuRealtimePeriod ?? 0) > 0) cpu.realtimePeriod = r.CpuRealtimePeriod;
  if ((r.CpuRealtimeRuntime ?? 0) > 0) cpu.realtimeRuntime = r.CpuRealtimeRuntime;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;

  if (r.PidsLimit != null && r.PidsLimit > 0) out.pids = { limit: r.PidsLimit };
  if ((r.BlkioWeight ?? 0) > 0) out.blockIO = { weight: r.BlkioWeight };
  return out;
}

/** Every path named by the blkio device lists of a `HostConfig`, for the caller to stat. */
export function blkioDevicePaths(r: Resources): string[] {
  const lists = [r.BlkioWeightDevice, r.BlkioDeviceReadBps, r.BlkioDeviceWriteBps, r.BlkioDeviceReadIOps, r.BlkioDeviceWriteIOps];
  return [...new Set(lists.flatMap((list) => (list ?? []).map((d) => d.Path ?? '')))];
}

/**
 * The blkio device lists → OCI `blockIO` device entries, each path replaced
 * by its major:minor (moby `getBlkioWeightDevices`/`getBlkioThrottleDevices`).
 * `numbers` holds what the caller's stat of each path gave (see
 * `blkioDevicePaths`). The plain `BlkioWeight` is `toOciResources`' part.
 */
export function toOciBlockDevices(r: Resources, numbers: ReadonlyMap<string, DeviceNumber>): OciBlockIO {
  const number = (path: string | undefined): DeviceNumber => {
    const n = numbers.get(path ?? '');
    if (!n) throw new SystemError(`no device number resolved for blkio device ${path ?? ''}`);
    return { major: n.major, minor: n.minor };
  };
  const throttle = (list: ThrottleDevice[] | null | undefined) => (list ?? []).map((d) => ({ ...number(d.Path), rate: d.Rate ?? 0 }));
  const out: OciBlockIO = {};
  const weightDevice = (r.BlkioWeightDevice ?? []).map((d) => ({ ...number(d.Path), weight: d.Weight ?? 0 }));
  if (weightDevice.length > 0) out.weightDevice = weightDevice;
  const lists = [
    ['throttleReadBpsDevice', throttle(r.BlkioDeviceReadBps)],
    ['throttleWriteBpsDevice', throttle(r.BlkioDeviceWriteBps)],
    ['throttleReadIOPSDevice', throttle(r.BlkioDeviceReadIOps)],
    ['throttleWriteIOPSDevice', throttle(r.BlkioDeviceWriteIOps)],
  ] as const;
  for (const [key, list] of lists) if (list.length > 0) out[key] = list;
  return out;
}
