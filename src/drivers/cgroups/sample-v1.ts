/**
 * One reading of a container's cgroup v1 controllers, in Docker's shape
 * (what containerd's v1 metrics give moby's stats collector).
 */
import path from 'node:path';
import { parseFlatKeyed, parseNumberList, parseSingleValue, parseV1Blkio } from './parse.ts';
import { v1ControllerDir } from './paths.ts';
import { readOptional } from './read-file.ts';
import type { BlkioStats } from '../../wire/stats.ts';
import type { CgroupSample } from './types.ts';

/** USER_HZ: cpuacct.stat counts in these ticks; it is 100 on every Linux ABI. */
export const CLOCK_TICKS = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS;

export async function readV1Sample(root: string, cgroupsPath: string): Promise<CgroupSample> {
  const [cpuacct, cpu, memory, pids, blkio] = await Promise.all(
    ['cpuacct', 'cpu', 'memory', 'pids', 'blkio'].map((c) => v1ControllerDir(root, c, cgroupsPath)),
  );
  const read = (dir: string | undefined, file: string) => readOptional(path.join(dir!, file));
  const [usage, percpu, acctStat, cpuStat, memUsage, memMax, memFailcnt, memLimit, memStat, pidsCurrent, pidsMax] = await Promise.all([
    read(cpuacct, 'cpuacct.usage'),
    read(cpuacct, 'cpuacct.usage_percpu'),
    read(cpuacct, 'cpuacct.stat'),
    read(cpu, 'cpu.stat'),
    read(memory, 'memory.usage_in_bytes'),
    read(memory, 'memory.max_usage_in_bytes'),
    read(memory, 'memory.failcnt'),
    read(memory, 'memory.limit_in_bytes'),
    read(memory, 'memory.stat'),
    read(pids, 'pids.current'),
    read(pids, 'pids.max'),
  ]);
  const ticks = parseFlatKeyed(acctStat ?? '');
  const throttle = parseFlatKeyed(cpuStat ?? '');
  const percpuList = parseNumberList(percpu ?? '');
  const memory_stats: CgroupSample['memory_stats'] = {};
  if (memUsage !== undefined) {
    memory_stats.usage = parseSingleValue(memUsage) ?? 0;
    memory_stats.max_usage = parseSingleValue(memMax ?? '') ?? 0;
    memory_stats.stats = parseFlatKeyed(memStat ?? '');
    const failcnt = parseSingleValue(memFailcnt ?? '');
    if (failcnt) memory_stats.failcnt = failcnt;
    memory_stats.limit = parseSingleValue(memLimit ?? '') ?? 0;
  }
  const pids_stats: CgroupSample['pids_stats'] = {};
  const current = parseSingleValue(pidsCurrent ?? '');
  if (current) pids_stats.current = current;
  const limit = parseSingleValue(pidsMax ?? '');
  if (limit) pids_stats.limit = limit;
  return {
    cpu_stats: {
      cpu_usage: {
        total_usage: parseSingleValue(usage ?? '') ?? 0,
        ...(percpuList.length ? { percpu_usage: percpuList } : {}),
        usage_in_kernelmode: (ticks['system'] ?? 0) * NS_PER_TICK,
        usage_in_usermode: (ticks['user'] ?? 0) * NS_PER_TICK,
      },
      throttling_data: {
        periods: throttle['nr_periods'] ?? 0,
        throttled_periods: throttle['nr_throttled'] ?? 0,
        throttled_time: throttle['throttled_time'] ?? 0,
      },
    },
    memory_stats,
    pids_stats,
    blkio_stats: await readV1Blkio(blkio!),
  };
}

/** CFQ's recursive files when the kernel has them, else the throttle counters (as containerd reads them). */
async function readV1Blkio(dir: string): Promise<BlkioStats> {
  const read = async (file: string) => parseV1Blkio((await readOptional(path.join(dir, file))) ?? '');
  const cfq = await readOptional(path.join(dir, 'blkio.io_serviced_recursive'));
  if (cfq !== undefined) {
    const [bytes, queued, serviceTime, waitTime, merged, time, sectors] = await Promise.all([
      read('blkio.io_service_bytes_recursive'),
      read('blkio.io_queued_recursive'),
      read('blkio.io_service_time_recursive'),
      read('blkio.io_wait_time_recursive'),
      read('blkio.io_merged_recursive'),
      read('blkio.time_recursive'),
      read('blkio.sectors_recursive'),
    ]);
    return {
      io_service_bytes_recursive: bytes,
      io_serviced_recursive: parseV1Blkio(cfq),
      io_queue_recursive: queued,
      io_service_time_recursive: serviceTime,
      io_wait_time_recursive: waitTime,
      io_merged_recursive: merged,
      io_time_recursive: time,
      sectors_recursive: sectors,
    };
  }
  const [bytes, serviced] = await Promise.all([read('blkio.throttle.io_service_bytes'), read('blkio.throttle.io_serviced')]);
  return {
    io_service_bytes_recursive: bytes,
    io_serviced_recursive: serviced,
    io_queue_recursive: [],
    io_service_time_recursive: [],
    io_wait_time_recursive: [],
    io_merged_recursive: [],
    io_time_recursive: [],
    sectors_recursive: [],
  };
}
