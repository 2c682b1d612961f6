/**
 * Volume records and data on disk: `<dataRoot>/volumes/<name>/` holds the
 * record (`volume.json`) and the data (`_data`), as dockerd keeps a local
 * volume's `opts.json` beside its `_data`.
 *
 * Crash safety (a `kill -9` at any instant):
 * - create builds the whole `<name>` directory (record and `_data`) under a
 *   staging name `.staging-<random>`, fsyncs it, renames it into place and
 *   fsyncs the parent: the volume appears whole or not at all.
 * - remove renames `<name>` to `.trash-<random>` and fsyncs the parent
 *   (from then on the volume is gone), then deletes the trash.
 * - load sweeps staging and trash leftovers (names starting with `.` are
 *   never volume names: a name starts with a letter or digit). A `<name>`
 *   directory is never deleted by the sweep, with or without a valid record.
 * A mount under a leftover is detached before anything is deleted, and the
 * deletion never crosses a mount point (a bind volume's source survives).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, readJson, writeJsonAtomic } from '../../store/records.ts';
import { mountsUnder, unmountAll } from '../../drivers/mount/volume-mount.ts';
import { SystemError, isErrno } from '../../util/errors.ts';
import { failpoint } from '../../util/failpoint.ts';
import { log } from '../../util/log.ts';
import type { VolumeRecord } from './volume-record.ts';

const RECORD = 'volume.json';
const STAGING = '.staging-';
const TRASH = '.trash-';

/** A volume name that may be a directory of the store (the local driver's rule). */
function isVolumeDirName(name: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name);
}

function isRecord(value: unknown, name: string): value is VolumeRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<VolumeRecord>;
  return r.name === name && r.driver === 'local' && typeof r.createdAt === 'string';
}

export class VolumeStore {
  private readonly records = new Map<string, VolumeRecord>();

  constructor(readonly dir: string) {}

  dataDir(name: string): string {
    return path.join(this.dir, name, '_data');
  }

  /** Reads every record; sweeps staging and trash leftovers first. */
  async load(): Promise<void> {
    // 0701 as dockerd's volumes root: others may reach a volume's data by path, not list the names.
    await fs.mkdir(this.dir, { recursive: true, mode: 0o701 });
    this.records.clear();
    for (const entry of await fs.readdir(this.dir)) {
      if (entry.startsWith(STAGING) || entry.startsWith(TRASH)) {
        await this.deleteTree(path.join(this.dir, entry));
        continue;
      }
      if (!isVolumeDirName(entry)) continue;
      try {
        const record = await readJson<unknown>(path.join(this.dir, entry, RECORD));
        if (isRecord(record, entry)) this.records.set(entry, record);
        else log.warn('skipping a volume directory without a valid record', { dir: entry });
      } catch (err) {
        log.warn('skipping an unreadable volume record', { dir: entry, err: (err as Error).message });
      }
    }
  }

  all(): VolumeRecord[] {
    return [...this.records.values()];
  }

  get(name: string): VolumeRecord | undefined {
    return this.records.get(name);
  }

  /** Record and `_data` appear together, durably, before the volume is visible. */
  async create(record: VolumeRecord): Promise<void> {
    const staging = path.join(this.dir, STAGING + randomBytes(8).toString('hex'));
    const target = path.join(this.dir, record.name);
    try {
      await fs.mkdir(staging, { mode: 0o755 });
      await fs.mkdir(path.join(staging, '_data'), { mode: 0o755 });
      // writeJsonAtomic fsyncs the record and the staging directory (which also holds `_data`'s entry).
      await writeJsonAtomic(path.join(staging, RECORD), record);
      failpoint('volume-staged');
      await fs.rename(staging, target);
    } catch (err) {
      await fs.rm(staging, { recursive: true, force: true });
      if (isErrno(err, 'ENOTEMPTY') || isErrno(err, 'EEXIST')) {
        throw new SystemError(`volume directory ${target} already exists and holds no volume record of berth`, { cause: err });
      }
      throw err;
    }
    await fsyncDir(this.dir);
    this.records.set(record.name, record);
  }

  /** Gone once renamed to trash (durably); the data is deleted afterwards. */
  async remove(name: string): Promise<void> {
    const source = path.join(this.dir, name);
    const trash = path.join(this.dir, TRASH + randomBytes(8).toString('hex'));
    try {
      await fs.rename(source, trash);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    await fsyncDir(this.dir);
    this.records.delete(name);
    failpoint('volume-trashed');
    await this.deleteTree(trash);
  }

  /** Deletes a directory tree after detaching any mount in it; refuses to delete across a mount that stays. */
  private async deleteTree(dir: string): Promise<void> {
    await unmountAll(dir);
    if ((await mountsUnder(dir)).length > 0) {
      log.warn('leaving a volume directory that still holds a mount', { dir });
      return;
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}
