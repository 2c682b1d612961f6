/**
 * A container's stats document (`GET /containers/{id}/stats`), read from its
 * cgroup, /proc/stat and its network namespace. The engine samples once a
 * second while streaming and passes each document back as `previous`, which
 * becomes `preread`/`precpu_stats` of the next (that is how the CLI computes
 * CPU %). A container that is not running gets `emptyStats` (as Docker does).
 */
import os from 'node:os';
import path from 'node:path';
import { parseMemTotal, parseNetDev, parseProcStatTicks } from './parse.ts';
import { CGROUP_ROOT, detectCgroupVersion, type CgroupVersion } from './paths.ts';
import { readOptional } from './read-file.ts';
import { CLOCK_TICKS, readV1Sample } from './sample-v1.ts';
import { readV2Sample } from './sample-v2.ts';
import type { ContainerStats, CpuStats, NetworkStats } from '../../wire/stats.ts';

/** Go's zero time.Time, which Docker prints for "never". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ReadStatsOptions {
  id: string;
  /** The container's name without its leading slash. */
  name: string;
  /** The cgroupsPath given to the runtime (see `cgroupsPathFor`). */
  cgroupsPath: string;
  /** Host PID of the container's init, to read its network namespace's counters; omit for no networks. */
  pid?: number;
  /** The previous document of this stream, if any. */
  previous?: ContainerStats;
  /** Test seams. */
  cgroupRoot?: string;
  procRoot?: string;
  version?: CgroupVersion;
  now?: () => Date;
}

export async function readContainerStats(options: ReadStatsOptions): Promise<ContainerStats> {
  const root = options.cgroupRoot ?? CGROUP_ROOT;
  const proc = options.procRoot ?? '/proc';
  const version = options.version ?? (await detectCgroupVersion(root));
  const [sample, systemUsage, machineMemory, networks] = await Promise.all([
    version === 2 ? readV2Sample(root, options.cgroupsPath) : readV1Sample(root, options.cgroupsPath),
    readSystemCpuUsage(proc),
    readMachineMemory(proc),
    options.pid ? readNetworks(proc, options.pid) : Promise.resolve(undefined),
  ]);
  const read = formatTime(options.now?.() ?? new Date());
  const mem = sample.memory_stats;
  // Docker reports the host's memory as the limit of an unlimited container.
  if (mem.usage !== undefined && machineMemory && (!mem.limit || mem.limit > machineMemory)) mem.limit = machineMemory;
  const cpu_stats: CpuStats = { ...sample.cpu_stats, online_cpus: os.cpus().length };
  if (systemUsage !== undefined) cpu_stats.system_cpu_usage = systemUsage;
  const doc: ContainerStats = {
    read,
    preread: options.previous?.read ?? ZERO_TIME,
    pids_stats: sample.pids_stats,
    blkio_stats: sample.blkio_stats,
    num_procs: 0,
    storage_stats: {},
    cpu_stats: reorderCpu(cpu_stats),
    precpu_stats: options.previous?.cpu_stats ?? emptyCpu(),
    memory_stats: mem,
    name: '/' + options.name,
    id: options.id,
  };
  if (networks && Object.keys(networks).length) doc.networks = networks;
  return doc;
}

/** The document Docker returns for a container that is not running. */
export function emptyStats(id: string, name: string): ContainerStats {
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: {
      io_service_bytes_recursive: null,
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: emptyCpu(),
    precpu_stats: emptyCpu(),
    memory_stats: {},
    name: '/' + name,
    id,
  };
}

function emptyCpu(): CpuStats {
  return {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** Docker's key order: cpu_usage, system_cpu_usage, online_cpus, throttling_data. */
function reorderCpu(c: CpuStats): CpuStats {
  const out: CpuStats = { cpu_usage: c.cpu_usage } as CpuStats;
  if (c.system_cpu_usage !== undefined) out.system_cpu_usage = c.system_cpu_usage;
  if (c.online_cpus !== undefined) out.online_cpus = c.online_cpus;
  out.throttling_data = c.throttling_data;
  return out;
}

/** Host CPU time in nanoseconds (Docker's system_cpu_usage). */
export async function readSystemCpuUsage(proc = '/proc'): Promise<number | undefined> {
  const ticks = parseProcStatTicks((await readOptional(path.join(proc, 'stat'))) ?? '');
  return ticks === undefined ? undefined : (ticks * 1e9) / CLOCK_TICKS;
}

export async function readMachineMemory(proc = '/proc'): Promise<number> {
  return parseMemTotal((await readOptional(path.join(proc, 'meminfo'))) ?? '') ?? os.totalmem();
}

/** Counters of every interface but lo in the namespace of `pid`; undefined when the process is gone. */
export async function readNetworks(proc: string, pid: number): Promise<Record<string, NetworkStats> | undefined> {
  const text = await readOptional(path.join(proc, String(pid), 'net', 'dev'));
  if (text === undefined) return undefined;
  const out: Record<string, NetworkStats> = {};
  for (const [name, counters] of parseNetDev(text)) if (name !== 'lo') out[name] = counters;
  return out;
}

/** Go's RFC3339Nano: UTC, fraction without trailing zeros. */
export function formatTime(d: Date): string {
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  return d.toISOString().slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}
