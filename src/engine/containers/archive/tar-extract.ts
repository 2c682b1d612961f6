/**
 * Unpacks a tar stream into a directory inside a container (docker cp in),
 * with the guarantees moby gets from unpacking in a chroot: each entry's
 * parent is resolved inside the container (symlinks cannot lead out), names
 * that climb out of the destination are refused, and so are symlinks and
 * hard links pointing outside it. Existing files are replaced; an existing
 * directory met by a directory entry is merged. Owners come from the
 * headers (or `chown`), directory times are set last so that writing
 * their children does not change them. A gzip stream is accepted too.
 */
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCb } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import { native } from '../../../drivers/native.ts';
import { isErrno, SystemError } from '../../../util/errors.ts';
import { hostPathOf, resolveInRoot, type ContainerFs } from './resolve-in-root.ts';
import { goStrerror } from './go-errno.ts';

export interface ExtractOptions {
  /** Refuse to replace a directory by a non-directory or the reverse. */
  noOverwriteDirNonDir: boolean;
  /** Own every entry by this user instead of the header's (docker cp -a with a container User). */
  chown?: { uid: number; gid: number };
  signal?: AbortSignal;
}

/** An error inside the unpacking, worded as Docker reports it. */
export class TarExtractError extends SystemError {
  constructor(message: string) {
    super(`Error processing tar file(exit status 1): ${message}`);
  }
}

/** Unpack `content` into the container directory `dest` (resolved, existing). */
export async function extractTar(fs: ContainerFs, dest: string, content: AsyncIterable<Buffer>, options: ExtractOptions): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline(Readable.from(maybeGunzip(content)), extract as unknown as Writable, { signal: options.signal });
  const dirs: { hostPath: string; mtime: Date }[] = [];
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const consumed = await unpackEntry(fs, dest, header, entry as unknown as Readable, options, dirs).catch((err: unknown) => {
        throw inContainerWords(fs, err);
      });
      if (!consumed) entry.resume();
    }
    await feeding;
  } catch (err) {
    extract.destroy(err as Error);
    await feeding.catch(() => {
      // The first error (above) is the one to report.
    });
    throw err;
  }
  // Deepest first, so setting a parent's time comes after its children's.
  for (const d of dirs.reverse()) await lutimes(d.hostPath, d.mtime, d.mtime);
}

/**
 * A failed system call of the unpack, worded as dockerd's unpacker words it
 * ("link /old /new: no such file or directory", paths inside the container,
 * since it runs chrooted): never the host paths of the data root.
 */
function inContainerWords(fs: ContainerFs, err: unknown): unknown {
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (err instanceof TarExtractError || typeof e?.code !== 'string' || typeof e.syscall !== 'string') return err;
  const inside = (hostPath: string): string => {
    for (const m of [...fs.mounts].sort((a, b) => b.source.length - a.source.length)) {
      if (hostPath === m.source || hostPath.startsWith(m.source + '/')) return path.posix.join(m.destination, hostPath.slice(m.source.length));
    }
    if (hostPath === fs.root || hostPath.startsWith(fs.root + '/')) return path.posix.join('/', hostPath.slice(fs.root.length));
    return path.posix.basename(hostPath);
  };
  const paths = [e.path, e.dest].filter((p): p is string => typeof p === 'string').map(inside);
  const text = goStrerror(e.code);
  return new TarExtractError(`${[e.syscall, ...paths].join(' ')}: ${text}`);
}

