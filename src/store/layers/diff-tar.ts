/**
 * Produce a layer tar from an overlayfs upper directory (used by commit):
 * 0/0 character devices become `.wh.<name>` and opaque directories get a
 * `.wh..wh..opq` entry, the inverse of unpack.ts. Entries come in lexical
 * walk order (a directory before its children), like Docker's. Of the
 * xattrs only security.capability is carried, as Docker 20.10 does; it is
 * written as a raw pax record because tar-stream would encode it as text.
 */
import { promises as fs, createReadStream, type Stats } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { LayerSyscalls } from './syscalls.ts';
import { OPAQUE_XATTR, major, minor, opaqueName, whiteoutName } from './whiteout.ts';
import { rawPaxHeader } from './tar-tap.ts';

const CAPABILITY_XATTR = 'security.capability';
const EMPTY = Buffer.alloc(0);

/** True for an overlayfs whiteout: a character device numbered 0/0. */
export function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export function isOpaqueDir(sys: LayerSyscalls, file: string): boolean {
  const v = sys.lgetxattr(file, OPAQUE_XATTR);
  return v !== null && v.toString() === 'y';
}

/** Walk `dir` in lexical order, yielding paths relative to `root`. */
async function* walk(root: string, rel: string): AsyncGenerator<string> {
  const names = (await fs.readdir(rel === '.' ? root : path.join(root, rel))).sort();
  for (const name of names) {
    const child = rel === '.' ? name : `${rel}/${name}`;
    yield child;
    const st = await fs.lstat(path.join(root, child));
    if (st.isDirectory()) yield* walk(root, child);
  }
}

type EntryHeader = Partial<tar.Header> & { name: string; type: tar.Header['type'] };

function entryDone(pack: tar.Pack, header: EntryHeader, body?: Buffer): Promise<void> {
  const h = header;
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (body) pack.entry(h, body, cb);
    else pack.entry(h, cb);
  });
}

async function writeTree(sys: LayerSyscalls, pack: tar.Pack, upperDir: string): Promise<void> {
  const firstPathOfInode = new Map<string, string>();
  for await (const rel of walk(upperDir, '.')) {
    const file = path.join(upperDir, rel);
    const st = await fs.lstat(file);
    const base = { uid: st.uid, gid: st.gid, mtime: st.mtime, uname: '', gname: '' };
    if (isWhiteout(st)) {
      await entryDone(pack, { ...base, name: whiteoutName(rel), type: 'file', mode: 0, size: 0 }, EMPTY);
      continue;
    }
    const mode = st.mode & 0o7777;
    const cap = st.isSymbolicLink() ? null : sys.lgetxattr(file, CAPABILITY_XATTR);
    // No entry is in flight here (each one is awaited), so pushed bytes land right before the next header.
    if (cap !== null) pack.push(rawPaxHeader(new Map([[CAPABILITY_XATTR, cap]]), st.mtime));
    if (st.isDirectory()) {
      await entryDone(pack, { ...base, name: rel + '/', type: 'directory', mode });
      if (isOpaqueDir(sys, file)) await entryDone(pack, { ...base, name: opaqueName(rel), type: 'file', mode: 0, size: 0 }, EMPTY);
    } else if (st.isSymbolicLink()) {
      await entryDone(pack, { ...base, name: rel, type: 'symlink', mode, linkname: await fs.readlink(file) });
    } else if (st.isFile()) {
      const inode = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? firstPathOfInode.get(inode) : undefined;
      if (first !== undefined) {
        await entryDone(pack, { ...base, name: rel, type: 'link', mode, linkname: first });
        continue;
      }
      if (st.nlink > 1) firstPathOfInode.set(inode, rel);
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ ...base, name: rel, type: 'file', mode, size: st.size }, (err) => (err ? reject(err) : resolve()));
        pipeline(createReadStream(file), sink).catch(reject);
      });
    } else if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) {
      const type = st.isFIFO() ? 'fifo' : st.isBlockDevice() ? 'block-device' : 'character-device';
      await entryDone(pack, { ...base, name: rel, type, mode, devmajor: major(st.rdev), devminor: minor(st.rdev) });
    }
    // Sockets are not carried in layers (Docker skips them too).
  }
}

/** A layer tar stream of `upperDir`. */
export function diffTar(sys: LayerSyscalls, upperDir: string): Readable {
  const pack = tar.pack();
  writeTree(sys, pack, upperDir).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return Readable.from(pack);
}
