/**
 * ImageService: the images of one engine. Owns image records and the tag
 * store (image-store.ts) over the content store (configs, layer tars) and the
 * layer store (unpacked layers).
 *
 * Vocabulary: an image ID is the digest of its config blob; a *reference* is
 * a name (`busybox:latest`, `a/b@sha256:…`); `resolveImage` accepts a
 * reference, a full ID, or a unique ID prefix (names first, as Docker).
 * Invariants: every record's config blob and layers exist (reconcile drops
 * records whose blobs vanished); every tag points at a record. Lookups used
 * on the container start path (`resolve`, `lowerDirs`) are in-memory.
 * Blobs and layers no record or container uses are reclaimed (reclaim.ts):
 * a removal sweeps them, and so does `sweep()` at start.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { chainIds, sha256Digest, type ChainId, type DiffId, type Digest } from '../../oci/digest.ts';
import type { ImageConfig, ImageRunConfig } from '../../oci/image.ts';
import { familiarName, formatReference, isReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import type { ContentStore } from '../../store/content/content-store.ts';
import type { LayerStore } from '../../store/layers/layer-store.ts';
import { KeyedLock } from '../../store/lock.ts';
import { Journal } from '../../store/journal.ts';
import type { ImageIntentHandle, RemoveImageIntent } from '../intents.ts';
import { native } from '../../drivers/native.ts';
import { InvalidParameterError, NotFoundError, NotImplementedError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { failpoint } from '../../util/failpoint.ts';
import type { HistoryResponseItem, ImageDeleteResponseItem, ImageInspect, ImagePruneResponse, ImageSummary } from '../../wire/image.ts';
import { noSuchImage } from './errors.ts';
import { ImageStore, type Image } from './image-store.ts';
import type { ImageCatalog, ImageUser } from './image-catalog.ts';
import type { ProgressSink } from '../progress-event.ts';
import { selectImages } from './filters.ts';
import { historyEntries, repoTags, toWireInspect, toWireSummary } from './to-wire.ts';
import { pruneImages, removeImage, type RemoveOptions } from './remove.ts';
import { Reclaimer } from './reclaim.ts';
import { imageUsage } from './usage.ts';
import { loadImages } from './load.ts';
import { saveImages } from './save.ts';
import { bootstrapBusybox, commitImage, importImage, type CommitOptions, type ImportOptions, type ImportSource } from './create-image.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';
import { bootstrapDebian, defaultDebianCache, parseDebianName } from './bootstrap-debian.ts';
import type { AuthConfig } from '../../registry/client/auth.ts';
import type { RegistryHostsConfig } from '../../registry/client/endpoints.ts';
import { BlobSources } from './blob-sources.ts';
import { pushImage } from './push.ts';
import { registryLogin, type LoginResult } from './login.ts';

export type { ImageUser } from './image-catalog.ts';

export interface ImageServiceOptions {
  dataRoot: string;
  content: ContentStore;
  layers: LayerStore;
  events?: { publish(type: 'image', action: string, id: string, attributes?: Record<string, string>): void };
  /** A container using the image (a running one preferred), if any. */
  isImageInUse: (imageId: string) => ImageUser | undefined;
  /** How many containers use the image (`system df`'s Containers); 0 or 1 from isImageInUse if not given. */
  imageUsers?: (imageId: string) => number;
  /**
   * Resolves when the releases of removed containers are done: one removed a
   * moment ago may still hold an image's layers in its rootfs mount, so
   * removals and prunes wait for it before deleting layers.
   */
  containersReleased?: () => Promise<void>;
  /**
   * Chain IDs of the image layers containers' root filesystems sit on
   * (`imageChainId` of every container record): kept even when `rmi -f`
   * removed the image.
   */
  heldLayers?: () => Iterable<string>;
  /** The journal of operations in flight (default: `<dataRoot>/intents`). */
  journal?: Journal;
  /** Where `bootstrap debian:…` keeps downloaded .debs (default: `<dataRoot>/cache/debian`). */
  bootstrapCacheDir?: string;
  /** daemon.json's insecure-registries and registry-mirrors (push and login reach registries through them). */
  registry?: RegistryHostsConfig;
}

