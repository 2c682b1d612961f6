/**
 * LayerStore: unpacked, read-only image layers under `<root>/<chainIdHex>/`
 * (root is `<dataRoot>/layers`), each with `diff/` (usable as an overlayfs
 * lowerdir) and `layer.json`.
 *
 * Lifecycle: a layer is unpacked ONCE, at pull/load/import/commit time, into
 * a temp dir `<root>/.tmp-<random>/diff`; its chain ID is only known at the
 * end (it depends on the DiffID), then the dir is renamed into place and
 * `layer.json` is written LAST. A layer dir without `layer.json`, or a temp
 * dir, is garbage from an interrupted unpack and `reconcile` removes it. The
 * container start path only calls `lowerDirs`, an in-memory lookup.
 *
 * A layer's tar (what `save` writes and a push compresses) is kept as one of:
 * the content blob whose digest is the DiffID (load, import, commit keep the
 * uncompressed tar), or a compressed blob the engine kept for the layer (a
 * pull keeps only the blob it downloaded; `keptBlob` names it), decompressed
 * when read: a pulled layer is stored twice (blob, unpacked dir), not three
 * times. `hasTar` and `openTar` hide which.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { chainIds, digestHex, isSha256Hex, type ChainId, type DiffId, type Digest } from '../../oci/digest.ts';
import { NotFoundError, SystemError, isErrno } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { failpoint } from '../../util/failpoint.ts';
import { readJson, writeJsonAtomic } from '../records.ts';
import type { ContentStore, ContentWriter } from '../content/content-store.ts';
import { applyLayerTar } from './unpack.ts';
import { decompressed } from './decompress.ts';
import { diffTar } from './diff-tar.ts';
import { changes, type Change } from './changes.ts';
import type { LayerSyscalls } from './syscalls.ts';

export interface LayerRecord {
  diffId: DiffId;
  chainId: ChainId;
  parent?: ChainId;
  /** Docker's layer size (file and symlink bytes). */
  size: number;
  /** Bytes of the uncompressed tar. */
  tarSize: number;
}

export interface UnpackOptions {
  /** When known (load, pull), an existing layer is reused without unpacking. */
  expectedDiffId?: DiffId;
  /**
   * Keep the uncompressed tar as the DiffID blob (default true). A pull says
   * false: it keeps the compressed blob and records it for `keptBlob` before
   * the layer is committed.
   */
  keepTar?: boolean;
}

/** A layer unpacked into a temp dir, not yet in the store (see `LayerStore.prepare`). */
export interface PreparedLayer {
  temp: string;
  diffId: DiffId;
  size: number;
  tarSize: number;
}

export interface LayerStoreOptions {
  /** `native()` from src/drivers/native.ts. */
  sys: LayerSyscalls;
  /** Where uncompressed layer tars are kept (needed by save and push). */
  content?: ContentStore;
  /**
   * A content blob (compressed or not) whose decompression is the layer's
   * tar, for a layer whose DiffID blob is not kept (a pulled one): the
   * engine's record of the blobs it kept (blob-sources.ts).
   */
  keptBlob?: (diffId: DiffId) => Promise<Digest | undefined>;
}

export class LayerStore {
  private readonly layers = new Map<string, LayerRecord>();
  private content: ContentStore | undefined;
  private syscalls: LayerSyscalls | undefined;
  private keptBlob: ((diffId: DiffId) => Promise<Digest | undefined>) | undefined;

  constructor(
    readonly root: string,
    options: Partial<LayerStoreOptions> = {},
  ) {
    this.content = options.content;
    this.syscalls = options.sys;
    this.keptBlob = options.keptBlob;
  }

  /** Fill in what the constructor was not given (the image service does, for a bare `new LayerStore(root)`). */
  configure(options: Partial<LayerStoreOptions>): void {
    this.content ??= options.content;
    this.syscalls ??= options.sys;
    this.keptBlob ??= options.keptBlob;
  }

  get sys(): LayerSyscalls {
    if (!this.syscalls) throw new SystemError('layer store used before its syscalls were configured');
    return this.syscalls;
  }

  /** A layer tar of an overlay upper dir (commit). */
  diffTar(upperDir: string): Readable {
    return diffTar(this.sys, upperDir);
  }

  /** Docker's change list of an upper dir over `lowerDirs` (top first). */
  changes(upperDir: string, lowerDirs: readonly string[]): Promise<Change[]> {
    return changes(this.sys, upperDir, lowerDirs);
  }

