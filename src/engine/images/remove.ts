/**
 * `docker rmi` and `docker image prune` with Docker 20.10's semantics
 * (daemon/images/image_delete.go): removing a name untags; the image itself
 * goes when its last reference goes; conflicts are hard (running container,
 * child images: never) or soft (stopped container, several repositories:
 * only with force). Layers no other image or container uses are reported
 * as deleted; the records go first, then one sweep (reclaim.ts) deletes the
 * config blobs, layer tars and layers nothing references any more.
 */
import { parseTimeValue } from '../../util/timestamp.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { chainIds, type ChainId, type Digest } from '../../oci/digest.ts';
import type { LayerRecord } from '../../store/layers/layer-store.ts';
import { familiarName, formatReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import type { ImageDeleteResponseItem, ImagePruneResponse } from '../../wire/image.ts';
import { BerthError, ConflictError } from '../../util/errors.ts';
import {
  conflictChildren,
  conflictMultipleRepositories,
  conflictRepositoryReference,
  conflictRunningContainer,
  conflictStoppedContainer,
  noSuchImage,
} from './errors.ts';
import type { ImageCatalog } from './image-catalog.ts';
import type { RemoveImageIntent } from '../intents.ts';
import type { Image } from './image-store.ts';
import { labelMatches } from './filters.ts';

export interface RemoveOptions {
  force?: boolean;
  noprune?: boolean;
}

function isIdPrefix(id: string, input: string): boolean {
  return id.startsWith(input) || id.slice('sha256:'.length).startsWith(input);
}

/** Docker's isSingleReference: one tag (plus digests of that same repository). */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const parsed = refs.map((r) => parseReference(r));
  const tagged = parsed.filter((r) => !r.digest);
  if (tagged.length > 1) return false;
  const canonical = new Set(parsed.filter((r) => r.digest).map((r) => `${r.domain}/${r.path}`));
  const single = tagged[0] ?? parsed[0]!;
  return canonical.size === 1 && canonical.has(`${single.domain}/${single.path}`);
}

const HARD = 1;
const SOFT = 2;

interface Conflict {
  error: ConflictError;
  /** A container uses the image (as opposed to children or references). */
  used: boolean;
}

function checkConflict(svc: ImageCatalog, id: string, mask: number, ignoreReferences = false): Conflict | undefined {
  if (mask & HARD) {
    if (svc.children(id).length > 0) return { error: conflictChildren(id), used: false };
    const user = svc.isImageInUse(id);
    if (user?.running) return { error: conflictRunningContainer(id, user.id), used: true };
  }
  if (mask & SOFT) {
    if (!ignoreReferences && svc.store.refsOf(id).length > 0) return { error: conflictMultipleRepositories(id), used: false };
    const user = svc.isImageInUse(id);
    if (user && !user.running) return { error: conflictStoppedContainer(id, user.id), used: true };
  }
  return undefined;
}

function isDangling(svc: ImageCatalog, id: string): boolean {
  return svc.store.refsOf(id).length === 0 && svc.children(id).length === 0;
}

async function untag(svc: ImageCatalog, fullRef: string, id: string, out: ImageDeleteResponseItem[]): Promise<void> {
  await svc.removeReference(fullRef);
  out.push({ Untagged: familiarName(parseReference(fullRef)) });
  svc.publish('untag', id);
}

/**
 * Delete the image record and report the layers only it used (the caller
 * sweeps them). `quiet` (after an untag) ignores conflicts unless the image
 * is left dangling or a container uses it, as Docker's imageDeleteHelper;
 * `parent` pruning always stops quietly. `released` collects the layers.
 */
async function deleteHelper(svc: ImageCatalog, id: string, out: ImageDeleteResponseItem[], force: boolean, prune: boolean, quiet: boolean, parent = false, released: LayerRecord[] = []): Promise<void> {
  const conflict = checkConflict(svc, id, force ? HARD : HARD | SOFT, false);
  if (conflict) {
    if (parent || (quiet && (!isDangling(svc, id) || conflict.used))) return;
    throw conflict.error;
  }
  const image = svc.get(id);
  if (!image) return;
  for (const ref of svc.store.refsOf(id)) await untag(svc, ref, id, out);
  await svc.store.delete(id as Digest);
  svc.publish('delete', id);
  out.push({ Deleted: id });
  // Layers no remaining image stacks on and no container sits on, top first (the set is closed downwards).
  const live = svc.liveLayers();
  for (const c of chainIds(image.config.rootfs.diff_ids).reverse()) {
    const layer = svc.layers.get(c as ChainId);
    if (live.has(c) || !layer || released.includes(layer)) break;
    released.push(layer);
    out.push({ Deleted: c });
  }
  if (prune && image.record.parent) await deleteHelper(svc, image.record.parent, out, false, true, true, true, released);
}