export interface BootstrapOptions {
  /** Debian: the archive to use instead of the host apt's. */
  mirror?: string;
  /** Debian: pass mmdebstrap's output on as it runs. */
  debug?: boolean;
  signal?: AbortSignal;
}

/** What the container service needs to create and start a container. */
export interface ResolvedImage {
  id: string;
  /** The image's container config (Cmd, Env, …), as `mergeImageConfig` wants it. */
  config: ImageRunConfig;
  imageConfig: ImageConfig;
  /** Chain ID of the top layer ('' for an image without layers). */
  chainId: string;
  lowerDirs: string[];
}

const HEX_PREFIX = /^(sha256:)?[a-f0-9]{1,64}$/;

export class ImageService implements ImageCatalog {
  readonly store: ImageStore;
  readonly content: ContentStore;
  readonly layers: LayerStore;
  readonly lock = new KeyedLock();
  private readonly reclaimer: Reclaimer;
  readonly journal: Journal;
  /** Where layers' compressed blobs came from and went to (pull and push). */
  readonly sources: BlobSources;

  constructor(readonly o: ImageServiceOptions) {
    this.journal = o.journal ?? new Journal(path.join(o.dataRoot, 'intents'));
    this.store = new ImageStore(path.join(o.dataRoot, 'images'));
    this.sources = new BlobSources(path.join(o.dataRoot, 'images', 'blob-sources'));
    this.content = o.content;
    this.layers = o.layers;
    // The layer store keeps layer tars in the content store and needs the native syscalls
    // (store/ may not import drivers/); a store built with them already keeps its own.
    // A pulled layer's tar is its kept compressed blob (blob-sources.ts), decompressed when read.
    this.layers.configure({ content: o.content, sys: native(), keptBlob: (diffId) => this.keptBlob(diffId) });
    this.reclaimer = new Reclaimer({
      store: this.store,
      content: o.content,
      layers: o.layers,
      heldLayers: o.heldLayers ?? (() => []),
      keptBlobs: (diffIds) => this.sources.blobsOf(diffIds),
    });
  }

  /** The first blob recorded for layer `diffId` that the content store has. */
  private async keptBlob(diffId: DiffId): Promise<Digest | undefined> {
    for (const blob of this.sources.get(diffId)) if (await this.content.has(blob.digest)) return blob.digest;
    return undefined;
  }

  /**
   * Startup: sweep temp files and incomplete layers, load records, drop
   * records whose blobs are missing. Unreferenced blobs and layers are left
   * to `sweep()`, which needs the containers loaded (they hold layers).
   */
  async reconcile(): Promise<void> {
    await this.content.init();
    await this.content.sweep();
    await this.layers.init();
    const dropped = await this.store.load(async (id) => {
      if (!(await this.content.has(id))) return undefined;
      const config = JSON.parse((await this.content.readBuffer(id)).toString('utf8')) as ImageConfig;
      const top = chainIds(config.rootfs?.diff_ids ?? []).at(-1);
      return top === undefined || this.layers.has(top) ? config : undefined;
    });
    await this.sources.load();
    for (const hex of dropped) log.warn('dropped image record with missing content', { id: hex });
    if (dropped.length > 0) await this.store.saveRefs();
  }

  /**
   * An image event as dockerd's LogImageEvent makes it: the image's labels
   * and `name`, which is the image ID unless a reference is given (tag, pull).
   */
  publish(action: string, id: string, attributes: Record<string, string> = {}): void {
    const labels = (this.store.images.get(id)?.config.config?.Labels ?? {}) as Record<string, string>;
    this.o.events?.publish('image', action, id, { ...labels, name: id, ...attributes });
  }

  // ---- lookups --------------------------------------------------------------

