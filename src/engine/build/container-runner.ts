/**
 * ContainerRunner: how the builder runs a RUN step. Each step gets a
 * throwaway container on the previous step's image; its output goes to the
 * build's output as it is written; when it exits 0 its changes become the
 * next step's image; it is removed whatever happened.
 *
 * Lifecycle of one step's container, in this order:
 *   create → run (once) → commit (only after a zero exit; optional) → remove (always)
 * - `create` resolves the image and checks the config as `docker create`
 *   does; nothing runs yet. It answers the container's ID, which the other
 *   calls take.
 * - `run` starts the process, delivers everything it writes to `output`
 *   (stdout and stderr apart, in order, each chunk awaited so a slow reader
 *   slows the step rather than buffering it), and resolves with the exit
 *   code once the process has exited and all its output was delivered. A
 *   failed start rejects. `signal` stops the wait and rejects with its
 *   reason; the container may still run: `remove` stops it.
 * - `commit` records the container's filesystem changes on top of its image
 *   as a new image, whose run config is `config` (the build's state after
 *   this step; by default the container's own), and answers the image ID.
 *   The container must have exited.
 * - `remove` kills the container if it still runs and deletes it; it is the
 *   caller's duty on every path (a `finally`), and idempotent failures
 *   (already gone) are the caller's to ignore.
 *
 * Steps that change files without running anything (COPY, ADD, WORKDIR) and
 * steps that read an image's files (COPY --from, RUN --mount=from=…) use a
 * container that is created and never started:
 *   create → withRootfs (any number of times) → [layer] → remove
 * - `withRootfs` mounts the container's root filesystem (its image's layers
 *   under its writable layer) and runs `fn` on its path; the mount stays
 *   until `remove`.
 * - `layer` records the container's changes (its writable layer) as a layer
 *   on its image's top layer, as `commit` would, but makes no image: the
 *   builder writes the image config itself (history, container_config). It
 *   answers undefined when the step changed nothing (dockerd's empty layer).
 *   The layer is unreferenced until an image names it: the caller holds the
 *   image store's reclaimer (`ImageService.hold`) across both. Mount points
 *   named in `mountPoints` that the runtime created in the writable layer
 *   (RUN --mount targets, secrets) and that the image did not have are
 *   dropped first, so no mount leaves a trace in the layer.
 */
import type { Digest } from '../../oci/digest.ts';
import type { LayerRecord } from '../../store/layers/layer-store.ts';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';

export interface RunStepOptions {
  /** The image to run on: an ID or a reference. */
  image: string;
  /** The container's config (Cmd, Entrypoint, Env, WorkingDir, User, …); `Image` is taken from `image`. */
  config: Omit<ContainerConfig, 'Image'>;
  hostConfig?: HostConfig;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

export type OutputSink = (chunk: OutputChunk) => void | Promise<void>;

export interface CommitStepOptions {
  /** The new image's run config (Cmd, Env, …); the container's own when absent. */
  config?: ContainerConfig;
  comment?: string;
  author?: string;
}

export interface ContainerRunner {
  create(options: RunStepOptions): Promise<string>;
  run(id: string, output: OutputSink, signal?: AbortSignal): Promise<number>;
  commit(id: string, options?: CommitStepOptions): Promise<Digest>;
  remove(id: string): Promise<void>;
  withRootfs<T>(id: string, fn: (rootfs: string) => Promise<T>): Promise<T>;
  layer(id: string, options?: { mountPoints?: readonly string[] }): Promise<LayerRecord | undefined>;
}
