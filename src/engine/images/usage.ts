/**
 * The images part of `GET /system/df`. The docker CLI derives the images'
 * Reclaimable from it: LayersSize minus, over the images with Containers > 0,
 * Size - SharedSize. dockerd's SharedSize is the bytes of an image's layers
 * that another listed image also has; with it, a layer that an image in use
 * shares with an unused one counts as reclaimable although `image prune -a`
 * keeps it, so the two numbers disagree. Berth keeps dockerd's SharedSize for
 * images no container uses, and for images in use charges each layer to
 * exactly one of them (the oldest that has it): then Size - SharedSize summed
 * over the images in use is the bytes of the layers they keep, and
 * Reclaimable is exactly what `image prune -a` reports as SpaceReclaimed.
 */
import { chainIds, type ChainId } from '../../oci/digest.ts';
import type { ImageSummary } from '../../wire/image.ts';
import type { ImageCatalog } from './image-catalog.ts';

export function imageUsage(svc: ImageCatalog, listed: ImageSummary[], users: (imageId: string) => number): { layersSize: number; images: ImageSummary[] } {
  const sizeOf = (c: string): number => svc.layers.get(c as ChainId)?.size ?? 0;
  const chainOf = (id: string): string[] => chainIds(svc.get(id)?.config.rootfs?.diff_ids ?? []);
  const images = listed.map((s) => ({ ...s, Containers: users(s.Id) }));
  const refs = new Map<string, number>();
  for (const s of images) for (const c of chainOf(s.Id)) refs.set(c, (refs.get(c) ?? 0) + 1);
  const charged = new Set<string>();
  const used = images.filter((s) => s.Containers > 0).sort((a, b) => a.Created - b.Created || a.Id.localeCompare(b.Id));
  const shared = new Map<string, number>();
  for (const s of used) {
    let bytes = 0;
    for (const c of chainOf(s.Id)) {
      if (charged.has(c)) bytes += sizeOf(c);
      charged.add(c);
    }
    shared.set(s.Id, bytes);
  }
  for (const s of images) {
    s.SharedSize = shared.get(s.Id) ?? chainOf(s.Id).reduce((n, c) => n + ((refs.get(c) ?? 0) > 1 ? sizeOf(c) : 0), 0);
  }
  const layersSize = svc.layers.list().reduce((n, l) => n + l.size, 0);
  return { layersSize, images };
}
