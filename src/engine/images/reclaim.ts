/**
 * Reclaimer: the garbage collector of the image stores, a mark and sweep.
 *
 * What is live (the mark): every image record's config blob; every layer on
 * the chain of an image record, or below the layer a container's rootfs sits
 * on (`rmi -f` removes an image a stopped container still uses: its layers
 * stay until the container goes, as dockerd's layer references keep them);
 * the tar blob (DiffID) of every live layer and the compressed blobs kept
 * for it (blob-sources.ts). Everything else under
 * `content/sha256` and `layers/` is garbage (the sweep).
 *
 * Crash safety comes from order: a removal deletes the image record (and
 * fsyncs its directory) before it asks for a sweep, and the mark is computed
 * from the records in memory, which mirror the ones on disk; so a `kill -9`
 * at any instant leaves at worst unreferenced blobs, never a record naming a
 * deleted blob. Writers keep the opposite order (blobs, layers, then the
 * record), so what a crash leaves of a load, import or commit is
 * unreferenced too. Either leftover is swept at the next start
 * (`ImageService.sweep()` once containers are loaded) or at the next removal.
 *
 * Concurrency: a load, import or commit writes blobs and layers (or reuses
 * ones already there) before the record that references them, so a sweep
 * meanwhile would take them. Such operations (and save, which streams blobs out) run inside `hold()`; a
 * sweep requested while any runs is deferred until the last one ends, and an
 * operation that starts while a sweep runs waits for it. Removals never wait
 * for creations: they report what they release at once, and the blobs go
 * when the store is quiet.
 */
import type { ChainId, Digest } from '../../oci/digest.ts';
import type { ContentStore } from '../../store/content/content-store.ts';
import type { LayerStore } from '../../store/layers/layer-store.ts';
import { log } from '../../util/log.ts';
import type { ImageStore } from './image-store.ts';

export interface ReclaimerOptions {
  store: ImageStore;
  content: ContentStore;
  layers: LayerStore;
  /** Chain IDs of the image layers that containers' root filesystems sit on. */
  heldLayers: () => Iterable<string>;
  /** Compressed blobs kept for these layers (DiffIDs): a pulled layer's own blob, a push's gzip (blob-sources.ts). */
  keptBlobs?: (diffIds: Iterable<string>) => Iterable<string>;
}

export class Reclaimer {
  /** Operations holding blobs (load, import, commit, bootstrap, save) in progress. */
  private active = 0;
  /** A sweep was asked for and has not started yet. */
  private pending = false;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly o: ReclaimerOptions) {}

  /** The chain IDs no removal may release: those of image records and those containers hold. */
  liveLayers(): Set<string> {
    const live = this.imageLayers();
    for (const held of this.o.heldLayers()) this.addStack(live, held);
    return live;
  }

  /** The layers of image records (in memory, no hashing: this runs on every container removal). */
  private imageLayers(): Set<string> {
    const live = new Set<string>();
    for (const image of this.o.store.images.values()) this.addStack(live, image.record.chainId);
    return live;
  }

  /** A layer and those below it; stops at one already in (a stack's lower part is shared). */
  private addStack(live: Set<string>, top: string | undefined): void {
    for (let c = top; c && !live.has(c); c = this.o.layers.get(c as ChainId)?.parent) live.add(c);
  }

  /**
   * Whether containers alone hold some layers (their image went with
   * `rmi -f`, or a creation is under way): only then can a container's
   * removal free anything.
   */
  containersHoldLayers(): boolean {
    const byImages = this.imageLayers();
    return this.o.layers.list().some((l) => !byImages.has(l.chainId));
  }

  /**
   * Run an operation that writes blobs or layers before the record naming
   * them (or streams blobs out, as save). `sweepAfter`: ask for a sweep when
   * it ends (load's staging blobs); a failed operation always asks (what it
   * wrote is unreferenced).
   */
  async hold<T>(fn: () => Promise<T>, options: { sweepAfter?: boolean } = {}): Promise<T> {
    while (this.sweeping) await this.sweeping;
    this.active++;
    let failed = true;
    try {
      const result = await fn();
      failed = false;
      return result;
    } finally {
      this.active--;
      if (failed || options.sweepAfter) this.pending = true;
      // Not awaited: the deferred sweep is the store's work, not this request's; drain() logs its own errors.
      if (this.active === 0 && this.pending) void this.drain();
    }
  }

  /**
   * Sweep now, or as soon as no creation is in progress. Resolves when a
   * sweep that started after the call has finished, or at once when deferred.
   * Never rejects: a failed sweep leaves garbage for the next one.
   */
  async sweep(): Promise<void> {
    this.pending = true;
    await this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending && this.active === 0) {
      if (this.sweeping) {
        await this.sweeping;
        continue;
      }
      this.pending = false;
      this.sweeping = this.sweepNow()
        .catch((err: unknown) => log.warn('sweeping unreferenced image content failed', { error: (err as Error).message }))
        .finally(() => {
          this.sweeping = undefined;
        });
      await this.sweeping;
    }
  }

  /**
   * What a pull keeps besides the record's blobs: the manifest (or index) a repo
   * digest (`repo@sha256:…`) names, the manifests of an index that are here,
   * and the blobs those name (the compressed layers, which push sends as they
   * are). Unreadable or foreign documents mark nothing more.
   */
  private async markDistribution(live: Set<string>): Promise<void> {
    const o = this.o;
    const todo: string[] = [];
    for (const ref of o.store.refs.keys()) {
      const at = ref.indexOf('@');
      if (at !== -1) todo.push(ref.slice(at + 1));
    }
    for (let digest = todo.pop(); digest !== undefined; digest = todo.pop()) {
      if (live.has(`m:${digest}`) || !(await o.content.has(digest as Digest))) continue;
      live.add(`m:${digest}`);
      live.add(digest);
      let doc: { manifests?: { digest?: string }[]; config?: { digest?: string }; layers?: { digest?: string }[] };
      try {
        doc = JSON.parse((await o.content.readBuffer(digest as Digest)).toString('utf8')) as typeof doc;
      } catch {
        continue;
      }
      for (const m of doc.manifests ?? []) if (typeof m.digest === 'string') todo.push(m.digest);
      if (typeof doc.config?.digest === 'string') live.add(doc.config.digest);
      for (const l of doc.layers ?? []) if (typeof l.digest === 'string') live.add(l.digest);
    }
  }

  private async sweepNow(): Promise<void> {
    const live = this.liveLayers();
    // Top layers first, so that a crash midway leaves no layer without its parent.
    const dead = this.o.layers.list().filter((l) => !live.has(l.chainId)).sort((a, b) => depth(this.o.layers, b.chainId) - depth(this.o.layers, a.chainId));
    for (const layer of dead) {
      log.debug('removing unreferenced layer', { chainId: layer.chainId });
      await this.o.layers.delete(layer.chainId);
    }
    const blobs = new Set<string>(this.o.store.images.keys());
    const diffIds = this.o.layers.list().map((l) => l.diffId as string);
    for (const d of diffIds) blobs.add(d);
    for (const d of this.o.keptBlobs?.(diffIds) ?? []) blobs.add(d);
    await this.markDistribution(blobs);
    for (const digest of await this.o.content.list()) {
      if (blobs.has(digest)) continue;
      log.debug('removing unreferenced blob', { digest });
      await this.o.content.delete(digest as Digest);
    }
  }
}

function depth(layers: LayerStore, chainId: ChainId): number {
  let n = 0;
  for (let l = layers.get(chainId); l?.parent; l = layers.get(l.parent)) n++;
  return n;
}
