/**
 * What a long image operation (load, import; later pull, push, build) tells
 * its caller while it runs: a discriminated union on `kind`, emitted through
 * a `ProgressSink`. The engine says *what happened*; `src/api/` decides how
 * that reads on the wire (Docker's JSON progress lines: `status`, `id`,
 * `progressDetail`/`progress`, `stream`, `aux`), and an in-process user of
 * the engine may show it otherwise.
 *
 * Failures are not events: the operation throws, and the API layer turns an
 * error raised after the stream started into Docker's `error`/`errorDetail`
 * line. An operation emits only the events its Docker counterpart prints, in
 * the same order, so that the rendered bytes match dockerd's.
 */
import type { Digest } from '../oci/digest.ts';

/** A line of text with an optional subject: "Downloading from <url>", "Pulling from library/busybox" (id "latest"). */
export interface StatusEvent {
  kind: 'status';
  message: string;
  /** What the message is about (a tag, a layer's short ID); shown before it by the CLI. */
  id?: string;
}

/** Docker's per-layer steps, as the CLI shows them beside the layer's short ID. */
export type LayerAction =
  | 'Pulling fs layer'
  | 'Waiting'
  | 'Downloading'
  | 'Verifying Checksum'
  | 'Download complete'
  | 'Extracting'
  | 'Pull complete'
  | 'Already exists'
  | 'Preparing'
  | 'Pushing'
  | 'Pushed'
  | 'Layer already exists'
  | `Mounted from ${string}`
  | 'Loading layer';

/** A step of one layer; `current`/`total` (bytes) when the step has a size, for the progress bar. */
export interface LayerEvent {
  kind: 'layer';
  /** The layer's short ID (12 hex digits), as Docker shows it. */
  id: string;
  action: LayerAction;
  current?: number;
  total?: number;
}

/** Text a process wrote (a build step's output), passed through as is. */
export interface OutputEvent {
  kind: 'output';
  text: string;
}

/** An image is in the store: under `ref` when the source named it, else by ID only. */
export interface ImageLoadedEvent {
  kind: 'loaded';
  id: Digest;
  ref?: string;
}

/** `ref` named another image (`previousId`) and now names the loaded one. */
export interface TagMovedEvent {
  kind: 'tag-moved';
  /** The familiar name (`busybox:latest`). */
  ref: string;
  previousId: Digest;
}

/** The image a build produced (Docker's `aux: {ID}`). */
export interface ImageBuiltEvent {
  kind: 'built';
  id: Digest;
}

/** A tag pushed (Docker's `aux: {Tag, Digest, Size}`). */
export interface ImagePushedEvent {
  kind: 'pushed';
  tag: string;
  digest: Digest;
  size: number;
}

export type ProgressEvent = StatusEvent | LayerEvent | OutputEvent | ImageLoadedEvent | TagMovedEvent | ImageBuiltEvent | ImagePushedEvent;

/**
 * Receives an operation's events in order. The operation awaits each call,
 * so a slow reader (a client reading the stream slowly) slows the operation
 * rather than piling up messages.
 */
export type ProgressSink = (event: ProgressEvent) => void | Promise<void>;

/** A sink that drops everything (the default when the caller does not listen). */
export const ignoreProgress: ProgressSink = () => undefined;
