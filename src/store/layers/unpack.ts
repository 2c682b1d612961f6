/**
 * Apply a layer tar to a directory, for use as an overlayfs lowerdir.
 *
 * Streams the tar (never buffered), computing the DiffID while extracting.
 * Whiteouts become overlayfs whiteouts (see whiteout.ts). Ownership, modes,
 * mtimes, symlinks, hardlinks (within the layer), device nodes and
 * `SCHILY.xattr.*` are kept. Safety: names are cleaned and may not climb out
 * of the root; a symlink in a parent path is followed *inside* the root (as
 * Docker's chrooted unpack would), never out of it; symlink and hardlink
 * targets that escape are refused.
 */
import { promises as fs, createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { asDiffId, type DiffId } from '../../oci/digest.ts';
import { InvalidParameterError, isErrno } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ContentWriter } from '../content/content-store.ts';
import { decompressed } from './decompress.ts';
import { TarTap, type RawXattrs } from './tar-tap.ts';
import type { LayerSyscalls } from './syscalls.ts';
import { OPAQUE_XATTR, S_IFCHR, classifyEntry, cleanEntryPath, makedev } from './whiteout.ts';

export interface ApplyResult {
  diffId: DiffId;
  /** Bytes of the uncompressed tar. */
  tarSize: number;
  /** Docker's layer size: bytes of regular files and symlinks, hardlinks once. */
  size: number;
}

const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;
const MAX_SYMLINK_FOLLOWS = 255;

function breakout(name: string): InvalidParameterError {
  return new InvalidParameterError(`invalid tar header: ${JSON.stringify(name)} points outside the layer root (breakout)`);
}

/** Resolves paths inside one root, following symlinks only within it. */
class RootResolver {
  private readonly knownDirs = new Set<string>(['.']);
  constructor(readonly root: string) {}

  abs(rel: string): string {
    return rel === '.' ? this.root : path.join(this.root, rel);
  }

  forget(rel: string): void {
    for (const d of this.knownDirs) if (d === rel || d.startsWith(rel + '/')) this.knownDirs.delete(d);
  }

  /** Resolve the directory `relDir`, creating missing parts (0755), to a real path in the root. */
  async dir(relDir: string): Promise<string> {
    if (this.knownDirs.has(relDir)) return relDir;
    const parts = relDir === '.' ? [] : relDir.split('/');
    let current = '.';
    let follows = 0;
    while (parts.length > 0) {
      const part = parts.shift()!;
      if (part === '.' || part === '') continue;
      if (part === '..') {
        current = current === '.' ? '.' : path.posix.dirname(current);
        continue;
      }
      const next = current === '.' ? part : `${current}/${part}`;
      if (this.knownDirs.has(next)) {
        current = next;
        continue;
      }
      let st;
      try {
        st = await fs.lstat(this.abs(next));
      } catch (err) {
        if (!isErrno(err, 'ENOENT')) throw err;
      }
      if (st === undefined) {
        await fs.mkdir(this.abs(next), 0o755);
        this.knownDirs.add(next);
        current = next;
      } else if (st.isDirectory()) {
        this.knownDirs.add(next);
        current = next;
      } else if (st.isSymbolicLink()) {
        if (++follows > MAX_SYMLINK_FOLLOWS) throw new InvalidParameterError(`too many levels of symbolic links at ${next}`);
        const target = await fs.readlink(this.abs(next));
        parts.unshift(...target.split('/'));
        if (target.startsWith('/')) current = '.';
      } else {
        throw new InvalidParameterError(`cannot extract into ${next}: not a directory`);
      }
    }
    return current;
  }

  /** The real relative path of entry `rel`: parent resolved in root, last component untouched. */
  async entry(rel: string): Promise<string> {
    const parent = await this.dir(path.posix.dirname(rel));
    const base = path.posix.basename(rel);
    return parent === '.' ? base : `${parent}/${base}`;
  }
}

