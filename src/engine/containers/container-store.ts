/**
 * The in-memory index of container records plus their durable copies.
 * Names are reserved here (one registrar): a name maps to exactly one ID.
 * Resolution follows dockerd: full ID, then exact name, then unique ID prefix.
 */
import { promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic, isTempName } from '../../store/records.ts';
import { isErrno } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { ambiguousPrefix, nameInUse, noSuchContainer } from './errors.ts';
import { containerPaths, type ContainerRecord } from './record.ts';

export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>();

  constructor(private readonly dataRoot: string) {}

  /**
   * Load every record; directories without a record are half-created and are
   * returned for cleanup. `check` sees each record before it is indexed (by
   * ID and name) and may repair it in place; it saves what it changed.
   */
  async load(check?: (record: ContainerRecord, id: string) => Promise<void>): Promise<{ orphans: string[] }> {
    const dir = path.join(this.dataRoot, 'containers');
    await fs.mkdir(dir, { recursive: true });
    const orphans: string[] = [];
    for (const id of await fs.readdir(dir)) {
      if (isTempName(id)) continue;
      const file = containerPaths(this.dataRoot, id).record;
      let record: ContainerRecord | undefined;
      try {
        record = await readJson<ContainerRecord>(file);
      } catch (err) {
        log.warn('unreadable container record', { id, err });
      }
      if (!record || typeof record !== 'object' || Array.isArray(record)) {
        if (record) log.warn('container record is not an object, removing its container', { id });
        orphans.push(id);
        continue;
      }
      if (check) await check(record, id);
      this.byId.set(record.id, record);
      this.byName.set(record.name, record.id);
    }
    return { orphans };
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  get(id: string): ContainerRecord | undefined {
    return this.byId.get(id);
  }

  /** Find by full ID, name (with or without "/"), or unique ID prefix. */
  resolve(ref: string): ContainerRecord {
    const found = this.find(ref);
    if (!found) throw noSuchContainer(ref);
    return found;
  }

  find(ref: string): ContainerRecord | undefined {
    if (!ref) return undefined;
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const byName = this.byName.get(ref.startsWith('/') ? ref : `/${ref}`);
    if (byName) return this.byId.get(byName);
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    let hit: ContainerRecord | undefined;
    for (const [id, record] of this.byId) {
      if (!id.startsWith(ref)) continue;
      if (hit) throw ambiguousPrefix(ref);
      hit = record;
    }
    return hit;
  }

  /** Reserve `name` for `id`; throws 409 naming the holder. */
  reserveName(name: string, id: string): void {
    const holder = this.byName.get(name);
    if (holder && holder !== id) throw nameInUse(name, holder);
    this.byName.set(name, id);
  }

  releaseName(name: string, id: string): void {
    if (this.byName.get(name) === id) this.byName.delete(name);
  }

  hasName(name: string): boolean {
    return this.byName.has(name);
  }

  /** Persist and index a record (atomic, durable write). */
  async save(record: ContainerRecord): Promise<void> {
    await writeJsonAtomic(containerPaths(this.dataRoot, record.id).record, record);
    this.byId.set(record.id, record);
  }

  /**
   * Persist a change of run state only (started, exited, paused): atomic but
   * not fsynced. A daemon crash loses nothing; after a machine crash the
   * state is stale, and re-adoption corrects it from the runtime, as it must
   * anyway since no container survives a reboot.
   */
  async saveState(record: ContainerRecord): Promise<void> {
    await writeJsonAtomic(containerPaths(this.dataRoot, record.id).record, record, { durable: false });
    this.byId.set(record.id, record);
  }

  /** Forget a record (its directory is removed by the caller). */
  drop(record: ContainerRecord): void {
    this.byId.delete(record.id);
    this.releaseName(record.name, record.id);
  }

  async removeRecordFile(id: string): Promise<void> {
    try {
      rmSync(containerPaths(this.dataRoot, id).record);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
  }
}
