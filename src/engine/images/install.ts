/**
 * Installing an image whose blobs are already in the content store: the
 * step `docker load` ends with, and that a pull will end with once it has
 * downloaded and verified the blobs.
 *
 * Crash safety is by order, blobs before the records that point at them:
 * each layer is unpacked (its tar kept in the content store, its directory
 * recorded in the layer store) bottom up, each on its parent; then the
 * config blob, then the image record (createImage), then the tags. A crash
 * at any point leaves unreferenced blobs or layers, which the next start
 * sweeps, never a record or tag naming something missing.
 */
import { chainIds, type ChainId, type DiffId, type Digest } from '../../oci/digest.ts';
import type { ImageConfig } from '../../oci/image.ts';
import { formatReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import { invalidArchive } from './errors.ts';
import type { ImageCatalog } from './image-catalog.ts';
import type { ImageIntent, ImageIntentHandle } from '../intents.ts';
import { failpoint } from '../../util/failpoint.ts';

export interface InstallItem {
  /** The config's exact bytes: the image ID is their digest. */
  config: Buffer;
  /** Content-store digests of the layer blobs (tars, possibly compressed), bottom first, one per diff ID. */
  layerBlobs: Digest[];
  /** References to point at the image, as given (`busybox`, `a/b:v1`). */
  tags: string[];
}

/** Called around each tag, so that the caller can tell what happened in its own words. */
export interface InstallHooks {
  /** Before `fullRef`, which names another image (`previousId`), is moved to the new one. */
  beforeRetag?(fullRef: string, previousId: Digest): void | Promise<void>;
  /** After `fullRef` names the new image `id`. */
  afterTag?(fullRef: string, id: Digest): void | Promise<void>;
  /** Tags without a `tag` event (dockerd's load announces the load, not its tags). */
  quietTags?: boolean;
}

/** Unpack the missing layers, record the image and set its tags; returns the image ID. */
export async function installImage(svc: ImageCatalog, item: InstallItem, hooks: InstallHooks = {}): Promise<Digest> {
  const config = JSON.parse(item.config.toString('utf8')) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== item.layerBlobs.length) throw invalidArchive('layer count does not match the config');
  // A tag that does not parse fails the install where it always did, after the image is recorded.
  const refs = item.tags.flatMap((tag) => {
    try {
      return [formatReference(withDefaultTag(parseReference(tag)))];
    } catch {
      return [];
    }
  });
  const intent = await svc.journal.begin<ImageIntent>({ kind: 'image', op: 'load', refs });
  try {
    return await installWith(svc, item, diffIds, hooks, intent);
  } finally {
    await intent.end();
  }
}

async function installWith(svc: ImageCatalog, item: InstallItem, diffIds: readonly DiffId[], hooks: InstallHooks, intent: ImageIntentHandle): Promise<Digest> {
  let parent: ChainId | undefined;
  const chain = chainIds(diffIds);
  const unpacked: string[] = [];
  for (let i = 0; i < diffIds.length; i++) {
    const want = chain[i]!;
    // A layer already unpacked is reused only if its tar is kept too (save needs it).
    if (!svc.layers.has(want) || !(await svc.layers.hasTar(diffIds[i] as DiffId))) {
      // A blob that is the uncompressed tar itself (a saved archive's layer) is kept already: not copied again.
      const keepTar = item.layerBlobs[i] !== (diffIds[i] as string);
      await svc.layers.unpack(await svc.content.readStream(item.layerBlobs[i]!), parent, { expectedDiffId: diffIds[i] as DiffId, keepTar });
      unpacked.push(want);
      await intent.note({ layers: [...unpacked] });
      failpoint('layer-unpacked');
    }
    parent = want;
  }
  const id = await svc.createImage(item.config, undefined, intent);
  for (const tag of item.tags) {
    const fullRef = formatReference(withDefaultTag(parseReference(tag)));
    const previous = svc.store.refs.get(fullRef);
    if (previous && previous !== id) await hooks.beforeRetag?.(fullRef, previous as Digest);
    await svc.addReference(fullRef, id, { quiet: hooks.quietTags });
    await hooks.afterTag?.(fullRef, id);
  }
  return id;
}
