/**
 * Id-mapped bind mounts (the kernel's MOUNT_ATTR_IDMAP, Linux ≥ 5.12), made
 * by the daemon because runc 1.1 cannot: a clone of a host directory's
 * mount tree, id-mapped through a throwaway user namespace, attached at a
 * staging directory that the container's spec then binds (a bind of an
 * id-mapped mount keeps its mapping).
 *
 * Direction, as the kernel applies it (verified on 6.18, ext4): a file's
 * on-disk id is read as an id INSIDE the namespace and shown as the id
 * OUTSIDE it, and a writer's id goes the other way. So a range
 * `{ host: 2000, container: 1000 }` becomes the uid_map line
 * "2000 1000 1": the host's 2000 shows as 1000 through the mount, and a
 * process running as 1000 creates files owned by 2000 on the host. Ids
 * outside every range show as the overflow id (65534) and cannot create
 * files.
 *
 * The filesystem must support id-mapped mounts (ext4, xfs, btrfs, tmpfs
 * since 6.3, overlayfs …); others fail with EINVAL from mount_setattr.
 *
 * Staging directories are only ever removed with rmdir, never
 * recursively: a mount that failed to come off must not take the user's
 * files with it.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { MNT_DETACH, native } from '../native.ts';
import { SystemError, isErrno } from '../../util/errors.ts';

/** One contiguous range: `size` ids from `host` (on disk) shown as from `container`. */
export interface IdRange {
  host: number;
  container: number;
  size: number;
}

export interface IdMapping {
  uids: IdRange[];
  gids: IdRange[];
}

/** Every id as itself (the initial user namespace's map), for a kind the user left out. */
export const ALL_IDS: IdRange = { host: 0, container: 0, size: 4294967295 };

/** The uid_map/gid_map text of ranges: "inside outside count" lines, inside being the on-disk id. */
export function idMapText(ranges: readonly IdRange[]): string {
  return ranges.map((r) => `${r.host} ${r.container} ${r.size}\n`).join('');
}

/**
 * Attach at `target` (made if missing) an id-mapped clone of `source`'s
 * mount tree (`recursive`: with its submounts, as an rbind). Idempotent: a
 * mount already at `target` (a start cut short) is taken off first.
 */
export function mountIdmapped(source: string, target: string, mapping: IdMapping, recursive: boolean): void {
  detachAll(target);
  try {
    // A file is mounted on a file, a directory on a directory.
    if (statSync(source).isDirectory()) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      closeSync(openSync(target, 'a'));
    }
    native().idmapMount(source, target, idMapText(mapping.uids), idMapText(mapping.gids), recursive);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.syscall === 'mount_setattr' && e.code === 'EINVAL'
        ? `the filesystem of ${source} (or of a mount below it) does not support id-mapped mounts`
        : e.message;
    throw new SystemError(`could not make the id-mapped mount of ${source}: ${e.syscall ?? 'stat'}: ${why}`, { cause: err });
  }
}

/** Take off whatever is mounted at `target` and remove it (a directory only if empty). Missing is fine. */
export function unmountIdmapped(target: string): void {
  detachAll(target);
  removeStaging(target);
}

/** rmdir, or unlink for a file's staging point; never recursive. */
function removeStaging(target: string): void {
  try {
    rmdirSync(target);
  } catch (err) {
    if (isErrno(err, 'ENOTDIR')) unlinkSync(target);
    else if (!isErrno(err, 'ENOENT')) throw err;
  }
}

/** Lazy unmounts until nothing is mounted at `target` (EINVAL: not a mount point). */
function detachAll(target: string): void {
  for (;;) {
    try {
      native().umount2(target, MNT_DETACH);
    } catch (err) {
      if (isErrno(err, 'EINVAL') || isErrno(err, 'ENOENT')) return;
      throw err;
    }
  }
}

/**
 * At daemon start: every mount under `root` taken off (deepest first), then
 * the staging directories (`root/<container>/<n>`) and `root` removed when
 * empty. What a crash left between a container's spec and its start.
 */
export function sweepIdmapped(root: string): void {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const mounted = mountPoints()
    .filter((m) => m.startsWith(prefix))
    .sort()
    .reverse();
  for (const m of mounted) detachAll(m);
  removeEmptyDirs(root, 2);
}

/**
 * rmdir of `dir` after its entries, to `depth` levels (root/<container>/<n>)
 * and no deeper: a directory that is still a mount (EBUSY) or holds
 * anything (ENOTEMPTY) stays, and nothing of what a mount shows is walked.
 */
function removeEmptyDirs(dir: string, depth: number): void {
  let names: string[] = [];
  try {
    if (depth > 0) names = readdirSync(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return;
    throw err;
  }
  for (const name of names) removeEmptyDirs(path.join(dir, name), depth - 1);
  try {
    if (depth === 0) removeStaging(dir);
    else rmdirSync(dir);
  } catch (err) {
    if (!['ENOTEMPTY', 'EBUSY', 'ENOENT', 'ENOTDIR'].some((code) => isErrno(err, code))) throw err;
  }
}

/** The mount points of this process's namespace, unescaped (mountinfo writes " " as \040). */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => Boolean(m))
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))));
}
