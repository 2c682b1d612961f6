/**
 * What the cgroup readers produce: pieces of Docker's stats document
 * (`src/wire/stats.ts`), with its field names, so the engine passes them
 * through unchanged.
 */
import type { ContainerStats } from '../../wire/stats.ts';

/** One reading of a container's cgroup (v1 or v2): the parts of the stats document a cgroup holds. */
export type CgroupSample = Pick<ContainerStats, 'cpu_stats' | 'memory_stats' | 'pids_stats' | 'blkio_stats'>;
