/**
 * One overlay mount per container: the image's layers read-only below, the
 * container's own writable layer above. Mounting is a single mount(2) call
 * through the native addon (no `mount` process on the start path).
 */
import { mkdirSync, statSync } from 'node:fs';
import { native, MNT_DETACH } from '../native.ts';
import { isErrno } from '../../util/errors.ts';

export interface OverlayPlan {
  /** Top layer first, as overlayfs wants them. */
  lowerDirs: string[];
  upper: string;
  work: string;
  merged: string;
}

/** The mount data string for a plan (pure). */
export function overlayOptions(plan: OverlayPlan): string {
  return `lowerdir=${plan.lowerDirs.join(':')},upperdir=${plan.upper},workdir=${plan.work}`;
}

export async function isMountPoint(dir: string): Promise<boolean> {
  try {
    // Two stats of local directories: synchronous, as the thread pool's round trip costs more than the call.
    const self = statSync(dir);
    const parent = statSync(`${dir}/..`);
    return self.dev !== parent.dev || self.ino === parent.ino;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

/** Mount the overlay unless it is already mounted (idempotent). */
export async function ensureOverlayMounted(plan: OverlayPlan, emptyLower: string): Promise<void> {
  if (await isMountPoint(plan.merged)) return;
  for (const d of [plan.upper, plan.work, plan.merged]) mkdirSync(d, { recursive: true });
  // overlayfs needs at least one lower dir: an image without layers gets an empty one.
  const lowerDirs = plan.lowerDirs.length > 0 ? plan.lowerDirs : [emptyLower];
  if (plan.lowerDirs.length === 0) mkdirSync(emptyLower, { recursive: true });
  native().mount('overlay', plan.merged, 'overlay', 0, overlayOptions({ ...plan, lowerDirs }));
}

/** Unmount if mounted; a lazy detach so a busy mount never blocks removal. */
export async function unmount(dir: string): Promise<void> {
  try {
    native().umount2(dir, MNT_DETACH);
  } catch (err) {
    if (isErrno(err, 'EINVAL') || isErrno(err, 'ENOENT')) return; // not mounted
    throw err;
  }
}
