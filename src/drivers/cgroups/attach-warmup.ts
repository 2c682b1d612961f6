/**
 * Warming the kernel's cgroup migration lock before runc moves a process.
 *
 * Every write to a `cgroup.procs` file takes one global lock
 * (`cgroup_threadgroup_rwsem`), and its writer side first waits for an RCU
 * grace period, unless another migration happened a moment before. That
 * wait, 10 to 15 ms on our 2-core machines, falls inside `runc create` and
 * `runc exec`: runc moves the new process into the container's cgroups
 * before it lets it go on.
 *
 * Writing the daemon's own PID into the cgroup it is already in is a
 * migration that changes nothing. Started as a create or an exec begins, it
 * waits out the grace period while conmon and runc start up, and runc's own
 * migration a few milliseconds later finds the lock warm. Measured with
 * `runc create` alone: 37 ms cold, 26 ms warm.
 *
 * Failure of any kind (a read-only cgroupfs, no permission) turns the
 * warm-up off: it is an optimisation, never a condition.
 */
import fs from 'node:fs/promises';
import { CGROUP_ROOT } from './paths.ts';

let target: Promise<string | undefined> | undefined;
let inFlight: Promise<boolean> | undefined;

/**
 * Start a no-op migration of the daemon, unless one is already under way.
 * Never rejects; resolves true when the write went through (for tests:
 * callers do not wait for it).
 */
export function warmCgroupAttach(): Promise<boolean> {
  inFlight ??= (async () => {
    target ??= ownProcsFile();
    const file = await target;
    if (!file) return false;
    try {
      await fs.writeFile(file, String(process.pid));
      return true;
    } catch {
      target = Promise.resolve(undefined);
      return false;
    }
  })().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

/**
 * The `cgroup.procs` of the cgroup the daemon is in: on a unified (v2) host
 * the one hierarchy, else the first v1 hierarchy that is mounted where
 * `/proc/self/cgroup` says.
 */
async function ownProcsFile(): Promise<string | undefined> {
  const lines = await fs.readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const entries = lines
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, controllers = '', path = ''] = line.split(/:(.*?):/);
      return { controllers, path: path.trim() };
    });
  const unified = entries.find((e) => e.controllers === '');
  const candidates: string[] = [];
  if (unified) candidates.push(`${CGROUP_ROOT}${unified.path}`);
  for (const e of entries) {
    if (e.controllers === '') continue;
    const dir = e.controllers.startsWith('name=') ? e.controllers.slice('name='.length) : e.controllers;
    candidates.push(`${CGROUP_ROOT}/${dir}${e.path}`);
  }
  for (const dir of candidates) {
    const file = `${dir.replace(/\/+$/, '')}/cgroup.procs`;
    // A v1 or hybrid host has no cgroup.procs at the unified path under /sys/fs/cgroup itself.
    if (await fs.access(file).then(() => true, () => false)) return file;
  }
  return undefined;
}
