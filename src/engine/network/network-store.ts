/**
 * Network records on disk: one `<dataRoot>/networks/<id>.json` per network,
 * each written atomically and durably (records.ts), kept in memory in
 * creation order. A `kill -9` mid-create leaves the whole record or none
 * (a stray temp file is swept at the next load); mid-remove, the record
 * or nothing, and a record whose network was half torn down is still
 * whole, so `rm` can simply be run again.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir, isTempName, readJson, sweepTemp, writeJsonAtomic } from '../../store/records.ts';
import { isErrno } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { timeSortKey } from '../../util/timestamp.ts';
import type { NetworkRecord } from './network-record.ts';

/** What berthd stores: the record and, privately, what the network service needs to remember about the host. */
export interface StoredNetwork extends NetworkRecord {
  /**
   * The bridge device named by the user already existed when the network
   * was created: it is the administrator's, so removing the network must
   * leave it in place.
   */
  deviceExisted?: boolean;
}

export class NetworkStore {
  private readonly records = new Map<string, StoredNetwork>();

  constructor(readonly dir: string) {}

  /** Reads every record (a torn or unreadable one is logged and skipped, never fatal). */
  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await sweepTemp(this.dir);
    this.records.clear();
    const loaded: StoredNetwork[] = [];
    for (const name of await fs.readdir(this.dir)) {
      if (isTempName(name) || !name.endsWith('.json')) continue;
      try {
        const record = await readJson<StoredNetwork>(path.join(this.dir, name));
        if (record && typeof record.id === 'string' && `${record.id}.json` === name) loaded.push(record);
      } catch (err) {
        log.warn('skipping an unreadable network record', { file: name, err: (err as Error).message });
      }
    }
    // Creation order: predefined first (they are made first), then as the user made them.
    const key = (r: StoredNetwork) => timeSortKey(r.created);
    loaded.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (const r of loaded) this.records.set(r.id, r);
  }

  all(): StoredNetwork[] {
    return [...this.records.values()];
  }

  get(id: string): StoredNetwork | undefined {
    return this.records.get(id);
  }

  /** Durable before it is visible: a network the API answered for survives a crash. */
  async save(record: StoredNetwork): Promise<void> {
    await writeJsonAtomic(path.join(this.dir, `${record.id}.json`), record);
    this.records.set(record.id, record); // an update keeps its place
  }

  async delete(id: string): Promise<void> {
    try {
      await fs.rm(path.join(this.dir, `${id}.json`));
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    await fsyncDir(this.dir);
    this.records.delete(id);
  }
}
