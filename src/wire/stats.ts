/**
 * `GET /containers/{id}/stats` JSON, with Docker's field names (moby
 * api/types/stats.go). Fields Docker marks `omitempty` are optional here and
 * left out when zero. The docker CLI computes from these:
 * - CPU % = (cpu_stats.cpu_usage.total_usage - precpu_stats.cpu_usage.total_usage)
 *         / (cpu_stats.system_cpu_usage - precpu_stats.system_cpu_usage)
 *         * online_cpus (or len(percpu_usage)) * 100
 * - MEM USAGE = memory_stats.usage - stats.total_inactive_file (v1) or
 *   - stats.inactive_file (v2); LIMIT = memory_stats.limit
 * - NET I/O sums networks.*.rx_bytes/tx_bytes; BLOCK I/O sums
 *   blkio_stats.io_service_bytes_recursive by op "read"/"write" (any case).
 */
export interface ThrottlingData {
  periods: number;
  throttled_periods: number;
  throttled_time: number;
}

export interface CpuUsage {
  /** Nanoseconds of CPU time. */
  total_usage: number;
  /** Per-CPU nanoseconds (cgroup v1 only). */
  percpu_usage?: number[];
  usage_in_kernelmode: number;
  usage_in_usermode: number;
}

export interface CpuStats {
  cpu_usage: CpuUsage;
  /** Host CPU time in nanoseconds since boot (from /proc/stat). */
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: ThrottlingData;
}

export interface MemoryStats {
  usage?: number;
  /** cgroup v1 only. */
  max_usage?: number;
  /** Every key of memory.stat. */
  stats?: Record<string, number>;
  failcnt?: number;
  /** The cgroup's limit, or the host's total memory when unlimited. */
  limit?: number;
}

export interface BlkioStatEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface BlkioStats {
  io_service_bytes_recursive: BlkioStatEntry[] | null;
  io_serviced_recursive: BlkioStatEntry[] | null;
  io_queue_recursive: BlkioStatEntry[] | null;
  io_service_time_recursive: BlkioStatEntry[] | null;
  io_wait_time_recursive: BlkioStatEntry[] | null;
  io_merged_recursive: BlkioStatEntry[] | null;
  io_time_recursive: BlkioStatEntry[] | null;
  sectors_recursive: BlkioStatEntry[] | null;
}

export interface PidsStats {
  current?: number;
  limit?: number;
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

/** Windows-only counters; always `{}` on Linux. */
export type StorageStats = Record<string, never>;

export interface ContainerStats {
  /** RFC3339Nano time of this sample. */
  read: string;
  /** Time of the previous sample, or "0001-01-01T00:00:00Z". */
  preread: string;
  pids_stats: PidsStats;
  blkio_stats: BlkioStats;
  num_procs: number;
  storage_stats: StorageStats;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: MemoryStats;
  /** "/" + the container's name. */
  name: string;
  id: string;
  /** By interface name inside the container (lo excluded); absent without a network. */
  networks?: Record<string, NetworkStats>;
}
