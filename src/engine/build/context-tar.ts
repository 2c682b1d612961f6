/**
 * A context tar unpacked into a fresh directory, each file's sha256
 * computed as it streams to disk. Owners, modes, mtimes, symlinks and hard
 * links are kept (COPY needs the modes, and the cache keys see them);
 * device nodes and FIFOs are skipped (dockerd's chrooted untar would make
 * them, but COPY refuses them anyway). Safety: names that climb out of the
 * root, paths through a symlink of the context, and hard links to
 * anything but an earlier file are refused: the directory is new and
 * nothing in it is followed.
 *
 * Files are held in memory instead (`HeldFiles`) while the shared budget
 * lasts: hashed as they arrive (large ones on the thread pool), an empty
 * placeholder made on disk (so paths, links and lstat's file type are
 * right), content and metadata written only when the build needs the files
 * (`flush`, the context's `ready`). A fully cached rebuild then writes none
 * of them: its keys come from the digests alone.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { PooledSha256 } from '../../drivers/pooled-sha256.ts';
import { SystemError } from '../../util/errors.ts';
import type { ContextEntry } from './build-context.ts';

/** Go's archive/tar words, as dockerd's reply carries them. */
function tarError(err: unknown, entriesSeen: number): SystemError {
  const message = (err as Error)?.message ?? String(err);
  let go = message;
  if (/Unexpected end of data|premature close|unexpected end/i.test(message)) go = 'unexpected EOF';
  else if (/Invalid tar header|checksum/i.test(message)) go = 'archive/tar: invalid tar header';
  // Past the first header, dockerd's untar runs in a child whose failure it wraps.
  return new SystemError(entriesSeen > 0 ? `Error processing tar file(exit status 1): ${go}` : go, { cause: err });
}

function breakout(name: string, root: string): SystemError {
  return new SystemError(`Error processing tar file(exit status 1): ${JSON.stringify(name)} is outside of ${JSON.stringify(root)}`);
}

/** The cleaned relative path of a tar name ('' for the root), or undefined when it climbs out. */
export function cleanName(name: string): string | undefined {
  const clean = path.posix.normalize('/' + name).slice(1).replace(/\/+$/, '');
  const raw = path.posix.normalize(name).replace(/\/+$/, '');
  if (raw === '..' || raw.startsWith('../')) return undefined;
  return clean;
}

function hashing(onDone: (digest: string, size: number) => void): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      onDone(`sha256:${hash.digest('hex')}`, size);
      cb();
    },
  });
}

interface HeldFile {
  chunks: Buffer[];
  size: number;
  uid: number;
  gid: number;
  mode: number;
  mtime: number;
}

const FLUSH_PARALLEL = 8;

/** Held files' empty placeholders being made at once (each an open descriptor until made). */
const PLACEHOLDERS_IN_FLIGHT = 64;

/** Files from this size are hashed on the thread pool; smaller ones cost less on the main thread than handing them over. */
const POOLED_HASH_SIZE = 256 * 1024;