  /** The image ID a reference or ID prefix names, or undefined. */
  findId(input: string): string | undefined {
    if (isReference(input)) {
      const id = this.store.refs.get(formatReference(withDefaultTag(parseReference(input))));
      if (id) return id;
    }
    if (!HEX_PREFIX.test(input)) return undefined;
    const prefix = input.startsWith('sha256:') ? input : `sha256:${input}`;
    const hits = [...this.store.images.keys()].filter((id) => id.startsWith(prefix));
    return hits.length === 1 ? hits[0] : undefined;
  }

  resolveImage(input: string): Image {
    const id = this.findId(input);
    const image = id ? this.store.images.get(id) : undefined;
    if (!image) throw noSuchImage(input);
    return image;
  }

  get(id: string): Image | undefined {
    return this.store.images.get(id);
  }

  resolve(input: string): ResolvedImage {
    const image = this.resolveImage(input);
    const chainId = image.record.chainId ?? '';
    return { id: image.record.id, config: image.config.config ?? {}, imageConfig: image.config, chainId, lowerDirs: this.lowerDirs(chainId) };
  }

  lowerDirs(chainId: string): string[] {
    return chainId ? this.layers.lowerDirs(chainId as ChainId) : [];
  }

  sizeOf(imageId: string): number {
    const image = this.store.images.get(imageId);
    return image ? this.layers.stackSize(image.record.chainId) : 0;
  }

  count(): number {
    return this.store.images.size;
  }

  children(id: string): Image[] {
    return [...this.store.images.values()].filter((i) => i.record.parent === id);
  }

  isImageInUse(id: string): ImageUser | undefined {
    return this.o.isImageInUse(id);
  }

  // ---- queries --------------------------------------------------------------

  list(options: { all?: boolean; filters?: Map<string, string[]> } = {}): ImageSummary[] {
    const selected = selectImages(this, options.filters ?? new Map(), options.all ?? false);
    return selected
      .map(({ image, refs }) => toWireSummary(image, { refs, size: this.sizeOf(image.record.id) }))
      .sort((a, b) => b.Created - a.Created);
  }

  inspect(input: string): ImageInspect {
    let image: Image;
    try {
      image = this.resolveImage(input);
    } catch (err) {
      // Docker 20.10 wraps the lookup error on inspect.
      if (err instanceof NotFoundError || err instanceof InvalidParameterError) throw new NotFoundError(`no such image: ${input}: ${err.message}`);
      throw err;
    }
    const chainId = image.record.chainId;
    const graphDriver: Record<string, string> = {};
    if (chainId) {
      const dirs = this.layers.lowerDirs(chainId);
      if (dirs.length > 1) graphDriver['LowerDir'] = dirs.slice(1).join(':');
      const top = this.layers.dir(chainId);
      Object.assign(graphDriver, { MergedDir: `${top}/merged`, UpperDir: `${top}/diff`, WorkDir: `${top}/work` });
    }
    return toWireInspect(image, { refs: this.store.refsOf(image.record.id), size: this.sizeOf(image.record.id), graphDriver });
  }

  history(input: string): HistoryResponseItem[] {
    const image = this.resolveImage(input);
    const chain = chainIds(image.config.rootfs.diff_ids);
    const entries = historyEntries(image, (i) => {
      const c = chain[i];
      return c ? (this.layers.get(c)?.size ?? 0) : 0;
    });
    let current: Image | undefined = image;
    for (const entry of entries) {
      if (!current) break;
      entry.Id = current.record.id;
      const tags = repoTags(this.store.refsOf(current.record.id));
      entry.Tags = tags.length ? tags : null;
      current = current.record.parent ? this.store.images.get(current.record.parent) : undefined;
    }
    return entries;
  }

  /** `system df`'s images: its Reclaimable is what `image prune -a` frees (usage.ts). */
  df(): { layersSize: number; images: ImageSummary[] } {
    const users = this.o.imageUsers ?? ((id: string) => (this.o.isImageInUse(id) ? 1 : 0));
    return imageUsage(this, this.list({ all: false }), users);
  }

