/**
 * Streams a tar of a path inside a container (docker cp out, export).
 * Entries come in Go's filepath.Walk order (names sorted byte-wise), as
 * moby's archiver writes them: directories with a trailing '/', a file seen
 * again under another name (same inode) as a hard link to the first name,
 * times truncated to seconds, owners by number and by host name; sockets
 * are skipped (tar cannot hold them). Walking crosses into mounts: a child
 * that is a mount destination is read from the mount's source.
 */
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import tar, { type Header, type Pack } from 'tar-stream';
import { isErrno } from '../../../util/errors.ts';
import { hostPathOf, type ContainerFs } from './resolve-in-root.ts';

type Headers = Partial<Header> & { name: string };

/** Tar the tree at `containerPath` (not following a final symlink), its top entry named `name`. */
export function tarContainerPath(fs: ContainerFs, containerPath: string, name: string, signal?: AbortSignal): Readable {
  const pack = tar.pack();
  const writer = new TreeWriter(pack, fs, signal);
  writer.add(containerPath, name, true).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}

/** Tar a whole root filesystem for `docker export`: entries relative ("bin/", "etc/passwd"), no entry for the root itself. */
export function tarRootfs(root: string, signal?: AbortSignal): Readable {
  const pack = tar.pack();
  const writer = new TreeWriter(pack, { root, mounts: [] }, signal);
  writer.addChildren('/', '').then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}

class TreeWriter {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly pack: Pack,
    private readonly fs: ContainerFs,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async add(containerPath: string, name: string, top = false): Promise<void> {
    this.signal?.throwIfAborted();
    const { hostPath } = hostPathOf(this.fs, containerPath);
    let st: BigIntStats;
    try {
      st = await lstat(hostPath, { bigint: true });
    } catch (err) {
      // A file removed while we walk is simply not in the archive (as with Go's Walk).
      if (!top && isErrno(err, 'ENOENT')) return;
      throw err;
    }
    if (st.isSocket()) return;
    const header = await headerFor(st, name);
    if (st.isDirectory()) {
      if (!header.name.endsWith('/')) header.name += '/';
      await this.entry(header);
      await this.addChildren(containerPath, name);
      return;
    }
    if (st.isSymbolicLink()) header.linkname = await readlink(hostPath);
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1n ? this.seen.get(key) : undefined;
    if (first !== undefined) {
      await this.entry({ ...header, type: 'link', linkname: first, size: 0 });
      return;
    }
    if (st.nlink > 1n) this.seen.set(key, name);
    if (!st.isFile()) {
      await this.entry(header);
      return;
    }
    header.size = Number(st.size);
    await pipeline(createReadStream(hostPath), this.pack.entry(header) as unknown as Writable);
  }

  async addChildren(containerPath: string, name: string): Promise<void> {
    const { hostPath } = hostPathOf(this.fs, containerPath);
    const names = (await readdir(hostPath)).sort(byteOrder);
    for (const child of names) await this.add(path.posix.join(containerPath, child), joinName(name, child));
  }

  private entry(header: Headers): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pack.entry(header, (err) => (err ? reject(err) : resolve()));
    });
  }
}

function joinName(parent: string, child: string): string {
  if (parent === '') return child;
  return parent.endsWith('/') ? parent + child : parent + '/' + child;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function headerFor(st: BigIntStats, name: string): Promise<Headers> {
  const uid = Number(st.uid);
  const gid = Number(st.gid);
  const header: Headers = {
    name,
    mode: Number(st.mode) & 0o7777,
    uid,
    gid,
    mtime: new Date(Number(st.mtimeMs / 1000n) * 1000),
    type: typeOf(st),
    size: 0,
  };
  const [uname, gname] = await Promise.all([hostName('/etc/passwd', uid), hostName('/etc/group', gid)]);
  if (uname) header.uname = uname;
  if (gname) header.gname = gname;
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const rdev = Number(st.rdev);
    header.devmajor = ((rdev >> 8) & 0xfff) | Math.floor(rdev / 2 ** 32) & ~0xfff;
    header.devminor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  }
  return header;
}

function typeOf(st: BigIntStats): Headers['type'] {
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  return 'file';
}

/**
 * User and group names as Go's tar.FileInfoHeader fills them: looked up in
 * the host's databases (read once per process).
 */
const nameTables = new Map<string, Promise<Map<number, string>>>();

async function hostName(file: string, id: number): Promise<string | undefined> {
  let table = nameTables.get(file);
  if (!table) {
    table = readFile(file, 'utf8').then(
      (text) => {
        const m = new Map<number, string>();
        for (const line of text.split('\n')) {
          const [n, , idText] = line.split(':');
          if (n && idText !== undefined && !m.has(Number(idText))) m.set(Number(idText), n);
        }
        return m;
      },
      () => new Map<number, string>(),
    );
    nameTables.set(file, table);
  }
  return (await table).get(id);
}
