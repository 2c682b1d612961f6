/**
 * Image records and the reference (tag) store under `<dataRoot>/images/`.
 *
 * - `<hex>.json`: one record per image (ID = config digest); the config blob
 *   itself lives in the content store and is written first.
 * - `repositories.json`: full reference (`docker.io/library/busybox:latest`
 *   or `…@sha256:…`) → image ID, rewritten atomically as a whole.
 * Write order is blobs → layers → image record → tags, so a crash leaves at
 * worst an untagged image or an unreferenced blob, never a tag pointing at
 * nothing. Everything is mirrored in memory: lookups are synchronous.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { digestHex, isSha256Hex, type ChainId, type Digest } from '../../oci/digest.ts';
import type { ImageConfig } from '../../oci/image.ts';
import { fsyncDir, readJson, sweepTemp, writeJsonAtomic } from '../../store/records.ts';

export interface ImageRecord {
  id: Digest;
  /** Chain ID of the top layer; absent for an image without layers. */
  chainId?: ChainId;
  /** Parent image ID (images made by commit or build). */
  parent?: Digest;
  lastTagTime?: string;
}

export interface Image {
  record: ImageRecord;
  config: ImageConfig;
}

interface RepositoriesFile {
  refs: Record<string, string>;
}

export class ImageStore {
  readonly images = new Map<string, Image>();
  /** Full reference → image ID, in insertion order. */
  readonly refs = new Map<string, Digest>();

  constructor(readonly dir: string) {}

  private recordPath(id: Digest): string {
    return path.join(this.dir, `${digestHex(id)}.json`);
  }

  private get repositoriesPath(): string {
    return path.join(this.dir, 'repositories.json');
  }

  /** Load records; `configOf` reads a config blob (undefined when missing → record dropped). */
  async load(configOf: (id: Digest) => Promise<ImageConfig | undefined>): Promise<string[]> {
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTemp(this.dir);
    const dropped: string[] = [];
    for (const name of await fs.readdir(this.dir)) {
      const hex = name.replace(/\.json$/, '');
      if (!isSha256Hex(hex)) continue;
      const record = await readJson<ImageRecord>(path.join(this.dir, name));
      const config = record ? await configOf(record.id) : undefined;
      if (!record || !config) {
        dropped.push(hex);
        await fs.rm(path.join(this.dir, name), { force: true });
        continue;
      }
      this.images.set(record.id, { record, config });
    }
    const repos = await readJson<RepositoriesFile>(this.repositoriesPath);
    for (const [ref, id] of Object.entries(repos?.refs ?? {})) {
      if (this.images.has(id)) this.refs.set(ref, id as Digest);
    }
    return dropped;
  }

  async put(image: Image): Promise<void> {
    await writeJsonAtomic(this.recordPath(image.record.id), image.record);
    this.images.set(image.record.id, image);
  }

  /** Durable before it returns: the caller may then sweep the blobs the record named. */
  async delete(id: Digest): Promise<void> {
    this.images.delete(id);
    await fs.rm(this.recordPath(id), { force: true });
    await fsyncDir(this.dir);
  }

  async saveRefs(): Promise<void> {
    await writeJsonAtomic(this.repositoriesPath, { refs: Object.fromEntries(this.refs) } satisfies RepositoriesFile);
  }

  refsOf(id: string): string[] {
    return [...this.refs].filter(([, v]) => v === id).map(([k]) => k);
  }
}