async function removeExisting(r: RootResolver, rel: string, keepDir: boolean): Promise<void> {
  let st;
  try {
    st = await fs.lstat(r.abs(rel));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  if (keepDir && st.isDirectory()) return;
  await fs.rm(r.abs(rel), { recursive: true, force: true });
  r.forget(rel);
}

function setXattrs(sys: LayerSyscalls, file: string, xattrs: RawXattrs | undefined): void {
  if (!xattrs) return;
  for (const [name, value] of xattrs) {
    try {
      sys.lsetxattr(file, name, value);
    } catch (err) {
      // Docker warns and goes on when the filesystem refuses an xattr.
      const code = (err as { code?: string }).code;
      if (code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EPERM') log.warn('xattr not applied', { file, name, err });
      else throw err;
    }
  }
}

function paxTime(pax: Record<string, string> | null | undefined, key: string): number | undefined {
  const v = pax?.[key];
  return v === undefined ? undefined : Number(v);
}

/** Apply the tar `source` (maybe gzip) on `root`; tee the uncompressed tar into `writer` if given. */
export async function applyLayerTar(sys: LayerSyscalls, source: Readable, root: string, writer?: ContentWriter): Promise<ApplyResult> {
  const raw = await decompressed(source);
  const tap = new TarTap(writer);
  const extract = tar.extract();
  const flowing = pipeline(raw, tap, extract);
  flowing.catch(() => undefined); // surfaced below, after the entry loop
  const r = new RootResolver(root);
  const dirTimes: [string, number, number][] = [];
  let size = 0;

  for await (const entry of extract) {
    const h = entry.header;
    const pax = h.pax as Record<string, string> | null | undefined;
    const xattrs = pax && Object.keys(pax).some((k) => k.startsWith('SCHILY.xattr.')) ? tap.xattrQueue.shift() : undefined;
    const kind = classifyEntry(h.name);
    if (kind.kind === 'root' || kind.kind === 'meta') {
      entry.resume();
      continue;
    }
    if (kind.kind === 'opaque') {
      const dir = await r.dir(kind.dir);
      sys.lsetxattr(r.abs(dir), OPAQUE_XATTR, Buffer.from('y'));
      entry.resume();
      continue;
    }
    if (kind.kind === 'whiteout') {
      const rel = await r.entry(kind.path);
      await removeExisting(r, rel, false);
      sys.mknod(r.abs(rel), S_IFCHR, 0);
      entry.resume();
      continue;
    }
    const rel = await r.entry(kind.path);
    const file = r.abs(rel);
    const mode = (h.mode ?? 0o644) & 0o7777;
    await removeExisting(r, rel, h.type === 'directory');
    switch (h.type) {
      case 'file':
      case 'contiguous-file':
        await pipeline(entry, createWriteStream(file, { mode: 0o600 }));
        size += h.size ?? 0;
        break;
      case 'directory':
        await fs.mkdir(file, { recursive: true, mode: 0o755 });
        entry.resume();
        break;
      case 'symlink': {
        const target = h.linkname ?? '';
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(kind.path), target));
        if (!target.startsWith('/') && (resolved === '..' || resolved.startsWith('../'))) throw breakout(h.name);
        await fs.symlink(target, file);
        size += Buffer.byteLength(target);
        entry.resume();
        break;
      }
      case 'link': {
        const targetRel = cleanEntryPath(h.linkname ?? '');
        if (targetRel === '.') throw breakout(h.name);
        await fs.link(r.abs(await r.entry(targetRel)), file);
        entry.resume();
        break;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        const type = h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR;
        sys.mknod(file, type | mode, makedev(h.devmajor ?? 0, h.devminor ?? 0));
        entry.resume();
        break;
      }
      default:
        log.warn('unhandled tar entry type skipped', { name: h.name, type: h.type });
        entry.resume();
        continue;
    }
    if (h.type === 'link') {
      continue; // shares the inode (and so the metadata) of its target
    }
    await fs.lchown(file, h.uid ?? 0, h.gid ?? 0);
    setXattrs(sys, file, xattrs);
    if (h.type !== 'symlink') await fs.chmod(file, mode); // after chown, which clears setuid bits
    const mtime = paxTime(pax, 'mtime') ?? (h.mtime ? h.mtime.getTime() / 1000 : 0);
    const atime = paxTime(pax, 'atime') ?? mtime;
    if (h.type === 'directory') dirTimes.push([file, atime, mtime]);
    else await fs.lutimes(file, atime, mtime);
  }
  await flowing;
  // Directory times last: creating their children changed them.
  for (const [dir, atime, mtime] of dirTimes.reverse()) await fs.lutimes(dir, atime, mtime);
  return { diffId: asDiffId(tap.digest()), tarSize: tap.size, size };
}
