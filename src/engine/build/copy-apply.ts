/**
 * Writing one COPY/ADD source into a mounted rootfs, with the classic
 * builder's results (moby builder/dockerfile/copy.go performCopyForInfo,
 * copyFile, copyDirectory, fixPermissions; checked side by side on Docker
 * 20.10):
 *
 * - the destination is resolved inside the rootfs (every symlink followed
 *   within it, never out of it);
 * - a file goes *into* the destination when it ends in '/' or is an
 *   existing directory, under its source's base name, else *becomes* the
 *   destination; missing parents are created 0755, owned by the copy's
 *   owner;
 * - a directory's *contents* go into the destination; when the destination
 *   is new it is made 0755 with a fresh time, its missing parents owned by
 *   root and itself by the copy's owner;
 * - every copied entry keeps its mode (or gets --chmod) and its mtime (whole
 *   seconds, as it would through Docker's tar; the access time alike), and
 *   is owned by the copy's owner, or keeps its own owner when `owner` is
 *   undefined (files from an image or stage without --chown); symlinks stay
 *   symlinks; hard links among a directory's files stay hard links; fifos
 *   and devices are made again; sockets are skipped (tar has none);
 * - what is in the way is replaced, except a directory met by a directory,
 *   which is merged (and takes the source's mode, owner and time).
 *
 * Files are copied with copyFile (a reflink where the filesystem has them,
 * else the kernel's copy), never read into memory.
 */
import { constants, type Stats } from 'node:fs';
import { chmod, copyFile, lchown, link, lstat, lutimes, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { native } from '../../drivers/native.ts';
import { isErrno, SystemError } from '../../util/errors.ts';
import { hostPathOf, resolveInRoot } from '../containers/archive/resolve-in-root.ts';
import { goStrerror } from '../containers/archive/go-errno.ts';
import type { Identity } from './copy-chown.ts';

export interface CopyTarget {
  /** Host path of the rootfs. */
  rootfs: string;
  /** Owner of every copied entry; undefined keeps the source's owners. */
  owner?: Identity;
  /** --chmod: the permission bits of every copied file and directory. */
  mode?: number;
  signal?: AbortSignal;
}

const ROOT: Identity = { uid: 0, gid: 0 };

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** A failed system call, named with container paths as dockerd names them. */
function fsError(err: unknown, op: string, containerPath: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string') return err;
  return new SystemError(`${op} ${containerPath}: ${goStrerror(code)}`, { cause: err });
}

/** Resolves a container path inside the rootfs (symlinks followed within it). */
export async function resolveDest(rootfs: string, containerPath: string): Promise<{ containerPath: string; hostPath: string }> {
  const r = await resolveInRoot({ root: rootfs, mounts: [] }, containerPath, { followFinalSymlink: true });
  return { containerPath: r.containerPath, hostPath: r.hostPath };
}

/**
 * idtools.MkdirAllAndChownNew: the directories of `containerDir` that do not
 * exist are made 0755 and owned by `owner`; existing ones are left alone.
 */
export async function ensureDirectory(rootfs: string, containerDir: string, owner: Identity): Promise<string> {
  const resolved = await resolveDest(rootfs, containerDir);
  let current = '/';
  for (const part of resolved.containerPath.split('/').filter(Boolean)) {
    current = path.posix.join(current, part);
    const { hostPath } = hostPathOf({ root: rootfs, mounts: [] }, current);
    const st = await lstatOrUndefined(hostPath);
    if (st?.isDirectory()) continue;
    if (st) throw new SystemError(`mkdir ${current}: not a directory`);
    try {
      await mkdir(hostPath);
    } catch (err) {
      throw fsError(err, 'mkdir', current);
    }
    await lchown(hostPath, owner.uid, owner.gid);
    await chmod(hostPath, 0o755);
  }
  return resolved.hostPath;
}

/** Copies the file `src` to the container path `dest` (its parent made as needed). */
export async function copyFileTo(src: string, dest: string, target: CopyTarget): Promise<void> {
  const owner = target.owner;
  const parent = await ensureDirectory(target.rootfs, path.posix.dirname(dest), owner ?? ROOT);
  const hostPath = path.join(parent, path.posix.basename(dest));
  const st = await lstat(src);
  await place(src, st, hostPath, target, new Map());
}

/** Copies the contents of the directory `src` into the container path `dest`. */
export async function copyDirectoryTo(src: string, dest: string, target: CopyTarget): Promise<void> {
  const resolved = await resolveDest(target.rootfs, dest);
  const existed = (await lstatOrUndefined(resolved.hostPath))?.isDirectory() ?? false;
  const hostPath = await ensureDirectory(target.rootfs, resolved.containerPath, ROOT);
  if (!existed) {
    const owner = target.owner ?? ROOT;
    await lchown(hostPath, owner.uid, owner.gid);
    if (target.mode !== undefined) await chmod(hostPath, target.mode);
  }
  const dirTimes: { hostPath: string; st: Stats }[] = [];
  await copyChildren(src, hostPath, target, new Map(), dirTimes);
  // Deepest first: setting a directory's time after its children were written.
  for (const d of dirTimes.reverse()) await lutimes(d.hostPath, seconds(d.st), seconds(d.st));
}

async function copyChildren(srcDir: string, destDir: string, target: CopyTarget, links: Map<string, string>, dirTimes: { hostPath: string; st: Stats }[]): Promise<void> {
  const names = (await readdir(srcDir)).sort();
  for (const name of names) {
    target.signal?.throwIfAborted();
    const src = path.join(srcDir, name);
    const dest = path.join(destDir, name);
    const st = await lstat(src);
    if (st.isDirectory()) {
      const existing = await lstatOrUndefined(dest);
      if (!existing?.isDirectory()) {
        if (existing) await rm(dest, { recursive: true, force: true });
        await mkdir(dest);
      }
      await setAttributes(dest, st, target, false);
      await copyChildren(src, dest, target, links, dirTimes);
      dirTimes.push({ hostPath: dest, st });
      continue;
    }
    await place(src, st, dest, target, links);
  }
}

/** Writes one non-directory entry (replacing what is at `dest`) with its attributes. */
async function place(src: string, st: Stats, dest: string, target: CopyTarget, links: Map<string, string>): Promise<void> {
  if (st.isSocket()) return;
  const existing = await lstatOrUndefined(dest);
  if (existing) await rm(dest, { recursive: true, force: true });
  if (st.isFile()) {
    const inode = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? links.get(inode) : undefined;
    if (first !== undefined) {
      await link(first, dest);
      return;
    }
    await copyFile(src, dest, constants.COPYFILE_FICLONE);
    if (st.nlink > 1) links.set(inode, dest);
  } else if (st.isSymbolicLink()) {
    await symlink(await readlink(src), dest);
  } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
    native().mknod(dest, (st.mode & 0o170000) | (st.mode & 0o7777), st.rdev);
  } else {
    return;
  }
  await setAttributes(dest, st, target, true);
}

/** Owner, then mode (a chown clears setuid bits), then times (directories' are set by the caller, last). */
async function setAttributes(dest: string, st: Stats, target: CopyTarget, withTimes: boolean): Promise<void> {
  const owner = target.owner ?? { uid: st.uid, gid: st.gid };
  await lchown(dest, owner.uid, owner.gid);
  if (!st.isSymbolicLink()) await chmod(dest, target.mode ?? st.mode & 0o7777);
  if (withTimes) await lutimes(dest, seconds(st), seconds(st));
}

/** The mtime in whole seconds, as Docker's tar headers carry it (access time alike). */
function seconds(st: Stats): number {
  return Math.floor(st.mtimeMs / 1000);
}
