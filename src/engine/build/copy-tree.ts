/**
 * Copying a directory tree into a rootfs (the contents of a COPY directory
 * source), entry by entry with the rules of copy-apply.ts, and fast: each
 * file costs several system calls, each a trip through libuv's thread pool,
 * so the work runs many entries at a time, in phases that keep the order
 * that matters:
 *
 * 1. walk the source, a level at a time (readdir, lstat), leaving out what
 *    --exclude names;
 * 2. directories, parents before children (made, or merged into an
 *    existing directory; whatever else is in the way removed);
 * 3. files, symlinks, fifos and devices (the first of each set of hard
 *    links copied);
 * 4. the other hard links of each set, linked to the first;
 * 5. directories' times, once nothing more is written into them.
 *
 * Under a directory this copy made, nothing can be in the way, so no lstat
 * of the destination is spent there.
 */
import { constants, type Stats } from 'node:fs';
import { chmod, copyFile, lchown, link, lstat, lutimes, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { native } from '../../drivers/native.ts';
import { isErrno } from '../../util/errors.ts';
import type { Identity } from './copy-chown.ts';
import type { CopyExcludes } from './copy-excludes.ts';

export interface TreeOptions {
  /** Owner of every entry; undefined keeps the source's. */
  owner?: Identity;
  /** --chmod for every file and directory. */
  mode?: number;
  excludes?: CopyExcludes;
  signal?: AbortSignal;
}

/** Entries in flight at once: enough to keep the thread pool busy while the event loop hops between calls. */
const IN_FLIGHT = 64;

interface Node {
  rel: string;
  src: string;
  dest: string;
  st: Stats;
}

/** Runs `fn` on every item, at most `limit` at a time; the first failure stops the rest and is thrown. */
export async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      signal?.throwIfAborted();
      await fn(items[next++]!);
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, () =>
    worker().catch((err: unknown) => {
      failure ??= { err };
    }),
  );
  await Promise.all(workers);
  if (failure) throw failure.err;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** The source tree below `srcRoot`, level by level, each level in name order. */
async function walk(srcRoot: string, destRoot: string, options: TreeOptions): Promise<Node[][]> {
  const levels: Node[][] = [];
  let dirs: { rel: string; src: string; dest: string }[] = [{ rel: '', src: srcRoot, dest: destRoot }];
  while (dirs.length > 0) {
    const listed: { rel: string; src: string; dest: string }[][] = new Array(dirs.length);
    await inPool(dirs.map((d, i) => ({ d, i })), IN_FLIGHT, async ({ d, i }) => {
      const names = (await readdir(d.src)).sort();
      listed[i] = names.map((name) => ({ rel: d.rel === '' ? name : `${d.rel}/${name}`, src: path.join(d.src, name), dest: path.join(d.dest, name) }));
    }, options.signal);
    const candidates = listed.flat();
    const stats: (Stats | undefined)[] = new Array(candidates.length);
    await inPool(candidates.map((c, i) => ({ c, i })), IN_FLIGHT, async ({ c, i }) => {
      stats[i] = await lstat(c.src);
    }, options.signal);
    const level: Node[] = [];
    candidates.forEach((c, i) => {
      const st = stats[i]!;
      if (!options.excludes?.skips(c.rel, st.isDirectory())) level.push({ ...c, st });
    });
    levels.push(level);
    dirs = level.filter((n) => n.st.isDirectory());
  }
  return levels;
}

/**
 * Copies what is below the directory `srcRoot` into the host directory
 * `destRoot` (existing; `destFresh` when this copy just made it, empty).
 */
