/**
 * What pull leaves for push and the other distribution operations:
 *
 * - `recordRepoDigest`: point `repo@sha256:…` (a RepoDigest) at an image, as
 *   pull does after it installs an image and push after it uploads one. The
 *   manifest must be in the content store first (put it there with
 *   `content.ingestBuffer`), so that reclaim.ts keeps it and what it names.
 * - `pulledLayerBlobs`: for an image, the compressed blobs a pull kept
 *   (found through its repo digests' manifests), by DiffID, so that a push
 *   can send them as they are instead of compressing the layer again.
 */
import type { DiffId, Digest } from '../../oci/digest.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../../oci/image.ts';
import { repositoryName, type Reference } from '../../oci/reference.ts';
import type { ImageCatalog } from '../images/image-catalog.ts';

/** Add the RepoDigest `<repository>@<digest>` to image `id` (no event, as dockerd's pull and push). */
export async function recordRepoDigest(svc: ImageCatalog, ref: Reference, digest: Digest, id: Digest): Promise<void> {
  await svc.addReference(`${repositoryName(ref)}@${digest}`, id, { quiet: true });
}

/** The blobs kept from a pull of image `id`, by DiffID, with where they came from (the repository). */
export async function pulledLayerBlobs(svc: ImageCatalog, id: Digest): Promise<Map<DiffId, { descriptor: Descriptor; repository: string }>> {
  const out = new Map<DiffId, { descriptor: Descriptor; repository: string }>();
  const image = svc.get(id);
  if (!image) return out;
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  for (const ref of svc.store.refsOf(id)) {
    const at = ref.indexOf('@');
    if (at === -1) continue;
    const repository = ref.slice(0, at);
    const manifest = await findManifest(svc, ref.slice(at + 1) as Digest, id);
    if (!manifest || manifest.layers.length !== diffIds.length) continue;
    for (let i = 0; i < diffIds.length; i++) {
      const layer = manifest.layers[i]!;
      if (!out.has(diffIds[i]!) && (await svc.content.has(layer.digest))) out.set(diffIds[i]!, { descriptor: layer, repository });
    }
  }
  return out;
}

async function readJson<T>(svc: ImageCatalog, digest: Digest): Promise<T | undefined> {
  try {
    if (!(await svc.content.has(digest))) return undefined;
    return JSON.parse((await svc.content.readBuffer(digest)).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The manifest under `digest` (itself, or the entry of an index) whose config is `id`. */
async function findManifest(svc: ImageCatalog, digest: Digest, id: Digest): Promise<ImageManifest | undefined> {
  const doc = await readJson<Partial<ImageManifest & ImageIndex>>(svc, digest);
  if (!doc) return undefined;
  if (Array.isArray(doc.manifests)) {
    for (const entry of doc.manifests) {
      const m = await readJson<ImageManifest>(svc, entry.digest);
      if (m?.config?.digest === id) return m;
    }
    return undefined;
  }
  return doc.config?.digest === id && Array.isArray(doc.layers) ? (doc as ImageManifest) : undefined;
}
