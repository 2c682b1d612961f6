/**
 * Where a container's cgroup lives. Berth asks runc (cgroupfs driver) for the
 * cgroupsPath `/berth/<id>`; runc creates it under every v1 controller
 * hierarchy (`/sys/fs/cgroup/<controller>/berth/<id>`) or once under the v2
 * unified hierarchy (`/sys/fs/cgroup/berth/<id>`).
 *
 * Version detection: the unified layout has `cgroup.controllers` at the root.
 * A hybrid host (v1 controllers plus an almost empty v2 tree at
 * /sys/fs/cgroup/unified, as on our machines) counts as v1: the controllers
 * are where the numbers are.
 */
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';

export type CgroupVersion = 1 | 2;
export const CGROUP_ROOT = '/sys/fs/cgroup';
export const DEFAULT_CGROUP_PARENT = '/berth';

/** The cgroupsPath put in a container's OCI spec (`linux.cgroupsPath`). */
export function cgroupsPathFor(id: string, parent: string = DEFAULT_CGROUP_PARENT): string {
  return path.posix.join('/', parent, id);
}

const versions = new Map<string, Promise<CgroupVersion>>();

export function detectCgroupVersion(root: string = CGROUP_ROOT): Promise<CgroupVersion> {
  let v = versions.get(root);
  if (!v) {
    v = access(path.join(root, 'cgroup.controllers')).then(
      () => 2 as const,
      () => 1 as const,
    );
    versions.set(root, v);
  }
  return v;
}

const v1Mounts = new Map<string, Promise<string[]>>();

/**
 * The v1 hierarchy directory holding `controller`: `cpuacct` alone, or a
 * co-mounted `cpu,cpuacct` on hosts that join them.
 */
export async function v1ControllerDir(root: string, controller: string, cgroupsPath: string): Promise<string> {
  let names = v1Mounts.get(root);
  if (!names) {
    names = readdir(root).catch(() => [] as string[]);
    v1Mounts.set(root, names);
  }
  const list = await names;
  const dir = list.includes(controller) ? controller : (list.find((n) => n.split(',').includes(controller)) ?? controller);
  return path.join(root, dir, cgroupsPath);
}

export function v2Dir(root: string, cgroupsPath: string): string {
  return path.join(root, cgroupsPath);
}
