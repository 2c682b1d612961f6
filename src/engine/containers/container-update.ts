/**
 * `docker update` as pure steps: the HostConfig an update leads to (with
 * dockerd's reading of the CLI's zeros and its refusals), and the cgroup
 * resources to hand a live container's runtime.
 */
import type { HostConfig } from '../../wire/container-config.ts';
import type { UpdateConfig } from '../../wire/container.ts';
import { toOciResources } from '../../drivers/runtime/spec/resources.ts';
import type { OciResources } from '../../drivers/runtime/spec/types.ts';
import { ConflictError } from '../../util/errors.ts';
import { validateRestartPolicy } from './restart-policy.ts';

/** The resources `docker update` may change (besides RestartPolicy). */
export const UPDATABLE = [
  'Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'CpusetCpus', 'CpusetMems', 'PidsLimit', 'BlkioWeight', 'KernelMemory',
] as const;


/** dockerd's "Cannot update container …" refusal: options that conflict with the container's (409). */
export function cannotUpdate(id: string, message: string): ConflictError {
  return new ConflictError(`Cannot update container ${id}: ${message}`);
}

/**
 * The HostConfig after `changes` (a bad restart policy is refused). The
 * create-time checks run on it next, then `checkUpdateConflicts`.
 */
export function applyUpdate(current: HostConfig, changes: UpdateConfig): HostConfig {
  const next: HostConfig = { ...current };
  for (const key of UPDATABLE) {
    const value = changes[key];
    // 0 and "" are what the docker CLI sends for flags not given.
    if (key !== 'PidsLimit' && value !== undefined && value !== null && value !== 0 && value !== '') (next as Record<string, unknown>)[key] = value;
  }
  // dockerd: 0 leaves the limit as it is, a negative one lifts it (kept as 0).
  if (changes.PidsLimit !== undefined && changes.PidsLimit !== null && changes.PidsLimit !== 0) next.PidsLimit = changes.PidsLimit > 0 ? changes.PidsLimit : 0;
  if (changes.RestartPolicy?.Name) {
    next.RestartPolicy = { Name: changes.RestartPolicy.Name, MaximumRetryCount: changes.RestartPolicy.MaximumRetryCount ?? 0 };
    validateRestartPolicy(next.RestartPolicy);
  }
  if ((changes.NanoCpus ?? 0) > 0) {
    next.CpuQuota = 0;
    next.CpuPeriod = 0;
  }
  return next;
}

/** dockerd's refusals of changes that conflict with the container's settings (after its checks of the values). */
export function checkUpdateConflicts(id: string, current: HostConfig, changes: UpdateConfig): void {
  // Memory above the container's swap limit needs the swap raised with it. As in dockerd, a
  // container without one (0, or -1 for unlimited) counts as its value: it is refused too.
  if ((changes.Memory ?? 0) !== 0 && !changes.MemorySwap && changes.Memory! > (current.MemorySwap ?? 0)) {
    throw cannotUpdate(id, 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  if (changes.RestartPolicy?.Name && current.AutoRemove && changes.RestartPolicy.Name !== 'no') {
    throw cannotUpdate(id, 'Restart policy cannot be updated because AutoRemove is enabled for the container');
  }
}

/** What `runc update` gets for a live container moving from `current` to `next`. */
export function liveResources(current: HostConfig, next: HostConfig): OciResources {
  const resources = toOciResources(next);
  // No pids entry would leave the old limit in place: "-1" is runc's "max".
  if ((next.PidsLimit ?? 0) <= 0 && (current.PidsLimit ?? 0) > 0) resources.pids = { limit: -1 };
  return resources;
}

/**
 * What `runc update` gets to bring a live container's cgroup back to the
 * limits its record holds (recovery of an update cut short): a limit the
 * record does not have is lifted.
 */
export function recordedResources(hostConfig: HostConfig): OciResources {
  const resources = toOciResources(hostConfig);
  if ((hostConfig.PidsLimit ?? 0) <= 0) resources.pids = { limit: -1 };
  return resources;
}

/** dockerd's warnings for an update. */
export function updateWarnings(changes: UpdateConfig): string[] {
  return (changes.KernelMemory ?? 0) > 0 ? ['Specifying a kernel memory limit is deprecated and will be removed in a future release.'] : [];
}