class InlineSha256 {
  private readonly hash = createHash('sha256');
  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }
  async digest(): Promise<string> {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Files kept in memory (by absolute path, their placeholders on disk) until `flush` writes them. */
export class HeldFiles {
  private readonly files = new Map<string, HeldFile>();
  private bytes = 0;
  private set(bytes: number): void {
    this.pool.used += bytes - this.bytes;
    this.bytes = bytes;
  }
  private readonly writing = new Map<string, Promise<void>>();
  private readonly links = new Map<string, string>();

  /** `pool`: the bytes all contexts may hold together (shared); `minSize`: smaller files are written as they arrive. */
  constructor(
    readonly pool: { limit: number; used: number },
    readonly minSize = 0,
  ) {}

  get size(): number {
    return this.files.size;
  }

  /** Whether `file` is held, or a hard link to a held file. */
  has(file: string): boolean {
    return this.files.has(file) || this.links.has(file);
  }

  fits(size: number): boolean {
    return size >= this.minSize && this.pool.used + size <= this.pool.limit;
  }

  add(file: string, held: HeldFile): void {
    this.files.set(file, held);
    this.set(this.bytes + held.size);
  }

  /** `link` is a hard link to the held `target` (the same inode: written with it). */
  link(link: string, target: string): void {
    this.links.set(link, this.links.get(target) ?? target);
  }

  /** Forgets what is at or under `file` (removed from the directory); a held file still reachable by a hard link stays, under the link's name. */
  drop(file: string): void {
    // A held file with no hard links about: nothing under it, nothing to move (every file of a context is held now: keep this cheap).
    const one = this.files.get(file);
    if (one && this.links.size === 0) {
      this.files.delete(file);
      this.set(this.bytes - one.size);
      return;
    }
    const under = (p: string) => p === file || p.startsWith(file + '/');
    for (const link of [...this.links.keys()]) if (under(link)) this.links.delete(link);
    for (const [key, held] of [...this.files]) {
      if (!under(key)) continue;
      this.files.delete(key);
      const alias = [...this.links].find(([, target]) => target === key)?.[0];
      if (alias !== undefined) {
        this.links.delete(alias);
        for (const [l, t] of this.links) if (t === key) this.links.set(l, alias);
        this.files.set(alias, held);
      } else this.set(this.bytes - held.size);
    }
  }

  /**
   * Writes the held files (those `wanted` picks, by absolute path; all
   * without it) into their placeholders, with their owner, mode and mtime
   * (as unpacking would have). Each file once, whoever asks.
   */
  async flush(wanted?: (file: string) => boolean): Promise<void> {
    const files = new Set([...this.files.keys()].filter((f) => !wanted || wanted(f)));
    if (wanted) for (const [link, target] of this.links) if (wanted(link)) files.add(target);
    // A few at a time: a context of many small files is written in a fraction of the time one by one takes.
    const queue = [...files];
    const worker = async () => {
      for (let file = queue.pop(); file !== undefined; file = queue.pop()) await this.writeOne(file);
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_PARALLEL, queue.length) }, worker));
    // Files another caller was writing when this one looked.
    await Promise.all([...this.writing.values()]);
  }

  /** Lets the memory go without writing (the context is being removed). */
  async discard(): Promise<void> {
    this.files.clear();
    this.set(0);
    await Promise.all([...this.writing.values()].map((p) => p.catch(() => undefined)));
  }

  private writeOne(file: string): Promise<void> {
    let writing = this.writing.get(file);
    if (writing) return writing;
    const held = this.files.get(file);
    if (!held) return Promise.resolve();
    writing = (async () => {
      await writeChunks(file, held.chunks, held.size);
      await applyMetadata(file, 'file', held);
      if (this.files.get(file) === held) {
        this.files.delete(file);
        this.set(this.bytes - held.size);
      }
    })().finally(() => this.writing.delete(file));
    this.writing.set(file, writing);
    return writing;
  }
}

/** At most IOV_MAX buffers per writev; short writes resumed. */
async function writeChunks(file: string, chunks: Buffer[], size: number): Promise<void> {
  const fh = await fs.open(file, 'r+');
  try {
    let position = 0;
    for (let i = 0; i < chunks.length; i += 1024) {
      const group = chunks.slice(i, i + 1024);
      const total = group.reduce((n, c) => n + c.length, 0);
      const { bytesWritten } = await fh.writev(group, position);
      if (bytesWritten < total) {
        let rest = Buffer.concat(group).subarray(bytesWritten);
        let at = position + bytesWritten;
        while (rest.length > 0) {
          const { bytesWritten: n } = await fh.write(rest, 0, rest.length, at);
          rest = rest.subarray(n);
          at += n;
        }
      }
      position += total;
    }
    if (position !== size) throw new SystemError(`context file ${file}: held ${position} bytes of ${size}`);
  } finally {
    await fh.close();
  }
}

async function applyMetadata(file: string, type: string, m: { uid: number; gid: number; mode: number; mtime: number }): Promise<void> {
  await fs.lchown(file, m.uid, m.gid);
  if (type !== 'symlink') await fs.chmod(file, m.mode); // after chown, which clears setuid bits
  if (type !== 'directory') await fs.lutimes(file, m.mtime, m.mtime);
}

/**
 * Unpacks the (already decompressed) tar `source` into the empty directory `root`; resolves with its entries.
 * With `held`, files go there (placeholders on disk) while its budget lasts.
 */
