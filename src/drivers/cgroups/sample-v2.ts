/**
 * One reading of a container's cgroup v2 directory, in Docker's shape (as
 * moby maps containerd's v2 metrics): no per-CPU usage and no max_usage;
 * usec counters become nanoseconds; failcnt is memory.events' oom count;
 * block I/O only as read/write bytes per device.
 */
import path from 'node:path';
import { parseFlatKeyed, parseSingleValue, parseV2IoStat } from './parse.ts';
import { v2Dir } from './paths.ts';
import { readOptional } from './read-file.ts';
import type { BlkioStatEntry } from '../../wire/stats.ts';
import type { CgroupSample } from './types.ts';

export async function readV2Sample(root: string, cgroupsPath: string): Promise<CgroupSample> {
  const dir = v2Dir(root, cgroupsPath);
  const read = (file: string) => readOptional(path.join(dir, file));
  const [cpuStat, memCurrent, memMax, memStat, memEvents, pidsCurrent, pidsMax, ioStat] = await Promise.all([
    read('cpu.stat'),
    read('memory.current'),
    read('memory.max'),
    read('memory.stat'),
    read('memory.events'),
    read('pids.current'),
    read('pids.max'),
    read('io.stat'),
  ]);
  const cpu = parseFlatKeyed(cpuStat ?? '');
  const memory_stats: CgroupSample['memory_stats'] = {};
  if (memCurrent !== undefined) {
    memory_stats.usage = parseSingleValue(memCurrent) ?? 0;
    memory_stats.stats = parseFlatKeyed(memStat ?? '');
    // "max" (unlimited) is left at 0 here; the caller substitutes the host's memory.
    memory_stats.limit = parseSingleValue(memMax ?? '') ?? 0;
    const oom = parseFlatKeyed(memEvents ?? '')['oom'];
    if (oom) memory_stats.failcnt = oom;
  }
  const pids_stats: CgroupSample['pids_stats'] = {};
  const current = parseSingleValue(pidsCurrent ?? '');
  if (current) pids_stats.current = current;
  const limit = parseSingleValue(pidsMax ?? '');
  if (limit) pids_stats.limit = limit;
  let bytes: BlkioStatEntry[] | null = null;
  if (ioStat !== undefined) {
    bytes = [];
    for (const d of parseV2IoStat(ioStat)) {
      bytes.push({ major: d.major, minor: d.minor, op: 'read', value: d.fields['rbytes'] ?? 0 });
      bytes.push({ major: d.major, minor: d.minor, op: 'write', value: d.fields['wbytes'] ?? 0 });
    }
  }
  return {
    cpu_stats: {
      cpu_usage: {
        total_usage: (cpu['usage_usec'] ?? 0) * 1000,
        usage_in_kernelmode: (cpu['system_usec'] ?? 0) * 1000,
        usage_in_usermode: (cpu['user_usec'] ?? 0) * 1000,
      },
      throttling_data: {
        periods: cpu['nr_periods'] ?? 0,
        throttled_periods: cpu['nr_throttled'] ?? 0,
        throttled_time: (cpu['throttled_usec'] ?? 0) * 1000,
      },
    },
    memory_stats,
    pids_stats,
    blkio_stats: {
      io_service_bytes_recursive: bytes,
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
  };
}
