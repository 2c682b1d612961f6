/**
 * The end-of-test check of the distribution tests: once the daemons are
 * stopped (which releases the containers prepared ahead of a start), nothing
 * under their roots is mounted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Daemon } from '../../helpers/daemon.ts';

export async function assertNoMounts(...daemons: Daemon[]): Promise<void> {
  for (const d of daemons) await d.stop();
  const points = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '));
  for (const d of daemons) {
    const left = points.filter((m) => [d.dataRoot, d.execRoot].some((root) => m === root || m.startsWith(`${root}/`)));
    assert.deepEqual(left, [], `mounts left under ${d.dataRoot} / ${d.execRoot}`);
  }
}
