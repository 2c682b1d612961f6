/**
 * What the cgroup readers produce. Field names are Docker's stats JSON names
 * (see src/wire/stats.ts, which drivers may not import) so the engine passes
 * these pieces through unchanged.
 */
export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface NetDevCounters {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface CpuSample {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface MemorySample {
  usage?: number;
  max_usage?: number;
  stats?: Record<string, number>;
  failcnt?: number;
  limit?: number;
}

export interface BlkioSample {
  io_service_bytes_recursive: BlkioEntry[] | null;
  io_serviced_recursive: BlkioEntry[] | null;
  io_queue_recursive: BlkioEntry[] | null;
  io_service_time_recursive: BlkioEntry[] | null;
  io_wait_time_recursive: BlkioEntry[] | null;
  io_merged_recursive: BlkioEntry[] | null;
  io_time_recursive: BlkioEntry[] | null;
  sectors_recursive: BlkioEntry[] | null;
}

/** One reading of a container's cgroup (v1 or v2). */
export interface CgroupSample {
  cpu_stats: CpuSample;
  memory_stats: MemorySample;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: BlkioSample;
}

/** A whole stats document, structurally Docker's `ContainerStats` (src/wire/stats.ts). */
export interface StatsDocument extends CgroupSample {
  read: string;
  preread: string;
  num_procs: number;
  storage_stats: Record<string, never>;
  precpu_stats: CpuSample;
  name: string;
  id: string;
  networks?: Record<string, NetDevCounters>;
}
