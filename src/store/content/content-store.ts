/**
 * ContentStore: immutable blobs addressed by digest, under
 * `<root>/sha256/<hex>` (root is `<dataRoot>/content`).
 *
 * Lifecycle of a blob: a writer streams bytes into `<root>/ingest/<random>`,
 * hashing as it writes; `commit` fsyncs, checks the digest against the
 * expected one (if any) and only then renames the file into place and fsyncs
 * the directory. A crash leaves at worst a file in `ingest/`, which `sweep`
 * removes at startup; a blob path that exists is always complete and correct.
 * Blobs are never buffered whole: readers get streams.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { promises as fs, type ReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { digestHex, isSha256Hex, type Digest } from '../../oci/digest.ts';
import { InvalidParameterError, NotFoundError, isErrno } from '../../util/errors.ts';
import { fsyncDir } from '../records.ts';

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** An open ingest: write chunks, then commit (or abort). */
export class ContentWriter {
  private readonly hash: Hash = createHash('sha256');
  private written = 0;
  private done = false;

  constructor(
    private readonly store: ContentStore,
    private readonly handle: fs.FileHandle,
    readonly tempPath: string,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.written += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
  }

  get size(): number {
    return this.written;
  }

  /** Verify and move the blob into place; idempotent if it already exists. */
  async commit(expected?: Digest): Promise<BlobInfo> {
    this.done = true;
    const digest = `sha256:${this.hash.digest('hex')}` as Digest;
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    if (expected !== undefined && expected !== digest) {
      await fs.rm(this.tempPath, { force: true });
      throw new InvalidParameterError(`digest mismatch: expected ${expected}, got ${digest}`);
    }
    const target = this.store.path(digest);
    await fs.rename(this.tempPath, target);
    await fsyncDir(path.dirname(target));
    return { digest, size: this.written };
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined); // already closed: nothing to release
    await fs.rm(this.tempPath, { force: true });
  }
}

export class ContentStore {
  private readonly blobDir: string;
  private readonly ingestDir: string;

  constructor(readonly root: string) {
    this.blobDir = path.join(root, 'sha256');
    this.ingestDir = path.join(root, 'ingest');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.blobDir, { recursive: true });
    await fs.mkdir(this.ingestDir, { recursive: true });
  }

  /** Remove leftovers of interrupted ingests (call at startup, before any ingest). */
  async sweep(): Promise<void> {
    await fs.rm(this.ingestDir, { recursive: true, force: true });
    await fs.mkdir(this.ingestDir, { recursive: true });
  }

  path(digest: Digest): string {
    return path.join(this.blobDir, digestHex(digest));
  }

  async openWriter(): Promise<ContentWriter> {
    const temp = path.join(this.ingestDir, randomBytes(8).toString('hex'));
    const handle = await fs.open(temp, 'wx', 0o644);
    return new ContentWriter(this, handle, temp);
  }

  /** Stream `source` into the store; rejects (storing nothing) on digest mismatch. */
  async ingest(source: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer>, expected?: Digest): Promise<BlobInfo> {
    if (expected !== undefined && (await this.has(expected))) {
      for await (const _ of source) {
        // drain: the caller's stream must be consumed even when the blob is known
      }
      return { digest: expected, size: await this.size(expected) };
    }
    const writer = await this.openWriter();
    try {
      for await (const chunk of source) await writer.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return await writer.commit(expected);
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  /** Store a small in-memory blob (configs, manifests). */
  async ingestBuffer(data: Buffer | string, expected?: Digest): Promise<BlobInfo> {
    return this.ingest([typeof data === 'string' ? Buffer.from(data) : data], expected);
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await fs.access(this.path(digest));
      return true;
    } catch {
      return false;
    }
  }

  async size(digest: Digest): Promise<number> {
    try {
      return (await fs.stat(this.path(digest))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new NotFoundError(`content ${digest}: not found`);
      throw err;
    }
  }

  /** A stream of the blob; NotFoundError if absent. */
  async readStream(digest: Digest): Promise<ReadStream> {
    const handle = await fs.open(this.path(digest), 'r').catch((err: unknown) => {
      if (isErrno(err, 'ENOENT')) throw new NotFoundError(`content ${digest}: not found`);
      throw err;
    });
    return handle.createReadStream();
  }

  /** Read a small blob whole (configs and manifests only, never layers). */
  async readBuffer(digest: Digest): Promise<Buffer> {
    try {
      return await fs.readFile(this.path(digest));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new NotFoundError(`content ${digest}: not found`);
      throw err;
    }
  }

  async delete(digest: Digest): Promise<void> {
    await fs.rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.blobDir);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
    return names.filter(isSha256Hex).map((h) => `sha256:${h}` as Digest);
  }
}
