/**
 * What one build shares between its stages and steps: the engine services
 * it uses, the request's options, the context, the cache, the results of
 * stages other stages wait for, and the images it pulled or mounted.
 */
import type { ImageService } from '../images/image-service.ts';
import type { Platform } from '../images/platform.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BuildArgs } from './build-args.ts';
import type { BuildCache } from './build-cache.ts';
import type { CacheFrom } from './cache-from.ts';
import type { BuildContext } from './build-context.ts';
import type { BuildOptions } from './build-service.ts';
import type { ContainerRunner } from './container-runner.ts';
import type { Copier } from './copier.ts';
import type { Dockerfile } from './dockerfile/ast.ts';
import type { StagePlan } from './stage-plan.ts';
import type { ImageConfig, ImageRunConfig } from '../../oci/image.ts';

/** The engine services a build uses. */
export interface BuilderDeps {
  images: ImageService;
  runner: ContainerRunner;
  copier: Copier;
  /** Pull `ref` (a normalised reference) for `platform`, with the registry's credentials from the request. */
  pull(ref: string, options: { platform?: string; auth?: Record<string, unknown> }, progress: ProgressSink, signal: AbortSignal): Promise<void>;
  /** `<data-root>`. */
  dataRoot: string;
}

/** What a finished stage leaves for the stages after it. */
export interface StageResult {
  /** Undefined for a stage that stayed `FROM scratch` without a step. */
  imageId: string | undefined;
  image: ImageConfig;
  runConfig: ImageRunConfig;
}

export interface BuildRun {
  deps: BuilderDeps;
  cache: BuildCache;
  options: BuildOptions;
  context: BuildContext;
  dockerfile: Dockerfile;
  plan: StagePlan;
  /** The build's platform (the request's, else the daemon's). */
  platform: Platform;
  /** The ARGs before the first FROM, with their values (shared by the stages). */
  metaArgs: BuildArgs;
  signal: AbortSignal;
  /** The result of an earlier stage (waits for it). */
  stage(index: number): Promise<StageResult>;
  /** A local image's ID, pulled first if absent (or always with `pull`, once per build). */
  baseImage(name: string, platform: string | undefined, out: ProgressSink): Promise<string>;
  /** `<data-root>/builder`. */
  builderDir: string;
  /** The request's --cache-from images, when any is local. */
  cacheFrom?: CacheFrom;
}
