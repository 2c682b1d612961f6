/**
 * `docker save`: a tar that `docker load` (20.10 and newer) accepts —
 * manifest.json + repositories, with blobs laid out as an OCI image layout
 * (oci-layout, index.json, blobs/sha256/…) the way Docker 25+ writes it.
 * Layer blobs are the exact uncompressed tars kept at unpack time (or, for a
 * pulled layer, the kept compressed blob decompressed), so their digests
 * equal the config's diff_ids. Streamed, never buffered.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { chainIds, digestHex, sha256Digest, type ChainId, type Digest } from '../../oci/digest.ts';
import type { DockerArchiveManifestEntry, ImageIndex, ImageManifest } from '../../oci/image.ts';
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import { familiarName, familiarRepository, formatReference, isReference, parseReference, repositoryName } from '../../oci/reference.ts';
import type { ImageCatalog } from './image-catalog.ts';
import type { Image } from './image-store.ts';
import { NotFoundError } from '../../util/errors.ts';

interface SaveItem {
  image: Image;
  refs: string[];
}

/**
 * dockerd's save words a missing image its own way: a name:tag that is not
 * there is "reference does not exist", anything else "No such image: <name
 * as given>".
 */
function resolveForSave(svc: ImageCatalog, name: string): Image {
  try {
    return svc.resolveImage(name);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const tagged = isReference(name) && parseReference(name).tag !== undefined;
    throw new NotFoundError(tagged ? 'reference does not exist' : `No such image: ${name}`, { cause: err });
  }
}

/** Resolve the names first (errors before any byte is sent). */
export function planSave(svc: ImageCatalog, names: string[]): SaveItem[] {
  const items = new Map<string, SaveItem>();
  for (const name of names) {
    const image = resolveForSave(svc, name);
    const item = items.get(image.record.id) ?? { image, refs: [] };
    items.set(image.record.id, item);
    const byId = image.record.id.startsWith(name) || image.record.id.slice(7).startsWith(name);
    if (!isReference(name) || byId) continue; // saved by ID: no tags (as Docker)
    const ref = parseReference(name);
    if (ref.tag === undefined && ref.digest === undefined) {
      // A bare repository name saves all of its tags (Docker's behaviour).
      for (const [full, id] of svc.store.refs) {
        const r = parseReference(full);
        if (repositoryName(r) === repositoryName(ref) && r.tag) items.get(id)?.refs.push(full) ?? items.set(id, { image: svc.get(id)!, refs: [full] });
      }
    } else if (ref.tag !== undefined) item.refs.push(formatReference(ref));
  }
  return [...items.values()];
}

function add(pack: tar.Pack, name: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ name, size: body.length, mode: 0o644, mtime: new Date(0) }, body, (e) => (e ? reject(e) : resolve())));
}

async function write(svc: ImageCatalog, pack: tar.Pack, items: SaveItem[]): Promise<void> {
  const written = new Set<string>();
  const manifest: DockerArchiveManifestEntry[] = [];
  const index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPE.ociIndex, manifests: [] };
  const repositories: Record<string, Record<string, string>> = {};
  await add(pack, 'oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  for (const { image, refs } of items) {
    const diffIds = image.config.rootfs.diff_ids;
    const chain = chainIds(diffIds);
    const layers: ImageManifest['layers'] = [];
    for (let i = 0; i < diffIds.length; i++) {
      const diffId = diffIds[i]!;
      const record = svc.layers.get(chain[i] as ChainId);
      const size = record?.tarSize ?? (await svc.layers.tarSize(diffId));
      layers.push({ mediaType: MEDIA_TYPE.ociLayer, digest: diffId as string as Digest, size });
      if (written.has(diffId)) continue;
      written.add(diffId);
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ name: `blobs/sha256/${digestHex(diffId)}`, size, mode: 0o644, mtime: new Date(0) }, (e) => (e ? reject(e) : resolve()));
        // A pulled layer's tar is its kept compressed blob, decompressed (layer-store.ts openTar).
        svc.layers.openTar(diffId).then((src) => pipeline(src, sink as unknown as NodeJS.WritableStream), reject).catch(reject);
      });
    }
    const configBytes = await svc.content.readBuffer(image.record.id);
    if (!written.has(image.record.id)) await add(pack, `blobs/sha256/${digestHex(image.record.id)}`, configBytes);
    written.add(image.record.id);
    const ociManifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPE.ociManifest,
      config: { mediaType: MEDIA_TYPE.ociConfig, digest: image.record.id, size: configBytes.length },
      layers,
    };
    const manifestBytes = Buffer.from(JSON.stringify(ociManifest));
    const manifestDigest = sha256Digest(manifestBytes);
    if (!written.has(manifestDigest)) await add(pack, `blobs/sha256/${digestHex(manifestDigest)}`, manifestBytes);
    written.add(manifestDigest);
    const tags = refs.map((r) => familiarName(parseReference(r)));
    manifest.push({ Config: `blobs/sha256/${digestHex(image.record.id)}`, RepoTags: tags.length ? tags : null, Layers: diffIds.map((d) => `blobs/sha256/${digestHex(d)}`) });
    const descriptor = { mediaType: MEDIA_TYPE.ociManifest, digest: manifestDigest, size: manifestBytes.length };
    if (refs.length === 0) index.manifests.push(descriptor);
    for (const r of refs) {
      const ref = parseReference(r);
      index.manifests.push({ ...descriptor, annotations: { 'io.containerd.image.name': r, 'org.opencontainers.image.ref.name': ref.tag ?? 'latest' } });
      if (diffIds.length) (repositories[familiarRepository(ref)] ??= {})[ref.tag ?? 'latest'] = digestHex(chain.at(-1)!);
    }
  }
  await add(pack, 'index.json', Buffer.from(JSON.stringify(index)));
  await add(pack, 'manifest.json', Buffer.from(JSON.stringify(manifest)));
  if (Object.keys(repositories).length) await add(pack, 'repositories', Buffer.from(JSON.stringify(repositories)));
}

export function saveImages(svc: ImageCatalog, names: string[]): Readable {
  const items = planSave(svc, names);
  for (const item of items) svc.publish('save', item.image.record.id);
  const pack = tar.pack();
  // Held: a removal meanwhile must not sweep the blobs being streamed out.
  svc.hold(() => write(svc, pack, items)).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return Readable.from(pack);
}
