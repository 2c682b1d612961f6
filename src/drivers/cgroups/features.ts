/**
 * Which optional cgroup knobs this host has, asked once, as dockerd's
 * sysinfo does: on cgroup v1 the blkio controller offers `blkio.weight`
 * and `blkio.weight_device` only under the CFQ/BFQ I/O schedulers; on v2
 * the io controller must be enabled at the root.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CGROUP_ROOT, detectCgroupVersion } from './paths.ts';

export interface BlkioFeatures {
  weight: boolean;
  weightDevice: boolean;
}

let cached: Promise<BlkioFeatures> | undefined;

export function blkioFeatures(root: string = CGROUP_ROOT): Promise<BlkioFeatures> {
  cached ??= probe(root);
  return cached;
}

async function probe(root: string): Promise<BlkioFeatures> {
  const exists = (p: string) => access(p).then(
    () => true,
    () => false,
  );
  if ((await detectCgroupVersion(root)) === 2) {
    const controllers = await readFile(path.join(root, 'cgroup.controllers'), 'utf8').catch(() => '');
    const io = controllers.split(/\s+/).includes('io');
    return { weight: io, weightDevice: io };
  }
  const blkio = path.join(root, 'blkio');
  return { weight: await exists(path.join(blkio, 'blkio.weight')), weightDevice: await exists(path.join(blkio, 'blkio.weight_device')) };
}
