/**
 * What the engine writes in the journal of operations in flight
 * (src/store/journal.ts) for each operation a `kill -9` could leave half
 * done, and what recovery.ts reads back. Every field is noted BEFORE the
 * step it describes is taken, so a record may name a step that never
 * happened: recovery checks the world before acting on it.
 */
import type { Intent } from '../store/journal.ts';

/**
 * An image being made or installed (commit, import, one image of a load):
 * the references it is to get, then its ID once the config is known, and
 * the layers unpacked for it.
 */
export interface ImageIntent {
  kind: 'image';
  /** `commit`, `import` or `load`, for the log. */
  op: string;
  /** Full references the image is to get. */
  refs: string[];
  /** The image ID, noted before its record is written. */
  imageId?: string;
  /** Chain IDs of layers unpacked for it (an interrupted operation's are swept if no image uses them). */
  layers?: string[];
  /** A commit pauses its container: noted before the pause, and the daemon's own pause is undone at start. */
  pausedContainer?: string;
}

/** `docker rmi`: the image being removed and its layers, top last. */
export interface RemoveImageIntent {
  kind: 'rmi';
  imageId: string;
  layers: string[];
  /** `rmi -f`: a stopped container's image is removed too. */
  force: boolean;
}

/** `docker update` of a live container: the runtime may hold limits that the record does not. */
export interface UpdateIntent {
  kind: 'update';
  containerId: string;
}

export type OperationIntent = ImageIntent | RemoveImageIntent | UpdateIntent;

export type ImageIntentHandle = Intent<ImageIntent>;