/** Returns true when it read the entry's body. */
async function unpackEntry(
  fs: ContainerFs,
  dest: string,
  header: Header,
  body: Readable | AsyncIterable<Buffer>,
  options: ExtractOptions,
  dirs: { hostPath: string; mtime: Date }[],
): Promise<boolean> {
  const target = path.posix.join(dest, header.name);
  const rel = path.posix.relative(dest, target);
  if (rel === '..' || rel.startsWith('../')) throw new TarExtractError(`${JSON.stringify(header.name)} is outside of ${JSON.stringify(dest)}`);
  const isDir = header.type === 'directory';
  if (rel === '') {
    // The destination itself ("." or "./"): it exists as a directory and is left as it is.
    if (!isDir && options.noOverwriteDirNonDir) throw new TarExtractError(`cannot overwrite directory ${JSON.stringify(dest)} with non-directory ${JSON.stringify(dest)}`);
    return false;
  }
  const parent = await resolveInRoot(fs, path.posix.dirname(target), { followFinalSymlink: true });
  await mkdir(parent.hostPath, { recursive: true, mode: 0o755 });
  const containerPath = path.posix.join(parent.containerPath, path.posix.basename(target));
  const { hostPath, mount } = hostPathOf(fs, containerPath);
  const existing = await lstat(hostPath).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  });
  if (existing) {
    if (options.noOverwriteDirNonDir && existing.isDirectory() && !isDir) {
      throw new TarExtractError(`cannot overwrite directory ${JSON.stringify(containerPath)} with non-directory ${JSON.stringify(dest)}`);
    }
    if (options.noOverwriteDirNonDir && !existing.isDirectory() && isDir) {
      throw new TarExtractError(`cannot overwrite non-directory ${JSON.stringify(containerPath)} with directory ${JSON.stringify(dest)}`);
    }
  }
  // An existing directory met by a directory entry is merged; anything else is replaced.
  const merge = existing !== undefined && existing.isDirectory() && isDir;
  // A mount point cannot be replaced (moby unpacks where it is mounted: unlink gets EBUSY).
  if (existing && !merge && mount && path.posix.resolve('/', mount.destination) === containerPath) {
    throw new TarExtractError(`unlinkat ${containerPath}: device or resource busy`);
  }
  if (existing && !merge) await rm(hostPath, { recursive: true, force: true });
  const mode = header.mode & 0o7777;
  let consumed = false;
  switch (header.type) {
    case 'directory':
      if (!merge) await mkdir(hostPath, { mode });
      break;
    case 'file':
    case 'contiguous-file':
      await pipeline(body, createWriteStream(hostPath, { mode }));
      consumed = true;
      break;
    case 'symlink': {
      const linkname = header.linkname ?? '';
      if (!path.posix.join(path.posix.dirname(containerPath), linkname).startsWith(dest)) {
        throw new TarExtractError(`invalid symlink ${JSON.stringify(containerPath)} -> ${JSON.stringify(linkname)}`);
      }
      await symlink(linkname, hostPath);
      break;
    }
    case 'link': {
      const linkname = header.linkname ?? '';
      const linkTarget = path.posix.join(dest, linkname);
      if (!linkTarget.startsWith(dest)) throw new TarExtractError(`invalid hardlink ${JSON.stringify(linkTarget)} -> ${JSON.stringify(linkname)}`);
      const resolved = await resolveInRoot(fs, linkTarget, { followFinalSymlink: false });
      await link(resolved.hostPath, hostPath);
      break;
    }
    case 'character-device':
    case 'block-device':
    case 'fifo': {
      const kind = header.type === 'fifo' ? 0o010000 : header.type === 'block-device' ? 0o060000 : 0o020000;
      native().mknod(hostPath, kind | mode, makedev(header.devmajor ?? 0, header.devminor ?? 0));
      break;
    }
    default:
      // Types moby also skips (e.g. GNU sparse, volume headers): nothing to create.
      return false;
  }
  const owner = options.chown ?? { uid: header.uid ?? 0, gid: header.gid ?? 0 };
  await lchown(hostPath, owner.uid, owner.gid);
  if (header.type !== 'symlink' && header.type !== 'link') await chmod(hostPath, mode);
  const mtime = header.mtime ?? new Date();
  if (header.type === 'directory') dirs.push({ hostPath, mtime });
  else if (header.type !== 'link') await lutimes(hostPath, mtime, mtime);
  return consumed;
}

/** Linux's makedev for the dev_t passed to mknod. */
function makedev(major: number, minor: number): number {
  const low = ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & 0xfff00) << 12)) >>> 0;
  return low + Math.floor(major / 0x1000) * 2 ** 44 + Math.floor(minor / 0x100000) * 2 ** 32;
}

/** The PUT body may be gzip-compressed (moby's DecompressStream); plain tar passes through. */
async function* maybeGunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value as Buffer;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value as Buffer;
  }
  const head = first.value as Buffer;
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  pipelineCb(Readable.from(all()), gunzip, (err) => {
    if (err) gunzip.destroy(err);
  });
  for await (const chunk of gunzip) yield chunk as Buffer;
}
