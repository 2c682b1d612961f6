/**
 * The builder as the API sees it (contract between builder.ts and
 * api/routes/build.ts): one build per call, the legacy `POST /build`'s
 * options, progress as ProgressEvents (engine/progress-event.ts) rendered
 * by the API as the classic builder's `{"stream": …}` / `{"aux": …}` lines.
 *
 * - `build` resolves with the final image's ID once every tag is set; it
 *   rejects (after removing its step containers and everything half-made)
 *   with an error whose message is Docker's (`The command '/bin/sh -c …'
 *   returned a non-zero code: 7`, `Dockerfile parse error line 3: …`), which
 *   the API sends as the `error`/`errorDetail` line. `signal` aborts it (the
 *   client went away): same clean-up.
 * - The build cache (step results keyed on parent image + instruction +
 *   content checksum + used build args) lives under `<data-root>/builder/`
 *   and survives a restart; `usage` lists it for `system df`, `prune`
 *   empties it for `builder prune` / `POST /build/prune`.
 */
import type { Digest } from '../../oci/digest.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BuildContext } from './build-context.ts';

export interface BuildOptions {
  /** `t`: full references, already normalised (`docker.io/library/x:latest`). */
  tags: string[];
  /** `buildargs`: a null value is `--build-arg NAME` without a value that the client could not fill from its environment; dockerd (and Berth) treat it as not given, though it still counts as consumed or not for the unused-args warning. */
  buildArgs: Record<string, string | null>;
  /** `labels`: added to the final image. */
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  /** `pull`: refresh FROM images from their registry even when present. */
  pull: boolean;
  /** `rm` (default true): remove step containers after a successful step. */
  remove: boolean;
  /** `forcerm`: remove them even after a failed step. */
  forceRemove: boolean;
  /** `q`: no step output, only the final ID. */
  quiet: boolean;
  /** `networkmode` for RUN steps (default, bridge, host, none, container:…, a network name). */
  networkMode?: string;
  /** `extrahosts`: "host:ip" entries for RUN steps. */
  extraHosts: string[];
  /** Resource limits for RUN steps. */
  resources: { memory?: number; memorySwap?: number; cpuShares?: number; cpuQuota?: number; cpuPeriod?: number; cpusetCpus?: string; cpusetMems?: string; shmSize?: number };
  /** `platform` (os/arch[/variant]); the daemon's when absent. */
  platform?: string;
  /** `cachefrom`: images whose history may satisfy cache lookups. */
  cacheFrom: string[];
  /** Secrets for `RUN --mount=type=secret,id=…` (Berth extension: the `X-Berth-Build-Secrets` header). */
  secrets: Map<string, Buffer>;
  /** `X-Registry-Config`: credentials by registry host, for FROM pulls. */
  registryAuth: Record<string, { username?: string; password?: string; auth?: string; identitytoken?: string; registrytoken?: string; serveraddress?: string }>;
}

/** One build-cache entry, for `system df` (wire BuildCache). */
export interface BuildCacheEntry {
  id: string;
  parent?: string;
  /** `regular` for a step's layer, `source.local` for a context snapshot. */
  type: string;
  description: string;
  inUse: boolean;
  shared: boolean;
  size: number;
  createdAt: string;
  lastUsedAt?: string;
  usageCount: number;
}

export interface BuildPruneOptions {
  /** `all`: also entries still referenced (internal images in use). */
  all: boolean;
  /** `keep-storage` bytes to keep; `until`, `id`, … as filters. */
  keepStorage?: number;
  filters: Map<string, string[]>;
}

export interface BuildService {
  build(context: BuildContext, options: BuildOptions, progress: ProgressSink, signal: AbortSignal): Promise<Digest>;
  usage(): Promise<BuildCacheEntry[]>;
  prune(options: BuildPruneOptions): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }>;
}