export async function copyTree(srcRoot: string, destRoot: string, destFresh: boolean, options: TreeOptions): Promise<void> {
  const levels = await walk(srcRoot, destRoot, options);
  const fresh = new Set<string>(destFresh ? [destRoot] : []);
  const dirs: Node[] = [];
  for (const level of levels) {
    const levelDirs = level.filter((n) => n.st.isDirectory());
    await inPool(levelDirs, IN_FLIGHT, async (n) => {
      let make = fresh.has(path.dirname(n.dest));
      if (!make) {
        const existing = await lstatOrUndefined(n.dest);
        if (existing && !existing.isDirectory()) await rm(n.dest, { recursive: true, force: true });
        make = !existing?.isDirectory();
      }
      if (make) {
        await mkdir(n.dest);
        fresh.add(n.dest);
      }
      await setAttributes(n.dest, n.st, options, false);
    }, options.signal);
    dirs.push(...levelDirs);
  }
  const firsts = new Map<string, Node>();
  const primaries: Node[] = [];
  const links: { node: Node; first: Node }[] = [];
  for (const n of levels.flat()) {
    if (n.st.isDirectory() || n.st.isSocket()) continue;
    if (n.st.isFile() && n.st.nlink > 1) {
      const inode = `${n.st.dev}:${n.st.ino}`;
      const first = firsts.get(inode);
      if (first) {
        links.push({ node: n, first });
        continue;
      }
      firsts.set(inode, n);
    }
    primaries.push(n);
  }
  const clear = async (n: Node): Promise<void> => {
    if (fresh.has(path.dirname(n.dest))) return;
    if (await lstatOrUndefined(n.dest)) await rm(n.dest, { recursive: true, force: true });
  };
  await inPool(primaries, IN_FLIGHT, async (n) => {
    await clear(n);
    await placeEntry(n.src, n.st, n.dest, options);
  }, options.signal);
  await inPool(links, IN_FLIGHT, async ({ node, first }) => {
    await clear(node);
    await link(first.dest, node.dest);
  }, options.signal);
  await inPool(dirs, IN_FLIGHT, async (n) => lutimes(n.dest, seconds(n.st), seconds(n.st)), options.signal);
}

/** Writes one non-directory entry at `dest` (nothing there) with its attributes; sockets are skipped. */
export async function placeEntry(src: string, st: Stats, dest: string, options: TreeOptions): Promise<void> {
  if (st.isFile()) await copyFile(src, dest, constants.COPYFILE_FICLONE);
  else if (st.isSymbolicLink()) await symlink(await readlink(src), dest);
  else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) native().mknod(dest, st.mode & 0o177777, st.rdev);
  else return;
  await setAttributes(dest, st, options, true);
  // Docker's tar carries security.capability (its only xattr); its chown to the copy's owner then drops it, as the kernel does.
  if (st.isFile() && options.owner === undefined) copyCapability(src, dest);
}

const CAPABILITY_XATTR = 'security.capability';

function copyCapability(src: string, dest: string): void {
  let value: Buffer | null;
  try {
    value = native().lgetxattr(src, CAPABILITY_XATTR);
  } catch {
    return; // no xattrs on the source's filesystem: nothing to carry
  }
  if (value) native().lsetxattr(dest, CAPABILITY_XATTR, value);
}

/** Owner, then mode, then times (directories' are set last, by the caller). */
async function setAttributes(dest: string, st: Stats, options: TreeOptions, withTimes: boolean): Promise<void> {
  const owner = options.owner ?? { uid: st.uid, gid: st.gid };
  await lchown(dest, owner.uid, owner.gid);
  if (!st.isSymbolicLink()) await chmod(dest, options.mode ?? modeAfterChown(st, options.owner !== undefined));
  if (withTimes) await lutimes(dest, seconds(st), seconds(st));
}

/**
 * The mode the classic builder leaves: it writes an entry with its mode,
 * then chowns it to the copy's owner (fixPermissions), and the kernel's
 * chown drops a file's setuid bit, and its setgid bit when group-execute
 * is set (directories keep theirs). Files keeping their owners (from an
 * image, no --chown) are not chowned and keep every bit.
 */
export function modeAfterChown(st: Stats, chowned: boolean): number {
  let mode = st.mode & 0o7777;
  if (!chowned || st.isDirectory()) return mode;
  mode &= ~0o4000;
  if ((mode & 0o2010) === 0o2010) mode &= ~0o2000;
  return mode;
}

/** The mtime in whole seconds, as Docker's tar headers carry it (the access time alike). */
function seconds(st: Stats): number {
  return Math.floor(st.mtimeMs / 1000);
}
