/**
 * `docker load`: accepts the tarball `docker save` writes (manifest.json,
 * repositories, <config>.json, layer tars; newer ones also carry an OCI
 * layout) and a plain OCI image layout tarball (oci-layout, index.json,
 * blobs/sha256/…). The outer tar is streamed once: small metadata files are
 * kept in memory, every other file is hashed into the content store as it
 * passes (entries may come in any order; manifest.json often comes last).
 * Then each image is installed from those blobs (install.ts: layers,
 * config, record, tags, in that order).
 */
import { InvalidParameterError } from '../../util/errors.ts';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { parseDigest, type Digest } from '../../oci/digest.ts';
import type { DockerArchiveManifestEntry, ImageIndex, ImageManifest } from '../../oci/image.ts';
import { isIndexMediaType } from '../../oci/media-types.ts';
import { familiarName, parseReference } from '../../oci/reference.ts';
import { decompressed } from '../../store/layers/decompress.ts';
import { invalidArchive } from './errors.ts';
import type { ImageCatalog } from './image-catalog.ts';
import { installImage, type InstallItem } from './install.ts';
import { ignoreProgress, type ProgressSink } from '../progress-event.ts';

const SMALL = 1 << 20;
const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

interface Archive {
  small: Map<string, Buffer>;
  blobs: Map<string, Digest>;
  /**
   * Links, by name, to the archive path they point at: `docker save` writes a
   * layer shared by two images once and links the second name to it
   * (`<id>/layer.tar -> ../<other id>/layer.tar`).
   */
  links: Map<string, string>;
}

function isSmall(name: string, size: number): boolean {
  return size < SMALL && (name.endsWith('.json') || name === 'repositories' || name === 'oci-layout' || name.endsWith('/json') || name.endsWith('VERSION'));
}

async function readArchive(svc: ImageCatalog, source: Readable): Promise<Archive> {
  const archive: Archive = { small: new Map(), blobs: new Map(), links: new Map() };
  const extract = tar.extract();
  // A failure of the stream (a corrupt compressed one included) ends the extraction with that error.
  const feeding = pipeline(await decompressed(source), extract as unknown as NodeJS.WritableStream);
  feeding.catch((err: unknown) => extract.destroy(err as Error));
  try {
    await collectEntries(svc, extract, archive);
    await feeding;
  } catch (err) {
    throw tarError(err);
  }
  return archive;
}

/**
 * A stream that is no tar, in dockerd's words (its tar reader runs in a
 * child process, hence the exit status): "unexpected EOF" for a short one,
 * "invalid tar header" for other bytes.
 */
export function tarError(err: unknown): unknown {
  const message = (err as Error)?.message ?? '';
  if (/Unexpected end of (data|input|file)|ends unexpectedly/i.test(message)) return new InvalidParameterError('Error processing tar file(exit status 1): unexpected EOF');
  if (/Invalid tar header/i.test(message)) return new InvalidParameterError('Error processing tar file(exit status 1): archive/tar: invalid tar header');
  return err;
}

