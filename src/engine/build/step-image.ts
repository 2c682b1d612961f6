/**
 * A step's image: the parent's config with the step's run config, its
 * container_config, one more history entry and, when the step changed
 * files, one more layer, as dockerd's image.NewChildImage writes it
 * (`created_by` is the container config's Cmd joined by spaces; a step
 * without changes has `empty_layer`). Classic intermediate images are
 * ordinary images with `parent` set, so `docker images` hides them while
 * they have children and `docker images -a` lists them.
 */
import { randomBytes } from 'node:crypto';
import type { DiffId } from '../../oci/digest.ts';
import type { HistoryEntry, ImageConfig, ImageRunConfig } from '../../oci/image.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';

export interface ChildImage {
  author?: string;
  /** The stage's run config after the step: the image's `config`. */
  config: ImageRunConfig;
  /** What the step ran (or its `#(nop)` comment): `container_config`. */
  containerConfig: ImageRunConfig;
  /** The step container's ID ('' for COPY/ADD, which dockerd makes without a container). */
  containerId: string;
  /** The step's layer, if it changed files. */
  diffId?: DiffId;
}

/** The config of the image a step makes on `parent` (keys sorted, as dockerd's MarshalJSON writes them). */
export function childImageConfig(parent: ImageConfig, child: ChildImage, created = nowRfc3339Nano()): ImageConfig {
  const history: HistoryEntry = { created };
  if (child.author) history.author = child.author;
  history.created_by = (child.containerConfig.Cmd ?? []).join(' ');
  if (!child.diffId) history.empty_layer = true;
  const out: Record<string, unknown> = {
    architecture: parent.architecture,
    author: child.author || undefined,
    config: child.config,
    container: child.containerId || undefined,
    container_config: child.containerConfig,
    created,
    history: [...(parent.history ?? []), history],
    os: parent.os,
    'os.features': parent['os.features' as keyof ImageConfig],
    'os.version': parent['os.version'],
    rootfs: { type: 'layers', diff_ids: [...(parent.rootfs?.diff_ids ?? []), ...(child.diffId ? [child.diffId] : [])] },
    variant: parent.variant,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as ImageConfig;
}

/** The config a stage on `scratch` starts from: no layers, no history, the build's platform. */
export function scratchImageConfig(platform: { os: string; architecture: string; variant?: string }): ImageConfig {
  const c: ImageConfig = { architecture: platform.architecture, os: platform.os, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  if (platform.variant) c.variant = platform.variant;
  return c;
}

/** A container ID for a step that needs no real container (a metadata step): the same shape dockerd shows. */
export function newStepContainerId(): string {
  return randomBytes(32).toString('hex');
}

export function shortId(id: string | undefined): string {
  return (id ?? '').replace(/^sha256:/, '').slice(0, 12);
}
