/**
 * The registry's storage under one root directory:
 *
 *   blobs/sha256/<hex>                          content, by digest (manifests too)
 *   uploads/<id>/data, uploads/<id>/info.json   blob uploads in progress
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
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsyncDir, readJson, writeFileAtomic } from '../../store/records.ts';
import { isErrno } from '../../util/errors.ts';
import { RegistryError } from './errors.ts';

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

interface UploadInfo {
  name: string;
  startedAt: string;
}

/** The running hash of an upload whose chunks came through this process (resumed after a restart by re-reading). */
interface LiveUpload {
  hash: Hash;
  size: number;
}

const hexOf = (digest: string) => digest.slice('sha256:'.length);

export class RegistryStorage {
  private readonly live = new Map<string, LiveUpload>();
  /** One operation at a time per upload (chunks append in order). */
  private readonly uploadLocks = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {}

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
  private uploadDir(id: string): string {
    return path.join(this.root, 'uploads', id);
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

  // ---------------------------------------------------------------- uploads

  async startUpload(name: string): Promise<string> {
    const id = randomUUID();
    const dir = this.uploadDir(id);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'data'), '');
    await writeFileAtomic(path.join(dir, 'info.json'), JSON.stringify({ name, startedAt: new Date().toISOString() } satisfies UploadInfo), { durable: false, mode: 0o644 });
    this.live.set(id, { hash: createHash('sha256'), size: 0 });
    return id;
  }

  /** The size so far of an upload of `name`; throws BLOB_UPLOAD_UNKNOWN. */
  async uploadSize(name: string, id: string): Promise<number> {
    if (!/^[a-zA-Z0-9-]+$/.test(id)) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
    const info = await readJson<UploadInfo>(path.join(this.uploadDir(id), 'info.json')).catch(() => undefined);
    if (!info || info.name !== name) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
    try {
      return (await fs.stat(path.join(this.uploadDir(id), 'data'))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new RegistryError('BLOB_UPLOAD_UNKNOWN');
      throw err;
    }
  }

  /** Serialise the operations on one upload. */
  withUpload<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.uploadLocks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.uploadLocks.set(id, tail);
    void tail.then(() => {
      if (this.uploadLocks.get(id) === tail) this.uploadLocks.delete(id);
    });
    return next;
  }

  /**
   * Append a request body to an upload, hashing as it streams. `expectStart`
   * (from Content-Range) must equal the current size. Returns the new size.
   * A body cut short leaves the bytes that arrived: the client resumes from
   * the size GET reports (the hash state is then rebuilt from the file).
   */
  async appendUpload(name: string, id: string, body: Readable, expectStart?: number): Promise<number> {
    const size = await this.uploadSize(name, id);
    if (expectStart !== undefined && expectStart !== size) throw new RegistryError('BLOB_UPLOAD_INVALID', 'range not satisfiable', undefined, 416);
    let live = this.live.get(id);
    if (live && live.size !== size) live = undefined;
    this.live.delete(id);
    const hash = live?.hash ?? (await hashFile(path.join(this.uploadDir(id), 'data')));
    let written = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        written += chunk.length;
        cb(null, chunk);
      },
    });
    // A body cut short keeps the bytes that made it (resumable); with no live hash, the next append rehashes the file.
    await pipeline(body, tee, createWriteStream(path.join(this.uploadDir(id), 'data'), { flags: 'a' }));
    this.live.set(id, { hash, size: size + written });
    return size + written;
  }

  /**
   * Finish an upload: verify the digest (and size), make the blob durable,
   * rename it into place, link it into the repository, drop the upload.
   */
  async finishUpload(name: string, id: string, digest: string): Promise<number> {
    const dir = this.uploadDir(id);
    const data = path.join(dir, 'data');
    const size = await this.uploadSize(name, id);
    const live = this.live.get(id);
    const hash = live && live.size === size ? live.hash : await hashFile(data);
    const actual = `sha256:${hash.digest('hex')}`;
    this.live.delete(id);
    if (actual !== digest) throw new RegistryError('DIGEST_INVALID', undefined, { expected: digest, actual });
    await this.commitFile(data, digest);
    await this.linkBlob(name, digest);
    await this.deleteUpload(id);
    return size;
  }

  async deleteUpload(id: string): Promise<void> {
    this.live.delete(id);
    await fs.rm(this.uploadDir(id), { recursive: true, force: true });
  }

  /** fsync `file`, then rename it to the blob of `digest` (already verified). */
  private async commitFile(file: string, digest: string): Promise<void> {
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

  /** Monolithic upload in one request: stream to a temp upload, then finish. */
  async putBlob(name: string, digest: string, body: Readable): Promise<number> {
    const id = await this.startUpload(name);
    try {
      await this.appendUpload(name, id, body);
      return await this.finishUpload(name, id, digest);
    } finally {
      await this.deleteUpload(id);
    }
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

  async listUploads(): Promise<{ id: string; mtimeMs: number }[]> {
    const out = [];
    for (const id of await readdirOrEmpty(path.join(this.root, 'uploads'))) {
      const st = await fs.stat(this.uploadDir(id)).catch(() => undefined);
      const data = await fs.stat(path.join(this.uploadDir(id), 'data')).catch(() => undefined);
      if (st) out.push({ id, mtimeMs: Math.max(st.mtimeMs, data?.mtimeMs ?? 0) });
    }
    return out;
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

async function hashFile(file: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}