  // ---- mutations ------------------------------------------------------------

  /** `docker tag SOURCE REPO[:TAG]`. */
  async tag(source: string, repo: string, tag?: string): Promise<void> {
    const image = this.resolveImage(source);
    const ref = parseReference(tag ? `${repo}:${tag}` : repo);
    if (ref.digest) throw new InvalidParameterError('refusing to create a tag with a digest reference');
    await this.addReference(formatReference(withDefaultTag(ref)), image.record.id);
  }

  /**
   * Point `fullRef` at `id` (replacing what it named) and record LastTagTime.
   * A tag event follows unless `quiet` (dockerd's load sets its tags without one).
   */
  async addReference(fullRef: string, id: Digest, options: { quiet?: boolean } = {}): Promise<void> {
    await this.lock.run('refs', async () => {
      const image = this.store.images.get(id);
      if (!image) throw noSuchImage(id);
      image.record.lastTagTime = nowRfc3339Nano();
      await this.store.put(image);
      this.store.refs.set(fullRef, id);
      await this.store.saveRefs();
    });
    if (!options.quiet) this.publish('tag', id, { name: familiarName(parseReference(fullRef)) });
  }

  async removeReference(fullRef: string): Promise<void> {
    await this.lock.run('refs', async () => {
      this.store.refs.delete(fullRef);
      await this.store.saveRefs();
    });
    failpoint('image-untagged');
  }

  /** `docker rmi`; the blobs and layers it releases are swept before it answers (unless a load, import or commit is running). */
  async remove(input: string, options: RemoveOptions = {}): Promise<ImageDeleteResponseItem[]> {
    await this.o.containersReleased?.();
    // Removal untags, then deletes the record, then the layers: a crash in
    // between would leave a dangling image or stray layers, which recovery
    // finishes removing from this note.
    const image = this.resolveImage(input);
    const intent = await this.journal.begin<RemoveImageIntent>({
      kind: 'rmi',
      imageId: image.record.id,
      layers: chainIds(image.config.rootfs?.diff_ids ?? []),
      force: options.force ?? false,
    });
    try {
      return await removeImage(this, input, options);
    } finally {
      await intent.end();
    }
  }

  async prune(options: { filters?: Map<string, string[]> } = {}): Promise<ImagePruneResponse> {
    await this.o.containersReleased?.();
    return pruneImages(this, options.filters ?? new Map());
  }

  // ---- content reclamation (reclaim.ts) -----------------------------------------

  /**
   * A container was removed: if it sat on layers of an image `rmi -f`
   * removed, they are free once its rootfs is released. Not awaited by the
   * removal (`run --rm` must not wait for a sweep); a no-op for a container
   * whose image is still there.
   */
  containerRemoved(): void {
    if (!this.reclaimer.containersHoldLayers()) return;
    // Not awaited (see above); sweep() never rejects and a failed wait only delays the sweep.
    void (this.o.containersReleased?.() ?? Promise.resolve()).then(
      () => this.sweep(),
      (err: unknown) => log.warn('waiting for removed containers failed', { error: (err as Error).message }),
    );
  }

  hold<T>(fn: () => Promise<T>, options: { sweepAfter?: boolean } = {}): Promise<T> {
    return this.reclaimer.hold(fn, options);
  }

  liveLayers(): Set<string> {
    return this.reclaimer.liveLayers();
  }

  /**
   * Delete the config blobs, layer tars and layers no image record or
   * container uses: what a crash left between a blob and its record, or
   * between a record and its blobs. Call at start once containers are loaded.
   */
  sweep(): Promise<void> {
    return this.reclaimer.sweep();
  }

  /**
   * Record an image whose layers are already in the layer store: config blob
   * first, then the record. Returns the image ID (idempotent).
   */
  createImage(configOrBytes: ImageConfig | Buffer, parent?: string, intent?: ImageIntentHandle): Promise<Digest> {
    return this.hold(() => this.recordImage(configOrBytes, parent, intent));
  }