async function collectEntries(svc: ImageCatalog, extract: tar.Extract, archive: Archive): Promise<void> {
  for await (const entry of extract) {
    const name = path.posix.normalize(entry.header.name).replace(/^\.\//, '').replace(/\/$/, '');
    const type = entry.header.type;
    if ((type === 'symlink' || type === 'link') && entry.header.linkname) {
      // A symlink is relative to its own directory, a hard link to the archive's root.
      const target = type === 'symlink' ? path.posix.join(path.posix.dirname(name), entry.header.linkname) : path.posix.normalize(entry.header.linkname);
      archive.links.set(name, target.replace(/^\.\//, ''));
    }
    if (type !== 'file' && type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    if (isSmall(name, entry.header.size ?? 0)) {
      const parts: Buffer[] = [];
      for await (const c of entry) parts.push(c as Buffer);
      archive.small.set(name, Buffer.concat(parts));
      continue;
    }
    const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
    const info = await svc.content.ingest(entry as unknown as AsyncIterable<Buffer>, m ? parseDigest(`sha256:${m[1]}`) : undefined);
    archive.blobs.set(name, info.digest);
  }
}

/** An archive path with its links followed (a bounded number of times). */
function followLinks(a: Archive, name: string): string {
  let clean = path.posix.normalize(name).replace(/^\.\//, '');
  for (let hops = 0; hops < 16 && a.links.has(clean); hops++) clean = a.links.get(clean)!;
  return clean;
}

async function fileBytes(svc: ImageCatalog, a: Archive, name: string): Promise<Buffer> {
  const clean = followLinks(a, name);
  const small = a.small.get(clean);
  if (small) return small;
  const blob = a.blobs.get(clean);
  if (!blob) throw invalidArchive(`missing ${name}`);
  return svc.content.readBuffer(blob);
}

async function fileBlob(svc: ImageCatalog, a: Archive, name: string): Promise<Digest> {
  const clean = followLinks(a, name);
  const blob = a.blobs.get(clean);
  if (blob) return blob;
  const small = a.small.get(clean);
  if (small) return (await svc.content.ingestBuffer(small)).digest;
  throw invalidArchive(`missing ${name}`);
}

async function dockerItems(svc: ImageCatalog, a: Archive, manifest: DockerArchiveManifestEntry[]): Promise<InstallItem[]> {
  const items: InstallItem[] = [];
  for (const m of manifest) {
    const layerBlobs: Digest[] = [];
    for (const l of m.Layers) layerBlobs.push(await fileBlob(svc, a, l));
    items.push({ config: await fileBytes(svc, a, m.Config), layerBlobs, tags: m.RepoTags ?? [] });
  }
  return items;
}

async function ociItems(svc: ImageCatalog, a: Archive, index: ImageIndex, inherited?: string): Promise<InstallItem[]> {
  const items: InstallItem[] = [];
  for (const d of index.manifests) {
    const name = d.annotations?.[CONTAINERD_NAME] ?? (d.annotations?.[REF_NAME] && inherited ? `${inherited}:${d.annotations[REF_NAME]}` : d.annotations?.[REF_NAME]);
    const bytes = await svc.content.readBuffer(d.digest);
    const doc = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
    if (isIndexMediaType(d.mediaType) || 'manifests' in doc) {
      items.push(...(await ociItems(svc, a, doc as ImageIndex, name)));
      continue;
    }
    const manifest = doc as ImageManifest;
    const tags = name ? [name] : [];
    items.push({ config: await svc.content.readBuffer(manifest.config.digest), layerBlobs: manifest.layers.map((l) => l.digest), tags });
  }
  return items;
}

/**
 * Load an archive; `progress` hears, per image, of a tag that moved from
 * another image and of the image loaded (once per tag, or once by ID).
 */
export async function loadImages(svc: ImageCatalog, source: Readable, progress: ProgressSink = ignoreProgress): Promise<Digest[]> {
  const a = await readArchive(svc, source);
  const manifestJson = a.small.get('manifest.json');
  let items: InstallItem[];
  if (manifestJson) items = await dockerItems(svc, a, JSON.parse(manifestJson.toString('utf8')) as DockerArchiveManifestEntry[]);
  else if (a.small.get('index.json')) items = await ociItems(svc, a, JSON.parse(a.small.get('index.json')!.toString('utf8')) as ImageIndex);
  else throw invalidArchive('no manifest.json or index.json found');
  // Blobs of the archive that are neither layer tars (diffIds) nor configs were only
  // staging: the caller holds the store (svc.hold) and sweeps them when the load ends.
  const loaded: Digest[] = [];
  for (const item of items) {
    const id = await installImage(svc, item, {
      quietTags: true, // dockerd's load announces the load, not the tags
      beforeRetag: (fullRef, previousId) => progress({ kind: 'tag-moved', ref: familiarName(parseReference(fullRef)), previousId }),
      afterTag: (fullRef, id) => progress({ kind: 'loaded', id, ref: familiarName(parseReference(fullRef)) }),
    });
    loaded.push(id);
    if (item.tags.length === 0) await progress({ kind: 'loaded', id });
    svc.publish('load', id);
  }
  return loaded;
}
