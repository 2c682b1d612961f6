/**
 * `--cache-from` with the classic builder's semantics (moby's
 * image/cache.ImageCache): the named local images' histories may satisfy
 * a step. A step matches when the source's history up to the parent is the
 * parent's (entries and layers), and the source's next entry's created_by
 * is the step's command; the match is the source itself at its last entry,
 * else an image restored from the source's history entry (and its layer,
 * already in the store as the source's). Once a source matched, only it is
 * followed. A local cache hit counts only if it is an ancestor of a source.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DiffId } from '../../oci/digest.ts';
import type { ImageConfig, ImageRunConfig } from '../../oci/image.ts';
import type { ImageService } from '../images/image-service.ts';

interface Source {
  id: string;
  config: ImageConfig;
}

function validParent(target: ImageConfig, parent: ImageConfig | undefined): boolean {
  const th = target.history ?? [];
  if (th.length === 0) return false;
  const ph = parent?.history ?? [];
  const pd = parent?.rootfs.diff_ids ?? [];
  if (!parent || (ph.length === 0 && pd.length === 0)) return true;
  if (ph.length >= th.length || pd.length > target.rootfs.diff_ids.length) return false;
  return ph.every((h, i) => isDeepStrictEqual(h, th[i])) && pd.every((d, i) => d === target.rootfs.diff_ids[i]);
}

function layerAt(target: ImageConfig, index: number): DiffId | undefined {
  const history = target.history ?? [];
  if (history[index]?.empty_layer) return undefined;
  const layerIndex = history.slice(0, index).filter((h) => !h.empty_layer).length;
  return target.rootfs.diff_ids[layerIndex];
}

export class CacheFrom {
  private sources: Source[];

  constructor(
    private readonly images: ImageService,
    refs: readonly string[],
  ) {
    this.sources = [];
    for (const ref of refs) {
      const id = images.findId(ref);
      const image = id ? images.get(id) : undefined;
      // dockerd skips a cache-from image it cannot find (a warning in its log).
      if (image) this.sources.push({ id: image.record.id, config: image.config });
    }
  }

  get active(): boolean {
    return this.sources.length > 0;
  }

  /** A local hit is kept only when a source descends from it. */
  acceptsLocal(imageId: string): boolean {
    return this.sources.some((s) => {
      for (let p = this.images.get(s.id)?.record.parent; p; p = this.images.get(p)?.record.parent) if (p === imageId) return true;
      return false;
    });
  }

  /** The image a source's history gives for this step, made if needed; undefined when none matches. */
  async probe(parentId: string | undefined, parent: ImageConfig | undefined, containerConfig: ImageRunConfig, runConfig: ImageRunConfig): Promise<string | undefined> {
    const at = parent?.history?.length ?? 0;
    const createdBy = (containerConfig.Cmd ?? []).join(' ');
    for (const target of this.sources) {
      const entry = target.config.history?.[at];
      if (!validParent(target.config, parent) || !entry || entry.created_by !== createdBy) continue;
      this.sources = [target];
      if ((target.config.history?.length ?? 0) - 1 === at) return target.id;
      const diffId = layerAt(target.config, at);
      const config: ImageConfig = {
        architecture: target.config.architecture,
        ...(target.config.author ? { author: target.config.author } : {}),
        config: runConfig,
        created: entry.created,
        history: [...(parent?.history ?? []), entry],
        os: target.config.os,
        rootfs: { type: 'layers', diff_ids: [...(parent?.rootfs.diff_ids ?? []), ...(diffId ? [diffId] : [])] },
      };
      return this.images.hold(() => this.images.createImage(config, parentId));
    }
    return undefined;
  }
}