  /** Load records; remove garbage from interrupted unpacks. Call once at startup. */
  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    for (const name of await fs.readdir(this.root)) {
      const dir = path.join(this.root, name);
      const record = isSha256Hex(name) ? await readJson<LayerRecord>(path.join(dir, 'layer.json')) : undefined;
      if (!record) {
        log.info('removing incomplete layer', { dir });
        await fs.rm(dir, { recursive: true, force: true });
        continue;
      }
      this.layers.set(record.chainId, record);
    }
    // A layer whose parent is gone is unusable.
    for (const record of [...this.layers.values()]) {
      if (record.parent && !this.hasChain(record.chainId)) {
        log.info('removing orphan layer', { chainId: record.chainId });
        await this.delete(record.chainId);
      }
    }
  }

  private hasChain(chainId: ChainId): boolean {
    let current: LayerRecord | undefined = this.layers.get(chainId);
    while (current?.parent) current = this.layers.get(current.parent);
    return current !== undefined;
  }

  has(chainId: ChainId): boolean {
    return this.layers.has(chainId);
  }

  get(chainId: ChainId): LayerRecord | undefined {
    return this.layers.get(chainId);
  }

  list(): LayerRecord[] {
    return [...this.layers.values()];
  }

  dir(chainId: ChainId): string {
    return path.join(this.root, digestHex(chainId));
  }

  diffDir(chainId: ChainId): string {
    return path.join(this.dir(chainId), 'diff');
  }

  /** The diff dirs of the stack ending at `chainId`, top layer first (overlayfs lowerdir order). */
  lowerDirs(chainId: ChainId): string[] {
    const out: string[] = [];
    let current = this.layers.get(chainId);
    if (!current) throw new NotFoundError(`layer ${chainId} not found`);
    while (current) {
      out.push(this.diffDir(current.chainId));
      current = current.parent ? this.layers.get(current.parent) : undefined;
    }
    return out;
  }

  /** Sum of layer sizes of the stack ending at `chainId`. */
  stackSize(chainId: ChainId | undefined): number {
    let size = 0;
    let current = chainId ? this.layers.get(chainId) : undefined;
    while (current) {
      size += current.size;
      current = current.parent ? this.layers.get(current.parent) : undefined;
    }
    return size;
  }

  private childChain(parent: ChainId | undefined, diffId: DiffId): ChainId {
    return parent ? chainIds([parent as string as DiffId, diffId]).at(-1)! : (diffId as string as ChainId);
  }

  /**
   * Unpack the layer tar `source` (plain or gzip) on top of `parent`. If the
   * resulting layer already exists the stream is drained and it is reused.
   */
  async unpack(source: Readable, parent: ChainId | undefined, options: UnpackOptions = {}): Promise<LayerRecord> {
    if (parent && !this.layers.has(parent)) throw new NotFoundError(`layer ${parent} not found`);
    if (options.expectedDiffId) {
      const known = this.layers.get(this.childChain(parent, options.expectedDiffId));
      if (known && (!this.content || (await this.hasTar(known.diffId)))) {
        for await (const _ of source) {
          // drain: the caller's stream must be consumed
        }
        return known;
      }
    }
    const prepared = await this.prepare(source, options);
    try {
      return await this.commitPrepared(prepared, parent);
    } catch (err) {
      await this.discardPrepared(prepared);
      throw err;
    }
  }

  /**
   * Unpack a layer tar before its parent is known to the store (a pull
   * unpacks layers while they download, several at once): the layer goes to
   * a temp dir and its tar into the content store; `commitPrepared` then puts
   * it in place on its parent, bottom up, or `discardPrepared` drops it. A
   * crash in between leaves a temp dir that `init` removes.
   */
  async prepare(source: Readable, options: UnpackOptions = {}): Promise<PreparedLayer> {
    const temp = path.join(this.root, `.tmp-${randomBytes(8).toString('hex')}`);
    const diff = path.join(temp, 'diff');
    await fs.mkdir(diff, { recursive: true, mode: 0o755 });
    let writer: ContentWriter | undefined;
    try {
      // applyLayerTar hashes the tar it copies into the writer (the diffId): no second sha256 pass.
      writer = this.content && options.keepTar !== false ? await this.content.openWriter({ hashed: false }) : undefined;
      const applied = await applyLayerTar(this.sys, source, diff, writer);
      if (options.expectedDiffId && applied.diffId !== options.expectedDiffId) {
        throw new NotFoundError(`layer digest mismatch: expected ${options.expectedDiffId}, got ${applied.diffId}`);
      }
      if (writer) await writer.commit(applied.diffId as string as Digest);
      writer = undefined;
      return { temp, diffId: applied.diffId, size: applied.size, tarSize: applied.tarSize };
    } catch (err) {
      if (writer) await writer.abort();
      await fs.rm(temp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Put a prepared layer in place on `parent` (which must exist); returns its record. */
  async commitPrepared(prepared: PreparedLayer, parent: ChainId | undefined): Promise<LayerRecord> {
    if (parent && !this.layers.has(parent)) throw new NotFoundError(`layer ${parent} not found`);
    const chainId = this.childChain(parent, prepared.diffId);
    const existing = this.layers.get(chainId);
    if (existing) {
      await fs.rm(prepared.temp, { recursive: true, force: true });
      return existing;
    }
    const record: LayerRecord = { diffId: prepared.diffId, chainId, size: prepared.size, tarSize: prepared.tarSize };
    if (parent) record.parent = parent;
    const dir = this.dir(chainId);
    await fs.rm(dir, { recursive: true, force: true }); // garbage of an earlier crash, if any
    await fs.rename(prepared.temp, dir);
    await writeJsonAtomic(path.join(dir, 'layer.json'), record);
    this.layers.set(chainId, record);
    return record;
  }

  async discardPrepared(prepared: PreparedLayer): Promise<void> {
    await fs.rm(prepared.temp, { recursive: true, force: true });
  }

  /** The uncompressed tar of a layer (see `openTar`). */
  async tarStream(chainId: ChainId): Promise<Readable> {
    const record = this.layers.get(chainId);
    if (!record || !this.content) throw new NotFoundError(`layer ${chainId} not found`);
    return this.openTar(record.diffId);
  }

  /** Whether the tar of layer `diffId` can be read: its DiffID blob, or a kept blob that decompresses to it. */
  async hasTar(diffId: DiffId): Promise<boolean> {
    if (!this.content) return false;
    if (await this.content.has(diffId as string as Digest)) return true;
    return (await this.keptBlob?.(diffId)) !== undefined;
  }

  /**
   * A stream of the uncompressed tar of layer `diffId`: the DiffID blob, else
   * the kept blob decompressed. The kept blob's digest was verified when it
   * was stored and its decompression against the DiffID when the layer was
   * unpacked; the stream fails if its length is not the layer's `tarSize`
   * (a caller writing it into an archive has announced that size).
   */
  async openTar(diffId: DiffId): Promise<Readable> {
    if (!this.content) throw new NotFoundError(`layer ${diffId} not found`);
    const content = this.content;
    const own = await content.readStream(diffId as string as Digest).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (own) return own;
    const blob = await this.keptBlob?.(diffId);
    if (blob === undefined) throw new NotFoundError(`layer ${diffId}: no tar kept`);
    const tarSize = this.list().find((l) => l.diffId === diffId)?.tarSize;
    const tar = await decompressed(await content.readStream(blob));
    if (tarSize === undefined) return tar;
    const checked = new SizeCheck(tarSize, diffId);
    pipeline(tar, checked, () => undefined); // an error of either ends `checked` with it
    return checked;
  }

  /** Bytes of the uncompressed tar of layer `diffId` (its record's, else the DiffID blob's size). */
  async tarSize(diffId: DiffId): Promise<number> {
    const record = this.list().find((l) => l.diffId === diffId);
    if (record) return record.tarSize;
    if (!this.content) throw new NotFoundError(`layer ${diffId} not found`);
    return this.content.size(diffId as string as Digest);
  }

  /** Remove a layer (callers ensure nothing uses it; children must go first). */
  async delete(chainId: ChainId): Promise<void> {
    failpoint('layer-deleting');
    const record = this.layers.get(chainId);
    this.layers.delete(chainId);
    const dir = this.dir(chainId);
    // Remove the record first so a crash mid-removal leaves garbage, not a broken layer.
    await fs.rm(path.join(dir, 'layer.json'), { force: true });
    await fs.rm(dir, { recursive: true, force: true }).catch((err: unknown) => {
      if (!isErrno(err, 'ENOENT')) throw err;
    });
    if (record && this.content && ![...this.layers.values()].some((l) => l.diffId === record.diffId)) {
      await this.content.delete(record.diffId as string as Digest);
    }
  }
}

/** Passes a stream through, failing it when its length is not `expected` (a decompressed tar must be the layer's). */
class SizeCheck extends Transform {
  private seen = 0;
  constructor(
    private readonly expected: number,
    private readonly diffId: DiffId,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    cb(this.seen === this.expected ? null : new SystemError(`layer ${this.diffId}: the kept blob decompresses to ${this.seen} bytes, not ${this.expected}`));
  }
}