export async function unpackContextTar(source: Readable, root: string, signal?: AbortSignal, held?: HeldFiles): Promise<Map<string, ContextEntry>> {
  const entries = new Map<string, ContextEntry>();
  const now = Math.floor(Date.now() / 1000);
  entries.set('', { path: '', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
  const extract = tar.extract();
  const flowing = pipeline(source, extract, { signal });
  flowing.catch(() => undefined); // surfaced below
  const dirTimes: [string, number][] = [];
  // Held files' digests, computed off the main thread while the tar goes on.
  const digests: Promise<void>[] = [];
  const linksToHeld: [ContextEntry, ContextEntry][] = []; // a hard link's record, its target's (digest filled later)
  // Held files' empty placeholders being made: not waited for one by one (a link to one, or its removal, waits).
  const placeholders = new Map<string, Promise<void>>();
  const settlePlaceholders = async () => {
    const all = [...placeholders.values()];
    placeholders.clear();
    await Promise.all(all);
  };
  let seen = 0;

  const ensureParents = async (rel: string): Promise<void> => {
    const missing: string[] = [];
    for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) {
      const known = entries.get(dir);
      if (known?.type === 'directory') break;
      if (known !== undefined) throw new SystemError(`Error processing tar file(exit status 1): cannot extract ${JSON.stringify(rel)}: ${dir} is not a directory`);
      missing.push(dir);
    }
    for (const dir of missing.reverse()) {
      await fs.mkdir(path.join(root, dir), { mode: 0o755 });
      entries.set(dir, { path: dir, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
    }
  };

  try {
    for await (const entry of extract) {
      seen++;
      const h = entry.header;
      const rel = cleanName(h.name);
      if (rel === undefined) throw breakout(h.name, root);
      const file = rel === '' ? root : path.join(root, rel);
      const mode = (h.mode ?? 0o644) & 0o7777;
      const mtime = h.mtime ? Math.floor(h.mtime.getTime() / 1000) : 0;
      const base = { path: rel, mode, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime };
      if (rel !== '') await ensureParents(rel);
      const previous = entries.get(rel);
      if (previous && !(previous.type === 'directory' && h.type === 'directory')) {
        await settlePlaceholders();
        await fs.rm(file, { recursive: true, force: true });
        held?.drop(file);
        for (const key of entries.keys()) if (key === rel || key.startsWith(rel + '/')) entries.delete(key);
      }
      switch (h.type) {
        case 'file':
        case 'contiguous-file': {
          if (held?.fits(h.size ?? 0)) {
            const hash = (h.size ?? 0) >= POOLED_HASH_SIZE ? new PooledSha256() : new InlineSha256();
            const chunks: Buffer[] = [];
            let size = 0;
            if (placeholders.size >= PLACEHOLDERS_IN_FLIGHT) await settlePlaceholders(); // each holds a descriptor while it is made
            const placeholder = fs.writeFile(file, '', { mode: 0o600, flag: 'wx' });
            placeholder.catch(() => undefined); // awaited below
            placeholders.set(file, placeholder);
            for await (const chunk of entry) {
              hash.update(chunk as Buffer);
              chunks.push(chunk as Buffer);
              size += (chunk as Buffer).length;
            }
            const meta = { uid: h.uid ?? 0, gid: h.gid ?? 0, mode, mtime };
            held.add(file, { chunks, size, ...meta });
            const record: ContextEntry = { ...base, type: 'file', size, digest: '' };
            entries.set(rel, record);
            const digest = hash.digest().then((d) => void (record.digest = d));
            digest.catch(() => undefined); // awaited below
            digests.push(digest);
            continue; // owner, mode and mtime when written
          }
          let done: { digest: string; size: number } | undefined;
          await pipeline(entry, hashing((digest, size) => (done = { digest, size })), createWriteStream(file, { mode: 0o600 }));
          entries.set(rel, { ...base, type: 'file', size: done!.size, digest: done!.digest });
          break;
        }
        case 'directory':
          if (rel !== '' && previous?.type !== 'directory') await fs.mkdir(file, { mode: 0o755 });
          entry.resume();
          entries.set(rel, { ...base, type: 'directory', size: 0 });
          dirTimes.push([file, mtime]);
          break;
        case 'symlink': {
          const target = h.linkname ?? '';
          await fs.symlink(target, file);
          entry.resume();
          entries.set(rel, { ...base, type: 'symlink', size: 0, linkname: target });
          break;
        }
        case 'link': {
          const targetRel = cleanName(h.linkname ?? '');
          if (targetRel === undefined) throw breakout(h.linkname ?? '', root);
          const target = entries.get(targetRel);
          if (target?.type !== 'file') throw new SystemError(`Error processing tar file(exit status 1): invalid hardlink ${JSON.stringify(h.name)} -> ${JSON.stringify(h.linkname)}`);
          await placeholders.get(path.join(root, targetRel));
          await fs.link(path.join(root, targetRel), file);
          if (held?.has(path.join(root, targetRel))) held.link(file, path.join(root, targetRel));
          entry.resume();
          const record: ContextEntry = { ...target, path: rel };
          entries.set(rel, record);
          if (target.digest === '') linksToHeld.push([record, target]);
          continue; // shares its target's inode, so its metadata
        }
        default:
          entry.resume();
          continue;
      }
      // Symlinks in a parent path would be followed by what follows: refused by ensureParents (not a directory).
      await applyMetadata(file, h.type, { uid: h.uid ?? 0, gid: h.gid ?? 0, mode, mtime });
    }
    await flowing;
    await settlePlaceholders();
    await Promise.all(digests);
    for (const [link, target] of linksToHeld) link.digest = target.digest;
  } catch (err) {
    // Placeholders still being made would land in the directory while the caller removes it.
    await Promise.allSettled([...placeholders.values()]);
    if (signal?.aborted) throw signal.reason;
    // Our own refusals and the filesystem's errors (ENOSPC…) pass as they are; the rest is the tar's.
    if (err instanceof SystemError || typeof (err as { code?: unknown })?.code === 'string') throw err;
    throw tarError(err, seen);
  }
  // Directory times last: creating their children changed them.
  for (const [dir, mtime] of dirTimes.reverse()) await fs.lutimes(dir, mtime, mtime);
  return entries;
}
