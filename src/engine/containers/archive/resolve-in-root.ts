/**
 * Path resolution inside a container's filesystem as seen from the host: the
 * root filesystem (the merged overlay dir) plus mounts (volumes, binds) whose
 * contents live elsewhere on the host.
 *
 * Every symlink met on the way is read and followed *inside* the container:
 * an absolute target restarts from the container's root and `..` never climbs
 * above it, so no path can escape to the host (what moby's
 * FollowSymlinkInScope guarantees). Components that do not exist are kept
 * lexically. Paths here are container paths (absolute, '/'-separated) unless
 * named `host…`.
 */
import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isErrno, SystemError } from '../../../util/errors.ts';
import { goSyscallError, refuseNul } from './go-errno.ts';

export interface MountPoint {
  /** Absolute path inside the container (already resolved, as runc mounted it). */
  destination: string;
  /** Host path of the mount's contents. */
  source: string;
  readOnly?: boolean;
}

export interface ContainerFs {
  /** Host path of the container's root filesystem (mounted by the caller). */
  root: string;
  mounts: readonly MountPoint[];
}

export interface ResolvedPath {
  /** The container path with every symlink resolved (only the last component may be a link when not followed). */
  containerPath: string;
  hostPath: string;
  /** The mount holding the path, if any. */
  mount?: MountPoint;
}

/** Linux's own limit on links followed in one lookup (MAXSYMLINKS is 40; moby allows 255). */
const MAX_LINKS = 255;

/** The host path of an already-resolved container path: under the longest matching mount, else under the root. */
export function hostPathOf(fs: ContainerFs, containerPath: string): { hostPath: string; mount?: MountPoint } {
  const p = path.posix.resolve('/', containerPath);
  let best: MountPoint | undefined;
  for (const m of fs.mounts) {
    const dest = path.posix.resolve('/', m.destination);
    if ((p === dest || p.startsWith(dest === '/' ? '/' : dest + '/')) && (!best || dest.length > path.posix.resolve('/', best.destination).length)) {
      best = m;
    }
  }
  if (!best) return { hostPath: p === '/' ? fs.root : path.join(fs.root, p) };
  const rest = path.posix.relative(path.posix.resolve('/', best.destination), p);
  return { hostPath: rest ? path.join(best.source, rest) : best.source, mount: best };
}

/** Resolve `p` (taken as absolute inside the container) to its real container and host paths. */
export async function resolveInRoot(
  fs: ContainerFs,
  p: string,
  options: { followFinalSymlink: boolean },
): Promise<ResolvedPath> {
  refuseNul('lstat', p);
  let resolved = '/';
  const pending = split(p);
  let links = 0;
  while (pending.length) {
    const c = pending.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      resolved = path.posix.dirname(resolved);
      continue;
    }
    const next = path.posix.join(resolved, c);
    if (pending.length === 0 && !options.followFinalSymlink) {
      resolved = next;
      break;
    }
    const { hostPath } = hostPathOf(fs, next);
    let isLink = false;
    try {
      isLink = (await lstat(hostPath)).isSymbolicLink();
    } catch (err) {
      // A missing (or not-a-directory) component is kept as written; the caller's stat reports it.
      if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw goSyscallError(err, 'lstat', next) ?? err;
    }
    if (!isLink) {
      resolved = next;
      continue;
    }
    if (++links > MAX_LINKS) throw new SystemError(`too many links in ${p}`);
    const target = await readlink(hostPath);
    if (target.startsWith('/')) resolved = '/';
    pending.unshift(...split(target));
  }
  return { containerPath: resolved, ...hostPathOf(fs, resolved) };
}

function split(p: string): string[] {
  return p.split('/').filter((c) => c !== '');
}