  private async recordImage(configOrBytes: ImageConfig | Buffer, parent?: string, intent?: ImageIntentHandle): Promise<Digest> {
    // The ID is the digest of the exact config bytes: loaded configs are kept byte for byte.
    const bytes = Buffer.isBuffer(configOrBytes) ? configOrBytes : Buffer.from(JSON.stringify(configOrBytes));
    const config = Buffer.isBuffer(configOrBytes) ? (JSON.parse(bytes.toString('utf8')) as ImageConfig) : configOrBytes;
    const id = sha256Digest(bytes);
    await intent?.note({ imageId: id });
    const existing = this.store.images.get(id);
    if (existing) return id;
    const top = chainIds(config.rootfs.diff_ids).at(-1);
    if (top !== undefined && !this.layers.has(top)) throw new NotFoundError(`layer ${top} not found`);
    await this.content.ingestBuffer(bytes, id);
    const record: Image['record'] = { id };
    if (top) record.chainId = top;
    if (parent) record.parent = parent as Digest;
    await this.store.put({ record, config });
    failpoint('image-recorded');
    return id;
  }

  // ---- archives and image creation (see load.ts, install.ts, save.ts, create-image.ts) ----

  /** `docker load`; `progress` hears of each image loaded. Returns the loaded image IDs. */
  load(source: Readable, progress?: ProgressSink): Promise<Digest[]> {
    // The archive's staging blobs (manifests, compressed layers) are swept when it ends.
    return this.hold(() => loadImages(this, source, progress), { sweepAfter: true });
  }

  /** `docker save`: names are resolved before the stream starts (404 up front). */
  save(names: string[]): Readable {
    return saveImages(this, names);
  }

  /** `docker import` of a stream or a URL (fetched here; "Downloading from" goes to `progress`). */
  import(source: ImportSource, options: ImportOptions = {}, progress?: ProgressSink): Promise<Digest> {
    return this.hold(() => importImage(this, source, options, progress));
  }

  commit(options: CommitOptions): Promise<Digest> {
    return this.hold(() => commitImage(this, options));
  }

  /**
   * `docker push`: the repository's `tag`, or all its tags when empty. Runs
   * inside `hold` (it writes compressed blobs no record names yet).
   */
  push(name: string, tag: string, auth: AuthConfig, progress: ProgressSink): Promise<void> {
    return this.hold(() => pushImage({ images: this, sources: this.sources, registry: this.o.registry ?? {} }, { name, tag, auth, progress }));
  }

  /** `POST /auth`: check credentials against the registry (dockerd's words on failure). */
  login(auth: AuthConfig): Promise<LoginResult> {
    return registryLogin(auth, this.o.registry ?? {});
  }

  bootstrapBusybox(name?: string): Promise<Digest> {
    return this.hold(() => bootstrapBusybox(this, name));
  }

  /**
   * `berth image bootstrap NAME`: `busybox[:TAG]` from the host binary,
   * `debian[:SUITE[-slim]]` with mmdebstrap (bootstrap-debian.ts). A Debian
   * run that fails leaves a layer no image names: swept when it ends.
   */
  async bootstrap(name: string, options: BootstrapOptions = {}, progress?: ProgressSink): Promise<Digest> {
    if (/^busybox(:[\w][\w.-]*)?$/.test(name)) return this.bootstrapBusybox(name);
    const debian = parseDebianName(name);
    if (!debian) throw new NotImplementedError(`cannot bootstrap ${name}: only busybox and debian[:SUITE[-slim]] are supported`);
    const cacheDir = this.o.bootstrapCacheDir ?? defaultDebianCache(this.o.dataRoot);
    return this.hold(() => bootstrapDebian(this, debian, { cacheDir, progress, ...options }), { sweepAfter: true });
  }
}