export async function removeImage(svc: ImageCatalog, input: string, options: RemoveOptions): Promise<ImageDeleteResponseItem[]> {
  const out: ImageDeleteResponseItem[] = [];
  try {
    return await untagOrDelete(svc, input, options, out);
  } finally {
    // Also after a failure midway: whatever records went, their blobs go too.
    if (out.some((d) => d.Deleted)) await svc.sweep();
  }
}

async function untagOrDelete(svc: ImageCatalog, input: string, options: RemoveOptions, out: ImageDeleteResponseItem[]): Promise<ImageDeleteResponseItem[]> {
  const force = options.force ?? false;
  const prune = !(options.noprune ?? false);
  const image = svc.resolveImage(input);
  const id = image.record.id;
  let refs = svc.store.refsOf(id);
  let removedRepositoryRef = false;
  if (!isIdPrefix(id, input)) {
    const fullRef = formatReference(withDefaultTag(parseReference(input)));
    if (!force && isSingleReference(refs)) {
      const user = svc.isImageInUse(id);
      if (user) throw conflictRepositoryReference(input, user.id, id);
    }
    if (!svc.store.refs.has(fullRef)) throw noSuchImage(input);
    await untag(svc, fullRef, id, out);
    refs = svc.store.refsOf(id);
    // A removed tag leaves the repository's digest references dangling: drop them too.
    const repo = fullRef.replace(/:[^:/@]+$/, '');
    if (!refs.some((r) => !r.includes('@') && r.startsWith(repo + ':'))) {
      for (const r of refs.filter((r) => r.startsWith(repo + '@'))) await untag(svc, r, id, out);
      refs = svc.store.refsOf(id);
    }
    if (refs.length > 0) return out;
    removedRepositoryRef = true;
  } else if (isSingleReference(refs)) {
    const conflict = checkConflict(svc, id, force ? HARD : HARD | SOFT, true);
    if (conflict) throw conflict.error;
    for (const r of refs) await untag(svc, r, id, out);
  }
  await deleteHelper(svc, id, out, force, prune, removedRepositoryRef);
  return out;
}

/** `docker image prune`: dangling images by default, all unused with dangling=false. */
export async function pruneImages(svc: ImageCatalog, filters: Map<string, string[]>): Promise<ImagePruneResponse> {
  const danglingOnly = !(filters.get('dangling') ?? ['true']).some((v) => v === 'false' || v === '0');
  for (const key of filters.keys()) if (!['dangling', 'until', 'label', 'label!'].includes(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  const until = filters.get('until')?.[0];
  const untilMs = until ? parseTimeValue(until, Date.now()) : undefined;
  if (untilMs !== undefined && Number.isNaN(untilMs)) throw new InvalidParameterError(`failed to parse value as time or duration: ${JSON.stringify(until)}`);
  const labels = filters.get('label') ?? [];
  const deleted: ImageDeleteResponseItem[] = [];
  const released: LayerRecord[] = [];
  const selected = (image: Image): boolean => {
    const id = image.record.id;
    if (danglingOnly && svc.store.refsOf(id).length > 0) return false;
    if (svc.isImageInUse(id) || svc.children(id).length > 0) return false;
    if (untilMs !== undefined && Date.parse(image.config.created ?? '') >= untilMs) return false;
    if (labels.length && !labelMatches(image.config.config?.Labels, labels)) return false;
    return !(filters.get('label!') ?? []).some((l) => labelMatches(image.config.config?.Labels, [l]));
  };
  try {
    // Passes until one removes nothing: a parent is selected once its children are gone.
    for (let progress = true; progress; ) {
      progress = false;
      for (const image of [...svc.store.images.values()]) {
        const id = image.record.id;
        if (!svc.get(id) || !selected(image)) continue;
        // Noted as rmi's are (ImageService.remove): a crash after the untags
        // would leave a dangling image; recovery finishes its removal.
        const intent = await svc.journal.begin<RemoveImageIntent>({
          kind: 'rmi',
          imageId: id,
          layers: chainIds(image.config.rootfs?.diff_ids ?? []),
          force: false,
        });
        try {
          const out: ImageDeleteResponseItem[] = [];
          for (const ref of svc.store.refsOf(id)) await untag(svc, ref, id, out);
          await deleteHelper(svc, id, out, false, true, false, false, released);
          deleted.push(...out);
          progress = true;
        } catch (err) {
          if (!(err instanceof BerthError)) throw err;
          // a conflict appeared meanwhile: Docker skips such images
        } finally {
          await intent.end();
        }
      }
    }
  } finally {
    if (deleted.some((d) => d.Deleted)) await svc.sweep();
  }
  // dockerd's SpaceReclaimed: the sizes of the layers deleted (config blobs are not counted).
  const reclaimed = released.reduce((n, l) => n + l.size, 0);
  svc.publish('prune', '', { reclaimed: String(reclaimed) });
  return { ImagesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
