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
import { promises as fs, createReadStream, type ReadStream } from 'node:fs';
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
  /** Undefined for a writer whose caller hashes the same bytes itself (see `openWriter`). */
  private readonly hash: Hash | undefined;
  private written = 0;
  private done = false;

  constructor(
    private readonly store: ContentStore,
    private readonly handle: fs.FileHandle,
    readonly tempPath: string,
    hashed = true,
  ) {
    this.out = new BatchedFile(handle);
    this.hash = hashed ? createHash('sha256') : undefined;
  }

  private readonly out: BatchedFile;

  /** Append; chunks are gathered into writes of 1 MiB, one in flight while the next fills. */
  async write(chunk: Buffer): Promise<void> {
    this.hash?.update(chunk);
    this.written += chunk.length;
    await this.out.append(chunk);
  }

  get size(): number {
    return this.written;
  }

  /**
   * Verify and move the blob into place; idempotent if it already exists.
   * An unhashed writer takes `expected` as the digest (its caller computed
   * it over exactly the bytes written) and requires it.
   */
  async commit(expected?: Digest): Promise<BlobInfo> {
    if (!this.hash && expected === undefined) {
      await this.abort();
      throw new InvalidParameterError('an unhashed content writer needs the digest its caller computed');
    }
    this.done = true;
    const digest = (this.hash ? `sha256:${this.hash.digest('hex')}` : expected) as Digest;
    try {
      await this.out.drain();
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

/**
 * Appends to a file in writes (one writev each) of about 1 MiB, with one write in flight while
 * the next batch fills (the network or the unpacker keeps going meanwhile).
 * A failed write surfaces at the next `append` or at `drain`. Chunks are
 * kept by reference until written: callers hand over stream chunks, which
 * nobody reuses.
 */
class BatchedFile {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inflight: Promise<void> = Promise.resolve();

  constructor(private readonly handle: fs.FileHandle) {}

  async append(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 1 << 20) return;
    await this.inflight;
    const writing = this.writeAll(this.take());
    writing.catch(() => undefined); // reported by the next append or drain, which await it
    this.inflight = writing;
  }

  /** Write everything appended; resolves when it is all in the file. */
  async drain(): Promise<void> {
    await this.inflight;
    if (this.pendingBytes > 0) await this.writeAll(this.take());
  }

  /** The pending chunks, handed over as they are (one writev, no copy) unless there are more than a writev takes. */
  private take(): Buffer[] {
    const bufs = this.pending.length > MAX_IOV ? [Buffer.concat(this.pending)] : this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    return bufs;
  }

  private async writeAll(bufs: Buffer[]): Promise<void> {
    while (bufs.length > 0) {
      let { bytesWritten } = await this.handle.writev(bufs);
      // A short write: drop what went out, go on with the rest.
      while (bufs.length > 0 && bytesWritten >= bufs[0]!.length) {
        bytesWritten -= bufs[0]!.length;
        bufs = bufs.slice(1);
      }
      if (bytesWritten > 0) bufs = [bufs[0]!.subarray(bytesWritten), ...bufs.slice(1)];
    }
  }
}

/** Chunks per writev (Linux's IOV_MAX is 1024). */
const MAX_IOV = 512;

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
    // A download whose blob is in place (`linkPartial`) was kept only until its image was
    // recorded; a crash before `discardPartial` leaves it: done, so removed.
    let partials: string[] = [];
    try {
      partials = await fs.readdir(path.join(this.root, 'partial'));
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    for (const hex of partials) {
      if (isSha256Hex(hex) && (await this.has(`sha256:${hex}` as Digest))) await fs.rm(path.join(this.root, 'partial', hex), { force: true });
    }
  }

  path(digest: Digest): string {
    return path.join(this.blobDir, digestHex(digest));
  }

  /**
   * A new ingest. `{ hashed: false }` skips the writer's own sha256 pass for a
   * caller that hashes every byte it writes already (the layer unpacker's
   * TarTap computes the diffId of the tar it copies here): `commit` then
   * takes the caller's digest as the blob's.
   */
  async openWriter(opts: { hashed?: boolean } = {}): Promise<ContentWriter> {
    const temp = path.join(this.ingestDir, randomBytes(8).toString('hex'));
    const handle = await fs.open(temp, 'wx', 0o644);
    return new ContentWriter(this, handle, temp, opts.hashed ?? true);
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

  /**
   * A download of `digest` that survives failed attempts and restarts (a
   * resumable pull): its bytes so far are kept in `partial/<hex>`, which
   * `sweep` leaves alone. Reopening it gives the bytes already there (to
   * replay) and continues the hash; `finish` verifies it and `linkPartial`
   * puts it in place. One download per digest at a time (the caller's lock).
   */
  async openPartial(digest: Digest): Promise<PartialWriter> {
    const dir = path.join(this.root, 'partial');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, digestHex(digest));
    const handle = await fs.open(file, 'a+', 0o644);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new PartialWriter(digest, handle, file, hash, size);
  }

  /**
   * Put a finished (verified) download in place as a hard link, keeping its
   * partial file: a pull whose other layers fail still has it for the retry
   * (a sweep may take the blob meanwhile, not the partial), and drops it with
   * `discardPartial` once the image is recorded. A no-op when the blob is
   * there already.
   */
  async linkPartial(digest: Digest): Promise<void> {
    const file = path.join(this.root, 'partial', digestHex(digest));
    const target = this.path(digest);
    try {
      await fs.link(file, target);
    } catch (err) {
      if (isErrno(err, 'EEXIST')) return;
      throw err;
    }
    await fsyncDir(path.dirname(target));
  }

  /** Remove what is left of a download of `digest` (after a mismatch, or when the blob is in place). */
  async discardPartial(digest: Digest): Promise<void> {
    await fs.rm(path.join(this.root, 'partial', digestHex(digest)), { force: true });
  }
}

/** See `ContentStore.openPartial`. `offset` is the number of bytes already kept. */
export class PartialWriter {
  private done = false;

  constructor(
    readonly digest: Digest,
    private readonly handle: fs.FileHandle,
    readonly file: string,
    private readonly hash: Hash,
    public offset: number,
  ) {
    this.out = new BatchedFile(handle);
  }

  /** The bytes kept so far, to replay into a consumer that needs the blob from its start. */
  replay(): Readable {
    return createReadStream(this.file, { start: 0, end: this.offset - 1 });
  }

  private readonly out: BatchedFile;

  /** Append (gathered into writes of 1 MiB; `offset` counts what is written or waiting). */
  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.offset += chunk.length;
    await this.out.append(chunk);
  }

  /**
   * Verify the digest, keeping the complete download in `partial/` (a crash
   * before `ContentStore.linkPartial` keeps it for the next attempt). On a
   * mismatch the bytes are dropped and this throws.
   */
  async finish(): Promise<BlobInfo> {
    this.done = true;
    const got = `sha256:${this.hash.digest('hex')}`;
    try {
      await this.out.drain();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    if (got !== this.digest) {
      await fs.rm(this.file, { force: true });
      throw new InvalidParameterError(`digest mismatch: expected ${this.digest}, got ${got}`);
    }
    return { digest: this.digest, size: this.offset };
  }

  /** Stop writing, keeping the bytes for a later attempt (fsynced, so a crash keeps them too). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.out.drain().catch(() => undefined);
    await this.handle.sync().catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}
