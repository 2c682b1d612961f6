/**
 * Blob uploads in progress (spec.md "Pushing blobs"): `<root>/<id>/data`
 * holds the bytes received so far, `<root>/<id>/info.json` the repository it
 * is for. Chunks append in order (one operation at a time per upload); the
 * running sha256 is kept in memory for uploads whose chunks came through this
 * process and rebuilt from the file otherwise (after a restart, or a chunk cut
 * short), so an upload resumes from the size the file has.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readJson, writeFileAtomic } from '../../store/records.ts';
import { isErrno } from '../../util/errors.ts';
import { RegistryError } from './errors.ts';

/** Where a finished upload goes: the blob store and the repository's links. */
export interface BlobSink {
  commitBlobFile(file: string, digest: string): Promise<void>;
  linkBlob(name: string, digest: string): Promise<void>;
}

interface UploadInfo {
  name: string;
  startedAt: string;
}

/** The running hash of an upload whose chunks came through this process. */
interface LiveUpload {
  hash: Hash;
  size: number;
}

export class BlobUploads {
  private readonly live = new Map<string, LiveUpload>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly root: string,
    private readonly blobs: BlobSink,
  ) {}

  private dir(id: string): string {
    return path.join(this.root, id);
  }

  async start(name: string): Promise<string> {
    const id = randomUUID();
    const dir = this.dir(id);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'data'), '');
    await writeFileAtomic(path.join(dir, 'info.json'), JSON.stringify({ name, startedAt: new Date().toISOString() } satisfies UploadInfo), { durable: false, mode: 0o644 });
    this.live.set(id, { hash: createHash('sha256'), size: 0 });
    return id;
  }

  /** The size so far of an upload of `name`; throws BLOB_UPLOAD_UNKNOWN. */
  async size(name: string, id: string): Promise<number> {
    if (!/^[a-zA-Z0-9-]+$/.test(id)) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
    const info = await readJson<UploadInfo>(path.join(this.dir(id), 'info.json')).catch(() => undefined);
    if (!info || info.name !== name) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
    try {
      return (await fs.stat(path.join(this.dir(id), 'data'))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
      throw err;
    }
  }

  /** Serialise the operations on one upload. */
  serialize<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return next;
  }

  /**
   * Append a request body to an upload, hashing as it streams. `expectStart`
   * (from Content-Range) must equal the current size. Returns the new size.
   * A body cut short leaves the bytes that arrived: the client resumes from
   * the size GET reports (the hash state is then rebuilt from the file).
   */
  async append(name: string, id: string, body: Readable, expectStart?: number): Promise<number> {
    const size = await this.size(name, id);
    if (expectStart !== undefined && expectStart !== size) throw new RegistryError('BLOB_UPLOAD_INVALID', 'range not satisfiable', undefined, 416);
    let live = this.live.get(id);
    if (live && live.size !== size) live = undefined;
    this.live.delete(id);
    const hash = live?.hash ?? (await hashFile(path.join(this.dir(id), 'data')));
    let written = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        written += chunk.length;
        cb(null, chunk);
      },
    });
    // A body cut short keeps the bytes that made it (resumable); with no live hash, the next append rehashes the file.
    await pipeline(body, tee, createWriteStream(path.join(this.dir(id), 'data'), { flags: 'a' }));
    this.live.set(id, { hash, size: size + written });
    return size + written;
  }

  /**
   * Finish an upload: verify the digest (and size), make the blob durable,
   * rename it into place, link it into the repository, drop the upload.
   */
  async finish(name: string, id: string, digest: string): Promise<number> {
    const dir = this.dir(id);
    const data = path.join(dir, 'data');
    const size = await this.size(name, id);
    const live = this.live.get(id);
    const hash = live && live.size === size ? live.hash : await hashFile(data);
    const actual = `sha256:${hash.digest('hex')}`;
    this.live.delete(id);
    if (actual !== digest) throw new RegistryError('DIGEST_INVALID', undefined, { expected: digest, actual });
    await this.blobs.commitBlobFile(data, digest);
    await this.blobs.linkBlob(name, digest);
    await this.delete(id);
    return size;
  }

  async delete(id: string): Promise<void> {
    this.live.delete(id);
    await fs.rm(this.dir(id), { recursive: true, force: true });
  }

  /** Monolithic upload in one request: stream to a temp upload, then finish. */
  async putMonolithic(name: string, digest: string, body: Readable): Promise<number> {
    const id = await this.start(name);
    try {
      await this.append(name, id, body);
      return await this.finish(name, id, digest);
    } finally {
      await this.delete(id);
    }
  }

  async list(): Promise<{ id: string; mtimeMs: number }[]> {
    const out = [];
    for (const id of await readdirOrEmpty(this.root)) {
      const st = await fs.stat(this.dir(id)).catch(() => undefined);
      const data = await fs.stat(path.join(this.dir(id), 'data')).catch(() => undefined);
      if (st) out.push({ id, mtimeMs: Math.max(st.mtimeMs, data?.mtimeMs ?? 0) });
    }
    return out;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

async function hashFile(file: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}
