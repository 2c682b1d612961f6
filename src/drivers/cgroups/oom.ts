/**
 * OOM-kill detection for `State.OOMKilled`: the kernel counts OOM kills per
 * memory cgroup (v1 `memory.oom_control`, v2 `memory.events`, both `oom_kill`).
 * A container's cgroup is its own, so a count above zero means one of its
 * processes was killed for memory. Read it when the container exits, before
 * the runtime removes the cgroup.
 */
import path from 'node:path';
import { parseFlatKeyed } from './parse.ts';
import { CGROUP_ROOT, detectCgroupVersion, v1ControllerDir, v2Dir, type CgroupVersion } from './paths.ts';
import { readOptional } from './read-file.ts';

/** The oom_kill counter of a cgroup's memory.oom_control (v1) or memory.events (v2) text. */
export function parseOomKillCount(text: string): number {
  return parseFlatKeyed(text)['oom_kill'] ?? 0;
}

/** OOM kills recorded in the container's cgroup; 0 when the cgroup is gone or unreadable. */
export async function readOomKillCount(cgroupsPath: string, root: string = CGROUP_ROOT, version?: CgroupVersion): Promise<number> {
  const v = version ?? (await detectCgroupVersion(root));
  const file =
    v === 2 ? path.join(v2Dir(root, cgroupsPath), 'memory.events') : path.join(await v1ControllerDir(root, 'memory', cgroupsPath), 'memory.oom_control');
  return parseOomKillCount((await readOptional(file)) ?? '');
}

export async function wasOomKilled(cgroupsPath: string, root: string = CGROUP_ROOT, version?: CgroupVersion): Promise<boolean> {
  return (await readOomKillCount(cgroupsPath, root, version)) > 0;
}
