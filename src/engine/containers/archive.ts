/**
 * docker cp and docker export over a container's filesystem as the host
 * sees it: the mounted root filesystem plus the container's mounts (the
 * caller guarantees the rootfs stays mounted while these run).
 *
 * Path semantics follow moby's daemon/archive.go:
 * - stat and GET resolve every component but the last inside the container;
 *   the last is not followed, so a symlink is reported (with its fully
 *   resolved `linkTarget`) and archived as a link. A trailing "/" or "/."
 *   makes the last component resolve too: "/dir/" archives the directory
 *   under its own name, "/dir/." archives its contents under "." (docker cp's
 *   "copy the contents" form).
 * - PUT resolves the whole path, symlinks included, and it must be a
 *   directory.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isErrno, NotFoundError, SystemError } from '../../util/errors.ts';
import { absContainerPath, goBase, splitPath, toPathStat, type PathStat } from './archive/path-stat.ts';
import { hostPathOf, resolveInRoot, type ContainerFs, type MountPoint } from './archive/resolve-in-root.ts';
import { extractTar } from './archive/tar-extract.ts';
import { goSyscallError, refuseNul } from './archive/go-errno.ts';
import { tarError } from '../images/load.ts';
import { tarContainerPath, tarRootfs } from './archive/tar-writer.ts';

export type { ContainerFs, MountPoint, PathStat };
export { resolveInRoot };

export interface ArchiveTarget extends ContainerFs {
  /** The container as the user named it, for Docker's "Could not find the file" message. */
  ref: string;
  /** HostConfig.ReadonlyRootfs: writes outside writable mounts are refused. */
  readonlyRootfs?: boolean;
}

/** Docker's 404 for a path that does not exist in the container. */
export function fileNotFound(p: string, ref: string): NotFoundError {
  return new NotFoundError(`Could not find the file ${p} in container ${ref}`);
}

interface Located {
  absPath: string;
  /** Resolved container path of the last component (not followed unless the path ends in "/" or "/."). */
  containerPath: string;
  hostPath: string;
}

async function locate(target: ArchiveTarget, p: string): Promise<Located> {
  const absPath = absContainerPath(p);
  refuseNul('lstat', absPath);
  const { dir, base } = splitPath(absPath);
  const parent = await resolveInRoot(target, dir, { followFinalSymlink: true });
  if (base === '' || base === '.') {
    // lstat of "<dir>/" or "<dir>/." : the resolved directory itself, which must be a directory.
    return { absPath, containerPath: parent.containerPath, hostPath: parent.hostPath + '/' + base };
  }
  const containerPath = path.posix.join(parent.containerPath, base);
  return { absPath, containerPath, hostPath: hostPathOf(target, containerPath).hostPath };
}

/** HEAD /containers/{id}/archive: the stat Docker puts in the header. */
export async function statContainerPath(target: ArchiveTarget, p: string): Promise<PathStat> {
  return (await statLocated(target, p)).stat;
}

async function statLocated(target: ArchiveTarget, p: string): Promise<{ stat: PathStat; at: Located }> {
  const at = await locate(target, p);
  let st;
  try {
    st = await lstat(at.hostPath, { bigint: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw fileNotFound(p, target.ref);
    if (isErrno(err, 'ENOTDIR')) throw new SystemError(`lstat ${at.absPath}: not a directory`, { cause: err });
    throw goSyscallError(err, 'lstat', at.absPath) ?? err;
  }
  let linkTarget = '';
  if (st.isSymbolicLink()) linkTarget = (await resolveInRoot(target, at.absPath, { followFinalSymlink: true })).containerPath;
  return { stat: toPathStat(goBase(at.absPath), st, linkTarget), at };
}

/**
 * GET /containers/{id}/archive: the stat and a tar stream whose top entry
 * is named after the requested path's base name ("." for "/dir/.", "/" for
 * the root).
 */
export async function archiveContainerPath(target: ArchiveTarget, p: string, signal?: AbortSignal): Promise<{ stat: PathStat; stream: Readable }> {
  const { stat, at } = await statLocated(target, p);
  return { stat, stream: tarContainerPath(target, at.containerPath, goBase(at.absPath), signal) };
}

export interface ExtractToContainerOptions {
  noOverwriteDirNonDir: boolean;
  /** With copyUIDGID and a container User, the caller passes that user's ids. */
  chown?: { uid: number; gid: number };
  signal?: AbortSignal;
}

/** PUT /containers/{id}/archive: unpack a tar (or tar.gz) into a directory of the container. */
export async function extractToContainer(
  target: ArchiveTarget,
  p: string,
  content: AsyncIterable<Buffer>,
  options: ExtractToContainerOptions,
): Promise<void> {
  const resolved = await resolveInRoot(target, absContainerPath(p), { followFinalSymlink: true });
  let st;
  try {
    st = await lstat(resolved.hostPath);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw fileNotFound(p, target.ref);
    throw goSyscallError(err, 'lstat', resolved.containerPath) ?? err;
  }
  // Docker 20.10 answers these with 500 (plain errors wrapped as system errors), not 400/403.
  if (!st.isDirectory()) throw new SystemError('extraction point is not a directory');
  if (resolved.mount?.readOnly) throw new SystemError('mounted volume is marked read-only');
  if (!resolved.mount && target.readonlyRootfs) throw new SystemError('container rootfs is marked read-only');
  const extractOptions: Parameters<typeof extractTar>[3] = { noOverwriteDirNonDir: options.noOverwriteDirNonDir };
  if (options.chown) extractOptions.chown = options.chown;
  if (options.signal) extractOptions.signal = options.signal;
  // A stream that is no (whole) tar is refused in dockerd's words, as load and import refuse it.
  await extractTar(target, resolved.containerPath, content, extractOptions).catch((err: unknown) => {
    throw tarError(err);
  });
}

/** GET /containers/{id}/export: the whole root filesystem (mounts not included, as Docker). */
export function exportRootfs(mergedDir: string, signal?: AbortSignal): Readable {
  return tarRootfs(mergedDir, signal);
}
