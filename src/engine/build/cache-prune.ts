/**
 * The build cache for `system df` (its BuildCache entries) and
 * `builder prune` / `POST /build/prune`: records go, and with them the
 * intermediate images nothing else uses (untagged, without children, no
 * container on them); an image a kept image descends from stays.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { parseTimeValue } from '../../util/timestamp.ts';
import type { ImageService } from '../images/image-service.ts';
import type { BuildCache, CacheRecord } from './build-cache.ts';
import type { BuildCacheEntry, BuildPruneOptions } from './build-service.ts';

/** The bytes an image's own layer adds (0 for a step without a layer). */
function ownSize(images: ImageService, imageId: string): number {
  const image = images.get(imageId);
  if (!image) return 0;
  const parent = image.record.parent ? images.get(image.record.parent) : undefined;
  const mine = image.config.rootfs.diff_ids.length;
  const theirs = parent?.config.rootfs.diff_ids.length ?? 0;
  if (mine <= theirs || !image.record.chainId) return 0;
  return images.layers.get(image.record.chainId)?.size ?? 0;
}

function isShared(images: ImageService, imageId: string): boolean {
  return images.store.refsOf(imageId).length > 0 || images.children(imageId).length > 0;
}

export function cacheUsage(cache: BuildCache, images: ImageService): BuildCacheEntry[] {
  const live = cache.all().filter((r) => images.get(r.imageId));
  const byImage = new Map(live.map((r) => [r.imageId, r]));
  return live.map((r) => {
    const entry: BuildCacheEntry = {
      id: r.key,
      type: 'regular',
      description: r.description,
      inUse: images.isImageInUse(r.imageId) !== undefined,
      shared: isShared(images, r.imageId),
      size: ownSize(images, r.imageId),
      createdAt: r.createdAt,
      usageCount: r.usageCount,
    };
    const parent = byImage.get(r.parentId);
    if (parent) entry.parent = parent.key;
    if (r.lastUsedAt) entry.lastUsedAt = r.lastUsedAt;
    return entry;
  });
}

const FILTERS = new Set(['until', 'id', 'parent', 'type', 'description', 'inuse', 'shared', 'private']);

export async function pruneCache(cache: BuildCache, images: ImageService, options: BuildPruneOptions): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
  for (const key of options.filters.keys()) if (!FILTERS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  const now = Date.now();
  const until = options.filters.get('until')?.[0];
  const cutoff = until === undefined ? undefined : parseTimeValue(until, now);
  if (cutoff !== undefined && Number.isNaN(cutoff)) throw new InvalidParameterError(`failed to parse value as time or duration: ${JSON.stringify(until)}`);
  const ids = options.filters.get('id');
  const lastUse = (r: CacheRecord) => Date.parse(r.lastUsedAt ?? r.createdAt);
  let candidates = cache
    .all()
    .filter((r) => cutoff === undefined || lastUse(r) < cutoff)
    .filter((r) => !ids || ids.some((id) => r.key.startsWith(id)))
    .sort((a, b) => lastUse(a) - lastUse(b));
  if (options.keepStorage) {
    // Oldest first until what stays fits in keep-storage.
    let total = cache.all().reduce((n, r) => n + ownSize(images, r.imageId), 0);
    const chosen: CacheRecord[] = [];
    for (const r of candidates) {
      if (total <= options.keepStorage) break;
      chosen.push(r);
      total -= ownSize(images, r.imageId);
    }
    candidates = chosen;
  }
  const deleted: string[] = [];
  let space = 0;
  const targets = new Set<string>();
  for (const r of candidates) {
    if (!options.all && images.get(r.imageId) && images.isImageInUse(r.imageId)) continue;
    targets.add(r.imageId);
    await cache.delete(r.key);
    deleted.push(r.key);
  }
  // Images: untagged, childless and unused ones go, repeatedly (a parent becomes childless once its children went).
  let progress = true;
  while (progress) {
    progress = false;
    for (const id of targets) {
      const image = images.get(id);
      if (!image) {
        targets.delete(id);
        continue;
      }
      if (images.store.refsOf(id).length > 0 || images.children(id).length > 0 || images.isImageInUse(id)) continue;
      space += ownSize(images, id);
      await images.remove(id, { noprune: true });
      targets.delete(id);
      progress = true;
    }
  }
  return { cachesDeleted: deleted, spaceReclaimed: space };
}
