/**
 * ImageCatalog: what the image operations kept in modules of their own
 * (load, install, save, remove, create-image, filters) need of the image
 * service. ImageService implements it and imports those modules; they import
 * only this declaration, so no module of images/ imports the service back.
 *
 * The invariants are the service's (see image-service.ts): a record's blobs
 * and layers exist before the record, a tag points at a record.
 */
import type { Digest } from '../../oci/digest.ts';
import type { ImageConfig } from '../../oci/image.ts';
import type { ContentStore } from '../../store/content/content-store.ts';
import type { LayerStore } from '../../store/layers/layer-store.ts';
import type { Image, ImageStore } from './image-store.ts';
import type { Journal } from '../../store/journal.ts';
import type { ImageIntentHandle } from '../intents.ts';
import type { BlobSources } from './blob-sources.ts';

/** A container that uses an image. */
export interface ImageUser {
  id: string;
  running: boolean;
}

export interface ImageCatalog {
  /** Records and tags (read freely; change tags through add/removeReference). */
  readonly store: ImageStore;
  readonly content: ContentStore;
  readonly layers: LayerStore;
  /** Operations in flight, for recovery after a crash (see recovery.ts). */
  readonly journal: Journal;
  /** Layers' compressed blobs and the repositories they were pulled from or pushed to (push reads them). */
  readonly sources: BlobSources;

  get(id: string): Image | undefined;
  /** A reference, full ID or unique ID prefix → the image, or Docker's "No such image". */
  resolveImage(input: string): Image;
  /** Images whose parent is `id` (commits on top of it). */
  children(id: string): Image[];
  /** A container using the image (a running one preferred), if any. */
  isImageInUse(id: string): ImageUser | undefined;

  /** Publish an image event (`load`, `import`, `delete`, …) with the image's labels. */
  publish(action: string, id: string, attributes?: Record<string, string>): void;
  /** Point a full reference at an image; a `tag` event unless `quiet`. */
  addReference(fullRef: string, id: Digest, options?: { quiet?: boolean }): Promise<void>;
  removeReference(fullRef: string): Promise<void>;
  /**
   * Record an image whose layers are in the layer store (config blob, then
   * record). Idempotent. The image ID is noted in `intent` before anything is written.
   */
  createImage(configOrBytes: ImageConfig | Buffer, parent?: string, intent?: ImageIntentHandle): Promise<Digest>;

  /**
   * Content reclamation (reclaim.ts): run `fn`, which writes or streams blobs
   * and layers no record names yet, with sweeps held off until it ends.
   */
  hold<T>(fn: () => Promise<T>, options?: { sweepAfter?: boolean }): Promise<T>;
  /** Chain IDs that images and containers use: a removal releases only layers outside it. */
  liveLayers(): Set<string>;
  /** Delete the blobs and layers nothing references (now, or when no `hold` is in progress). */
  sweep(): Promise<void>;
}
