/**
 * BlobSources: where each layer's compressed blob came from or went to, as
 * dockerd's v2 metadata service keeps it (distribution/metadata/v2_metadata_service.go).
 *
 * Vocabulary: a layer is known by its DiffID (the digest of its uncompressed
 * tar); the same layer travels as one or more *compressed blobs* (digest,
 * media type, size), each seen in some *repositories* (`127.0.0.1:5000/a/b`,
 * full names with the registry host). A pull records the blob it downloaded
 * and the repository it came from; a push records the blob it uploaded (or
 * found, or mounted) and the repository it went to. Push reads them back to
 * skip blobs a repository has (HEAD), to mount a blob from another repository
 * of the same registry, and to send the kept compressed bytes as they are.
 *
 * On disk: `<dataRoot>/images/blob-sources/<diffIdHex>.json`, one atomic
 * record per layer, mirrored in memory. Records only point at blobs: a
 * record whose blob the content store no longer has is still useful (the
 * registry may have it), and the reclaimer keeps the compressed blobs of
 * live layers (`blobsOf`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { digestHex, isSha256Hex, type DiffId, type Digest } from '../../oci/digest.ts';
import { readJson, sweepTemp, writeJsonAtomic } from '../../store/records.ts';

export interface BlobSource {
  /** The compressed blob's digest (as the registry names it). */
  digest: Digest;
  mediaType: string;
  size: number;
  /** Full repository names where the blob is known to be, most recent first. */
  repositories: string[];
}

interface BlobSourcesFile {
  diffId: DiffId;
  blobs: BlobSource[];
}

/** dockerd keeps a bounded history too: enough candidates for mounts, not a log. */
const MAX_REPOSITORIES = 20;

export class BlobSources {
  private readonly byDiffId = new Map<string, BlobSource[]>();

  constructor(readonly dir: string) {}

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTemp(this.dir);
    for (const name of await fs.readdir(this.dir)) {
      const hex = name.replace(/\.json$/, '');
      if (!isSha256Hex(hex)) continue;
      const record = await readJson<BlobSourcesFile>(path.join(this.dir, name));
      if (record && Array.isArray(record.blobs)) this.byDiffId.set(record.diffId, record.blobs);
    }
  }

  /** The compressed blobs known for a layer, most recently used first. */
  get(diffId: DiffId): readonly BlobSource[] {
    return this.byDiffId.get(diffId) ?? [];
  }

  /** Digests of the compressed blobs recorded for these layers (what the reclaimer keeps). */
  blobsOf(diffIds: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const d of diffIds) for (const b of this.byDiffId.get(d) ?? []) out.add(b.digest);
    return out;
  }

  /**
   * Note that `blob` of layer `diffId` is in `repository` (a pull from it, a
   * push to it); without a repository, only that the blob is the layer's
   * (a compression kept before its upload finished).
   */
  async add(diffId: DiffId, blob: { digest: Digest; mediaType: string; size: number }, repository?: string): Promise<void> {
    const list = [...(this.byDiffId.get(diffId) ?? [])];
    const i = list.findIndex((b) => b.digest === blob.digest);
    const previous = i >= 0 ? list.splice(i, 1)[0] : undefined;
    const older = (previous?.repositories ?? []).filter((r) => r !== repository);
    const repositories = (repository ? [repository, ...older] : older).slice(0, MAX_REPOSITORIES);
    list.unshift({ digest: blob.digest, mediaType: blob.mediaType, size: blob.size, repositories });
    this.byDiffId.set(diffId, list);
    await writeJsonAtomic(path.join(this.dir, `${digestHex(diffId)}.json`), { diffId, blobs: list } satisfies BlobSourcesFile);
  }

  /** Forget a repository for a blob (a HEAD said it is not there any more). */
  async forget(diffId: DiffId, digest: Digest, repository: string): Promise<void> {
    const list = this.byDiffId.get(diffId);
    const blob = list?.find((b) => b.digest === digest);
    if (!list || !blob || !blob.repositories.includes(repository)) return;
    blob.repositories = blob.repositories.filter((r) => r !== repository);
    await writeJsonAtomic(path.join(this.dir, `${digestHex(diffId)}.json`), { diffId, blobs: list } satisfies BlobSourcesFile);
  }
}
