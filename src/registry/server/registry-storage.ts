/**
 * The registry's storage under one root directory:
 *
 *   blobs/sha256/<hex>                          content, by digest (manifests too)
 *   uploads/<id>/…                              blob uploads in progress (blob-uploads.ts)
 *   repositories/<name>/_layers/<hex>           the repository may serve this blob
 *   repositories/<name>/_manifests/revisions/<hex>   a manifest of the repository (JSON: media type, size…)
 *   repositories/<name>/_manifests/tags/<tag>   the digest a tag points at
 *   repositories/<name>/_referrers/<subject hex>/<hex>   a descriptor of a manifest whose subject is <subject>
 *
 * Invariants (crash safety): a blob file exists only once its bytes were
 * verified against its digest and fsynced (written to a temp file, hashed
 * while streaming, renamed: concurrent pushes of the same blob both end in
 * the same file, whoever renames last); a link (layer, revision, tag,
 * referrer) is written only after what it points at is durable; every link
 * is written atomically. So a kill -9 at any instant leaves at worst
 * unreferenced blobs and stale uploads, which `gc` removes.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir, readJson, writeFileAtomic } from '../../store/records.ts';
import { isErrno } from '../../util/errors.ts';
import { BlobUploads, type BlobSink } from './blob-uploads.ts';

export interface ManifestRecord {
  mediaType: string;
  size: number;
  subject?: string;
  artifactType?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const hexOf = (digest: string) => digest.slice('sha256:'.length);

export class RegistryStorage implements BlobSink {
  readonly uploads: BlobUploads;

  constructor(readonly root: string) {
    this.uploads = new BlobUploads(path.join(root, 'uploads'), this);
  }

  async init(): Promise<void> {
    for (const d of ['blobs/sha256', 'uploads', 'repositories']) await fs.mkdir(path.join(this.root, d), { recursive: true });
  }

  blobPath(digest: string): string {
    return path.join(this.root, 'blobs', 'sha256', hexOf(digest));
  }
  /** The directories of a repository that hold links (where interrupted atomic writes leave temp files). */
  async linkDirs(name: string): Promise<string[]> {
    const dir = this.repoDir(name);
    const refs = path.join(dir, '_referrers');
    const subjects = (await readdirOrEmpty(refs)).filter((n) => !n.startsWith('.')).map((n) => path.join(refs, n));
    return [path.join(dir, '_layers'), path.join(dir, '_manifests', 'revisions'), path.join(dir, '_manifests', 'tags'), refs, ...subjects];
  }

  private repoDir(name: string): string {
    return path.join(this.root, 'repositories', name);
  }
  private layerLink(name: string, digest: string): string {
    return path.join(this.repoDir(name), '_layers', hexOf(digest));
  }
  private revisionPath(name: string, digest: string): string {
    return path.join(this.repoDir(name), '_manifests', 'revisions', hexOf(digest));
  }
  private tagPath(name: string, tag: string): string {
    return path.join(this.repoDir(name), '_manifests', 'tags', tag);
  }

  async repoExists(name: string): Promise<boolean> {
    return exists(this.repoDir(name));
  }

  /** Size of a blob the repository may serve, or undefined. */
  async statBlob(name: string, digest: string): Promise<number | undefined> {
    if (!(await exists(this.layerLink(name, digest)))) {
      // A manifest is a blob of its repository too (GET /blobs/<manifest digest> works in distribution).
      if (!(await exists(this.revisionPath(name, digest)))) return undefined;
    }
    try {
      return (await fs.stat(this.blobPath(digest))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  async globalBlobSize(digest: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.blobPath(digest))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  readBlob(digest: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.blobPath(digest), range ? { start: range.start, end: range.end } : {});
  }

  async linkBlob(name: string, digest: string): Promise<void> {
    const link = this.layerLink(name, digest);
    await fs.mkdir(path.dirname(link), { recursive: true });
    await writeFileAtomic(link, digest, { mode: 0o644 });
  }

  async unlinkBlob(name: string, digest: string): Promise<boolean> {
    try {
      await fs.unlink(this.layerLink(name, digest));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** fsync `file`, then rename it to the blob of `digest` (already verified). */
  async commitBlobFile(file: string, digest: string): Promise<void> {
    const handle = await fs.open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = this.blobPath(digest);
    // Same content either way: a concurrent push that renamed first is simply replaced.
    await fs.rename(file, target);
    await fsyncDir(path.dirname(target));
  }

  /** Store bytes already in memory (a manifest) as a blob, durably. */
  async putBlobBytes(digest: string, data: Buffer): Promise<void> {
    const target = this.blobPath(digest);
    if (await exists(target)) return;
    await writeFileAtomic(target, data, { mode: 0o644 });
  }

  // -------------------------------------------------------------- manifests

  async getRevision(name: string, digest: string): Promise<ManifestRecord | undefined> {
    return readJson<ManifestRecord>(this.revisionPath(name, digest)).catch((err: unknown) => {
      if (err instanceof SyntaxError) return undefined;
      throw err;
    });
  }

  async resolveTag(name: string, tag: string): Promise<string | undefined> {
    try {
      const d = (await fs.readFile(this.tagPath(name, tag), 'utf8')).trim();
      return d || undefined;
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return undefined;
      throw err;
    }
  }

  /** Link a manifest whose bytes and blobs are already durable; then the tag and the referrer entry. */
  async putManifest(name: string, digest: string, record: ManifestRecord, tag: string | undefined, referrer: Descriptor | undefined): Promise<void> {
    const rev = this.revisionPath(name, digest);
    await fs.mkdir(path.dirname(rev), { recursive: true });
    if (referrer && record.subject) {
      const file = path.join(this.repoDir(name), '_referrers', hexOf(record.subject), hexOf(digest));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, JSON.stringify(referrer), { mode: 0o644 });
    }
    await writeFileAtomic(rev, JSON.stringify(record), { mode: 0o644 });
    if (tag !== undefined) {
      const t = this.tagPath(name, tag);
      await fs.mkdir(path.dirname(t), { recursive: true });
      await writeFileAtomic(t, digest, { mode: 0o644 });
    }
  }

  async listTags(name: string): Promise<string[]> {
    const names = await readdirOrEmpty(path.join(this.repoDir(name), '_manifests', 'tags'));
    return names.filter((n) => !n.startsWith('.')).sort();
  }

  async deleteTag(name: string, tag: string): Promise<boolean> {
    try {
      await fs.unlink(this.tagPath(name, tag));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** Remove a manifest from a repository: its tags first, its referrer entry, then the revision. */
  async deleteManifest(name: string, digest: string): Promise<boolean> {
    const record = await this.getRevision(name, digest);
    if (!record) return false;
    for (const tag of await this.listTags(name)) {
      if ((await this.resolveTag(name, tag)) === digest) await this.deleteTag(name, tag);
    }
    if (record.subject) await fs.rm(path.join(this.repoDir(name), '_referrers', hexOf(record.subject), hexOf(digest)), { force: true });
    await fs.rm(this.revisionPath(name, digest), { force: true });
    return true;
  }

  async listReferrers(name: string, subject: string): Promise<Descriptor[]> {
    const dir = path.join(this.repoDir(name), '_referrers', hexOf(subject));
    const out: Descriptor[] = [];
    for (const n of (await readdirOrEmpty(dir)).sort()) {
      if (n.startsWith('.')) continue;
      const d = await readJson<Descriptor>(path.join(dir, n)).catch(() => undefined);
      // Only manifests still in the repository (a revision written after its referrer entry).
      if (d && (await exists(this.revisionPath(name, d.digest)))) out.push(d);
    }
    return out;
  }

  /** Every repository name (for the catalog and gc). */
  async listRepositories(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const n of await readdirOrEmpty(dir)) {
        if (n.startsWith('.')) continue;
        if (n === '_manifests') {
          out.push(prefix);
          continue;
        }
        if (n.startsWith('_')) continue;
        await walk(path.join(dir, n), prefix ? `${prefix}/${n}` : n);
      }
    };
    await walk(path.join(this.root, 'repositories'), '');
    return out.sort();
  }

  async listRevisions(name: string): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.repoDir(name), '_manifests', 'revisions'))).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((h) => `sha256:${h}`);
  }

  async listLayerLinks(name: string): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.repoDir(name), '_layers'))).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((h) => `sha256:${h}`);
  }

  async listBlobs(): Promise<string[]> {
    return (await readdirOrEmpty(path.join(this.root, 'blobs', 'sha256'))).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((h) => `sha256:${h}`);
  }

  async readBlobBytes(digest: string): Promise<Buffer> {
    return fs.readFile(this.blobPath(digest));
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    // missing (or unreadable): not there for us
    return false;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return [];
    throw err;
  }
}
