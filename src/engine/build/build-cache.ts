/**
 * The build cache: which image a step made on which parent, under
 * `<data-root>/builder/cache/<key>.json`, one atomic record per step result.
 *
 * A key is the sha256 of the parent image ID, the step's container config
 * as dockerd's classic builder compares it (its Cmd carries the expanded
 * instruction: `#(nop)  ENV a=b`, `|1 A=1 /bin/sh -c make`, `#(nop) COPY
 * file:<sum> in /dst `) and what the config does not show (RUN --mount
 * specs, the network, the images a step reads). A record is written only
 * after its image is committed, so a `kill -9` at any instant leaves either
 * no record or one naming an image that exists; a record whose image was
 * removed since is ignored (and dropped by `prune`). Records survive a
 * restart: they are read back at the first build.
 */
import { createHash } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { readJson, sweepTemp, writeJsonAtomic } from '../../store/records.ts';
import { log } from '../../util/log.ts';

export interface CacheRecord {
  key: string;
  parentId: string;
  imageId: string;
  /** The instruction as the history shows it (created_by). */
  description: string;
  createdAt: string;
  lastUsedAt?: string;
  usageCount: number;
}

/** Objects with sorted keys, so that equal configs give equal text. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

export function cacheKey(parentId: string | undefined, containerConfig: unknown, extra: unknown = null): string {
  return createHash('sha256').update(JSON.stringify(canonical({ parentId: parentId ?? '', containerConfig, extra }))).digest('hex');
}

export class BuildCache {
  private readonly records = new Map<string, CacheRecord>();
  private loading: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  /** Read the records once (the first build after a start). */
  load(): Promise<void> {
    this.loading ??= this.readAll();
    return this.loading;
  }

  private async readAll(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTemp(this.dir);
    for (const name of await fs.readdir(this.dir)) {
      if (!/^[a-f0-9]{64}\.json$/.test(name)) continue;
      try {
        const record = await readJson<CacheRecord>(path.join(this.dir, name));
        if (record) this.records.set(record.key, record);
      } catch (err) {
        log.warn('unreadable build cache record dropped', { name, err: (err as Error).message });
        await fs.rm(path.join(this.dir, name), { force: true });
      }
    }
  }

  /** The image a step made before, if it still exists. */
  lookup(key: string, exists: (imageId: string) => boolean): CacheRecord | undefined {
    const record = this.records.get(key);
    if (!record) return undefined;
    if (exists(record.imageId)) return record;
    // Its image was removed since (rmi, image prune): the record is useless, dropped (a failure only leaves it for prune).
    this.records.delete(key);
    // Synchronous: an asynchronous removal could land after a new record for the same key was written.
    try {
      rmSync(this.file(key), { force: true });
    } catch {
      // left for prune
    }
    return undefined;
  }

  /** Note a hit (not durable: losing a use count in a crash harms nothing). */
  async touch(record: CacheRecord): Promise<void> {
    record.lastUsedAt = new Date().toISOString();
    record.usageCount += 1;
    await writeJsonAtomic(this.file(record.key), record, { durable: false });
  }

  /** Record a step's result; call only once its image is committed. */
  async put(record: Omit<CacheRecord, 'createdAt' | 'usageCount'>): Promise<void> {
    const full: CacheRecord = { ...record, createdAt: new Date().toISOString(), usageCount: 0 };
    await writeJsonAtomic(this.file(record.key), full);
    this.records.set(record.key, full);
  }

  all(): CacheRecord[] {
    return [...this.records.values()];
  }

  async delete(key: string): Promise<void> {
    this.records.delete(key);
    await fs.rm(this.file(key), { force: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}
