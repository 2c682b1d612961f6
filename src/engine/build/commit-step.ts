/**
 * How a step's result becomes the stage's next image, whatever the step:
 * the cache is probed first (` ---> Using cache`); on a miss, a metadata
 * step's image is written directly (no container needs to run for a config
 * change: dockerd creates and removes one, so the same lines are printed
 * with a container ID of the same shape), and a file step (COPY, ADD,
 * WORKDIR) writes into a created, never started container's rootfs (or a
 * plain directory on `scratch`) whose changes become the layer. The cache
 * record is written only once the image exists.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { DiffId } from '../../oci/digest.ts';
import type { ImageRunConfig } from '../../oci/image.ts';
import type { LayerRecord } from '../../store/layers/layer-store.ts';
import type { ProgressSink } from '../progress-event.ts';
import { cacheKey } from './build-cache.ts';
import type { BuildRun } from './build-run.ts';
import { asContainerConfig, copyRunConfig, type StageState } from './stage-state.ts';
import { childImageConfig, newStepContainerId, shortId } from './step-image.ts';

export const say = (out: ProgressSink, text: string): void | Promise<void> => out({ kind: 'output', text });

/** Probe the cache for the step's key (then the --cache-from images): on a hit the state moves to the cached image. */
export async function probeCache(run: BuildRun, state: StageState, key: string, containerConfig: ImageRunConfig, out: ProgressSink): Promise<boolean> {
  if (run.options.noCache) return false;
  const images = run.deps.images;
  const from = run.cacheFrom;
  const hit = run.cache.lookup(key, (id) => images.get(id) !== undefined);
  let imageId: string | undefined;
  if (hit && (!from?.active || from.acceptsLocal(hit.imageId))) imageId = hit.imageId;
  else if (from?.active) imageId = await from.probe(state.imageId, state.imageId ? state.image : undefined, containerConfig, copyRunConfig(state.runConfig));
  if (!imageId) return false;
  await say(out, ' ---> Using cache\n');
  state.imageId = imageId;
  state.image = images.get(imageId)!.config;
  if (hit?.imageId === imageId) await run.cache.touch(hit);
  return true;
}

export function stepKey(state: StageState, containerConfig: ImageRunConfig, extra?: unknown): string {
  return cacheKey(state.imageId, containerConfig, extra ?? null);
}

/** Write the step's image (on the state's image) and its cache record; the state moves to it. */
export async function recordStep(run: BuildRun, state: StageState, o: { key: string; containerConfig: ImageRunConfig; containerId: string; layer?: LayerRecord }): Promise<void> {
  const config = childImageConfig(state.image, {
    author: state.maintainer,
    config: copyRunConfig(state.runConfig),
    // dockerd records the config its step container was created with, which by then had the container's hostname.
    containerConfig: o.containerId ? copyRunConfig(o.containerConfig, { Hostname: shortId(o.containerId) }) : o.containerConfig,
    containerId: o.containerId,
    ...(o.layer ? { diffId: o.layer.diffId as DiffId } : {}),
  });
  const id = await run.deps.images.createImage(config, state.imageId);
  await run.cache.put({ key: o.key, parentId: state.imageId ?? '', imageId: id, description: (o.containerConfig.Cmd ?? []).join(' ') });
  state.imageId = id;
  state.image = config;
}

/** A metadata step (dockerd's `commit`): the comment's config probed, else an image without a layer. */
export async function commitMetadata(run: BuildRun, state: StageState, containerConfig: ImageRunConfig, out: ProgressSink): Promise<void> {
  const key = stepKey(state, containerConfig);
  if (await probeCache(run, state, key, containerConfig, out)) return;
  const { remove, forceRemove } = run.options;
  // Without rm, dockerd leaves each step's container behind: then one is really made.
  const keep = !remove && !forceRemove && state.imageId !== undefined;
  const containerId = keep ? await run.deps.runner.create({ image: state.imageId!, config: asContainerConfig(containerConfig) }) : newStepContainerId();
  await say(out, ` ---> Running in ${shortId(containerId)}\n`);
  await recordStep(run, state, { key, containerConfig, containerId });
  if (!keep) await say(out, `Removing intermediate container ${shortId(containerId)}\n`);
}

/**
 * A file step: `write` gets a root filesystem to change (the state's image
 * in a created container, or an empty directory on scratch); the changes
 * become the image's layer. `containerLines`: print dockerd's `Running in` /
 * `Removing intermediate container` (WORKDIR does, COPY/ADD do not).
 */
export async function commitFiles(
  run: BuildRun,
  state: StageState,
  o: { key: string; containerConfig: ImageRunConfig; containerLines: boolean; write(rootfs: string): Promise<void> },
  out: ProgressSink,
): Promise<void> {
  const { images, runner } = run.deps;
  if (state.imageId === undefined) {
    const dir = path.join(run.builderDir, 'tmp', `scratch-${randomBytes(8).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    const containerId = newStepContainerId();
    if (o.containerLines) await say(out, ` ---> Running in ${shortId(containerId)}\n`);
    try {
      await o.write(dir);
      await images.hold(async () => {
        const layer = (await fs.readdir(dir)).length > 0 ? await images.layers.unpack(images.layers.diffTar(dir), undefined) : undefined;
        await recordStep(run, state, { key: o.key, containerConfig: o.containerConfig, containerId: o.containerLines ? containerId : '', ...(layer ? { layer } : {}) });
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    if (o.containerLines) await say(out, `Removing intermediate container ${shortId(containerId)}\n`);
    return;
  }
  const id = await runner.create({ image: state.imageId, config: asContainerConfig(o.containerConfig) });
  if (o.containerLines) await say(out, ` ---> Running in ${shortId(id)}\n`);
  let ok = false;
  try {
    await runner.withRootfs(id, o.write);
    await images.hold(async () => {
      const layer = await runner.layer(id);
      await recordStep(run, state, { key: o.key, containerConfig: o.containerConfig, containerId: o.containerLines ? id : '', ...(layer ? { layer } : {}) });
    });
    ok = true;
  } finally {
    const { remove, forceRemove } = run.options;
    // COPY's container is Berth's own (dockerd used none): always removed.
    if (!o.containerLines || forceRemove || (remove && ok) || run.signal.aborted) {
      await runner.remove(id);
      if (o.containerLines && (ok || forceRemove)) await say(out, `Removing intermediate container ${shortId(id)}\n`);
    }
  }
}
