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
 * - every copied entry keeps its mode (or gets --chmod; a chowned file
 *   loses setuid/setgid as the kernel's chown drops them) and its mtime (whole
 *   seconds, as it would through Docker's tar; the access time alike), and
 *   is owned by the copy's owner, or keeps its own owner when `owner` is
 *   undefined (files from an image or stage without --chown); symlinks stay
 *   symlinks; hard links among a directory's files stay hard links; fifos
 *   and devices are made again; sockets are skipped (tar has none);
 * - what is in the way is replaced, except a directory met by a directory,
 *   which is merged (and takes the source's mode, owner and time).
 *
 * Files are copied with copyFile (a reflink where the filesystem has them,
 * else the kernel's copy), never read into memory; a directory's entries
 * many at a time (copy-tree.ts).
 */
import type { Stats } from 'node:fs';
import { chmod, lchown, lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isErrno, SystemError } from '../../util/errors.ts';
import { hostPathOf, resolveInRoot } from '../containers/archive/resolve-in-root.ts';
import { goStrerror } from '../containers/archive/go-errno.ts';
import type { Identity } from './copy-chown.ts';
import type { CopyExcludes } from './copy-excludes.ts';
import { copyTree, placeEntry } from './copy-tree.ts';

export interface CopyTarget {
  /** Host path of the rootfs. */
  rootfs: string;
  /** Owner of every copied entry; undefined keeps the source's owners. */
  owner?: Identity;
  /** --chmod: the permission bits of every copied file and directory. */
  mode?: number;
  /** --exclude: entries of a copied directory left out, by path relative to it. */
  excludes?: CopyExcludes;
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

/**
 * A failure of the copy in dockerd's words (`failed to copy files: …`),
 * a system call's error naming container paths, never the host paths of
 * the data root that Node's messages carry.
 */
export function copyFailure(rootfs: string, err: unknown, context?: string): Error {
  const prefix = context ? `failed to copy files: ${context}: ` : 'failed to copy files: ';
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (err instanceof SystemError) return new SystemError(`${prefix}${err.message}`, { cause: err });
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string') return err instanceof Error ? err : new SystemError(String(err));
  const inside = (hostPath: string): string =>
    hostPath === rootfs || hostPath.startsWith(`${rootfs}/`) ? path.posix.join('/', hostPath.slice(rootfs.length)) : path.posix.basename(hostPath);
  const paths = [e.path, e.dest].filter((p): p is string => typeof p === 'string').map(inside);
  return new SystemError(`${prefix}${[e.syscall, ...paths].join(' ')}: ${goStrerror(e.code)}`, { cause: err });
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
      const code = (err as NodeJS.ErrnoException).code;
      throw typeof code === 'string' ? new SystemError(`mkdir ${current}: ${goStrerror(code)}`, { cause: err }) : err;
    }
    await lchown(hostPath, owner.uid, owner.gid);
    await chmod(hostPath, 0o755);
  }
  return resolved.hostPath;
}

/** Copies the file `src` to the container path `dest` (its parent made as needed). */
export async function copyFileTo(src: string, dest: string, target: CopyTarget): Promise<void> {
  const owner = target.owner;
  const parent = await ensureDirectory(target.rootfs, path.posix.dirname(dest), owner ?? ROOT).catch((err: unknown) => {
    throw err instanceof SystemError ? new SystemError(`failed to create new directory: ${err.message}`, { cause: err }) : err;
  });
  const hostPath = path.join(parent, path.posix.basename(dest));
  const st = await lstat(src);
  if (await lstatOrUndefined(hostPath)) await rm(hostPath, { recursive: true, force: true });
  await placeEntry(src, st, hostPath, target);
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
  await copyTree(src, hostPath, !existed, target);
}
