/**
 * Who uses each volume, and the local driver's filesystems mounted on
 * `_data`. `acquire` counts a user (a container ID, once per call: a
 * container mounting the volume at two destinations acquires twice and
 * releases twice) and mounts the volume's filesystem for the first;
 * `release` uncounts one and unmounts after the last. `adopt` counts a
 * user of a filesystem already mounted, without mounting.
 *
 * A crash leaves filesystems mounted with nobody counted. `reset` (at load)
 * notes them as leftovers; `adopt` takes one over for a container that
 * still runs; `acquire` by a new user takes it as it is; the service
 * unmounts the others once the containers are re-adopted (`dropLeftover`),
 * as dockerd unmounts every local volume at its start.
 *
 * Callers hold the volume's lock around every call that takes a name.
 */
import { isMounted, mountFilesystem, unmountFilesystem } from '../../drivers/mount/volume-mount.ts';
import { asError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { mountFailed } from './errors.ts';
import { filesystemOf } from './local-driver.ts';
import type { VolumeRecord } from './volume-record.ts';

export class VolumeMounts {
  /** Per volume: container ID → how many mounts it holds. */
  private readonly active = new Map<string, Map<string, number>>();
  /** Volumes whose filesystem is mounted on `_data` (by us, or left by a crash and taken over). */
  private readonly mounted = new Set<string>();
  /** Filesystems found mounted at load and not taken over yet. */
  private readonly leftovers = new Set<string>();

  constructor(private readonly mountpoint: (name: string) => string) {}

  /** At load: nobody is counted; the filesystems a crash left mounted are noted. */
  async reset(records: readonly VolumeRecord[]): Promise<void> {
    this.active.clear();
    this.mounted.clear();
    this.leftovers.clear();
    for (const record of records) {
      if (filesystemOf(record.options) && (await isMounted(this.mountpoint(record.name)))) this.leftovers.add(record.name);
    }
  }

  /** The counted users of a volume. */
  counted(name: string): string[] {
    return [...(this.active.get(name)?.keys() ?? [])];
  }

  leftoverNames(): string[] {
    return [...this.leftovers];
  }

  async acquire(record: VolumeRecord, containerId: string): Promise<void> {
    const { name } = record;
    const fs = filesystemOf(record.options);
    if (fs && !this.mounted.has(name)) {
      const mountpoint = this.mountpoint(name);
      // A leftover nobody adopted is taken as it is; anything else is mounted afresh.
      if (!(this.leftovers.delete(name) && (await isMounted(mountpoint)))) {
        try {
          await mountFilesystem(fs, mountpoint);
        } catch (err) {
          throw mountFailed(mountpoint, asError(err));
        }
      }
      this.mounted.add(name);
    }
    this.count(name, containerId, +1);
  }

  adopt(name: string, containerId: string): void {
    if (this.leftovers.delete(name)) this.mounted.add(name);
    this.count(name, containerId, +1);
  }

  async release(name: string, containerId: string): Promise<void> {
    this.count(name, containerId, -1);
    if (this.active.has(name) || !this.mounted.delete(name)) return;
    try {
      await unmountFilesystem(this.mountpoint(name));
    } catch (err) {
      log.warn('could not unmount a volume', { volume: name, err: asError(err).message });
    }
  }

  /** Unmounts a leftover nobody took over (still one: not adopted or acquired since). */
  async dropLeftover(name: string): Promise<void> {
    if (!this.leftovers.delete(name)) return;
    try {
      await unmountFilesystem(this.mountpoint(name));
    } catch (err) {
      log.warn('could not unmount a volume left mounted', { volume: name, err: asError(err).message });
    }
  }

  /** Before the volume is deleted (no user left): forgets it and detaches whatever is mounted on `_data`. */
  async detach(name: string): Promise<void> {
    this.leftovers.delete(name);
    this.mounted.delete(name);
    this.active.delete(name);
    await unmountFilesystem(this.mountpoint(name));
  }

  private count(name: string, containerId: string, delta: 1 | -1): void {
    let users = this.active.get(name);
    if (!users) this.active.set(name, (users = new Map()));
    const next = (users.get(containerId) ?? 0) + delta;
    if (next > 0) users.set(containerId, next);
    else users.delete(containerId);
    if (users.size === 0) this.active.delete(name);
  }
}
