/** Shared checks of the volume tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** Mount points at or below `root` in /proc/mounts. */
export function mountsUnder(root: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === root || m.startsWith(root + '/'));
}

/** Nothing of `root` is mounted (checked at a test's end, while its daemon still runs). */
export function assertNoMounts(root: string): void {
  assert.deepEqual(mountsUnder(root), [], `mounts of ${root} left behind`);
}

/** The keys of a volume as dockerd writes them. */
export const VOLUME_KEYS = ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope'];
