/**
 * The volumes: named and anonymous volumes of the `local` driver, their
 * records and data under `<dataRoot>/volumes/<name>/`, the local driver's
 * options (`type=tmpfs`, `type=none,o=bind,device=…`, other filesystem types
 * mounted at first use and unmounted when the last user stops), list
 * filters, prune and `system df` usage. Knows containers only through
 * `VolumeUsers`, which the container side provides; the container side
 * resolves a container's mounts to volume names and calls `create` (on
 * first use), `mount` at start and `unmount` once it has stopped.
 *
 * Events: `volume create|destroy|prune` here; `mount|unmount` through
 * `mount`/`unmount`.
 *
 * CONTRACT (session 7): this file is the seam between the volume service
 * (engine/volumes/) and the container side (engine/containers/). The bodies
 * are filled in by the volume-service work; the signatures are what the
 * container side builds against.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { KeyedLock } from '../../store/lock.ts';
import { asError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { EventsService } from '../events/events-service.ts';
import { noSuchVolume, unknownDriver, volumeInUse } from './errors.ts';
import { hasNoOptions, validateLocalOptions, validateVolumeName } from './local-driver.ts';
import { VolumeMounts } from './volume-mounts.ts';
import { ANONYMOUS_LABEL, filterVolumes, volumePruneMatcher, type VolumeFilters } from './volume-filters.ts';
import { directorySize } from './volume-size.ts';
import { VolumeStore } from './volume-store.ts';
import type { VolumeCreateRequest, VolumeRecord } from './volume-record.ts';

export type { VolumeRecord, VolumeCreateRequest } from './volume-record.ts';

/** What the volume service needs to know of containers (the container side provides it). */
export interface VolumeUsers {
  /** IDs of the containers (any state) whose mounts name the volume: in use, `rm` refused, prune skips it. */
  usersOf(name: string): string[];
}

export interface VolumeMountRequest {
  containerId: string;
  destination: string;
  rw: boolean;
  propagation: string;
}

export interface VolumeServiceOptions {
  dataRoot: string;
  events: EventsService;
}

/** A volume with what `system df` shows of it. */
export interface VolumeUsage {
  record: VolumeRecord;
  /** Bytes under `_data`. */
  size: number;
  /** Containers that name it. */
  refCount: number;
}

export interface VolumePruneReport {
  volumesDeleted: string[];
  spaceReclaimed: number;
}

/** RFC 3339 in whole seconds, UTC, as dockerd's `CreatedAt`. */
function createdAtNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A volume is *in use* (rm refused, prune skips it, not dangling) when
 * `usersOf` names a container or a user is counted by `mount`/`adopt`
 * (volume-mounts.ts: the counts, the local driver's mounts, and what a
 * crash left mounted: `settle` unmounts what no live container took over).
 * Every operation on one volume runs under its lock.
 */
export class VolumeService {
  private users: VolumeUsers = { usersOf: () => [] };
  private readonly store: VolumeStore;
  private readonly lock = new KeyedLock();
  private readonly mounts = new VolumeMounts((name) => this.mountpoint(name));

  constructor(readonly options: VolumeServiceOptions) {
    this.store = new VolumeStore(path.join(options.dataRoot, 'volumes'));
  }

  useContainers(users: VolumeUsers): void {
    this.users = users;
  }

  /** Reads the records at daemon start, sweeping what a crash left half made or half removed. */
  async load(): Promise<void> {
    await this.store.load();
    await this.mounts.reset(this.store.all());
  }

  /**
   * After the containers were re-adopted: unmounts the filesystems a crash
   * left mounted that no live container took over with `adopt`.
   */
  async settle(): Promise<void> {
    for (const name of this.mounts.leftoverNames()) await this.lock.run(name, () => this.mounts.dropLeftover(name));
  }

  /** The directory a container mounts: `<dataRoot>/volumes/<name>/_data`. */
  mountpoint(name: string): string {
    return `${this.options.dataRoot}/volumes/${name}/_data`;
  }

  get(name: string): VolumeRecord | undefined {
    return this.store.get(name);
  }

  /** `get`, or dockerd's 404 (`get NAME: no such volume`). */
  inspect(name: string): VolumeRecord {
    const record = this.store.get(name);
    if (!record) throw noSuchVolume(name);
    return record;
  }

  /** Every volume and whether it is in use, by name. */
  private withUse(): { record: VolumeRecord; inUse: boolean }[] {
    return this.store
      .all()
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((record) => ({ record, inUse: this.usersOfVolume(record.name).length > 0 }));
  }

  /** GET /volumes. */
  list(filters: VolumeFilters = new Map()): VolumeRecord[] {
    return filterVolumes(this.withUse(), filters).map((v) => v.record);
  }

  /** Containers using the volume: those that name it, then any counted user not among them. */
  private usersOfVolume(name: string): string[] {
    const named = this.users.usersOf(name);
    const counted = this.mounts.counted(name).filter((id) => !named.includes(id));
    return [...named, ...counted];
  }

  /**
   * Creates a volume, or returns the existing one of that name (dockerd's
   * create is idempotent). Record and directory appear together or not at all.
   */
  async create(request: VolumeCreateRequest): Promise<VolumeRecord> {
    const name = request.name || randomBytes(32).toString('hex');
    const driver = request.driver ?? '';
    if (driver !== '' && driver !== 'local') throw unknownDriver(name, driver);
    const record = await this.lock.run(name, async () => {
      const existing = this.store.get(name);
      if (existing) return existing;
      validateVolumeName(name);
      const options = request.driverOpts ?? null;
      validateLocalOptions(name, options);
      let labels = request.labels ?? null;
      if (request.anonymous) labels = { ...labels, [ANONYMOUS_LABEL]: '' };
      const created: VolumeRecord = { name, driver: 'local', createdAt: createdAtNow(), labels, options };
      await this.store.create(created);
      return created;
    });
    // dockerd logs `create` for an existing volume too.
    this.options.events.publish('volume', 'create', name, { driver: record.driver });
    return record;
  }

  /**
   * A container starts using the volume: the local driver's filesystem is
   * mounted on first use; a `volume mount` event. Returns the path to bind.
   * Each call counts one use by the container (a volume mounted at two
   * destinations: two calls), each released by one `unmount`. A volume that
   * does not exist is dockerd's 404; a failed mount counts nothing.
   */
  async mount(name: string, request: VolumeMountRequest): Promise<string> {
    const mountpoint = this.mountpoint(name);
    await this.lock.run(name, async () => {
      const record = this.store.get(name);
      if (!record) throw noSuchVolume(name);
      await this.mounts.acquire(record, request.containerId);
    });
    this.options.events.publish('volume', 'mount', name, {
      container: request.containerId,
      destination: request.destination,
      driver: 'local',
      propagation: request.propagation,
      'read/write': String(request.rw),
    });
    return mountpoint;
  }

  /**
   * At daemon start, for a container whose process still lives: counts it
   * as a user of a volume that is already mounted for it, with no event.
   */
  adopt(name: string, containerId: string): void {
    if (this.store.get(name)) this.mounts.adopt(name, containerId);
  }

  /** The container has stopped: a `volume unmount` event; one use released, the filesystem unmounted after the last. */
  async unmount(name: string, containerId: string): Promise<void> {
    const known = await this.lock.run(name, async () => {
      if (!this.store.get(name)) return false;
      await this.mounts.release(name, containerId);
      return true;
    });
    if (known) this.options.events.publish('volume', 'unmount', name, { container: containerId, driver: 'local' });
  }

  /**
   * Removes a volume no container uses (409 naming the users otherwise;
   * `force` only forgives a missing one). Record and data go together.
   */
  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    const removed = await this.lock.run(name, async () => {
      const record = this.store.get(name);
      if (!record) {
        if (options.force) return undefined;
        throw noSuchVolume(name);
      }
      const users = this.usersOfVolume(name);
      if (users.length > 0) throw volumeInUse(name, users);
      await this.destroy(name);
      return record;
    });
    if (removed) this.options.events.publish('volume', 'destroy', name, { driver: removed.driver });
  }

  /** Under the volume's lock, with no user: detach a filesystem left mounted, then delete record and data. */
  private async destroy(name: string): Promise<void> {
    await this.mounts.detach(name);
    await this.store.remove(name);
  }

  /**
   * POST /volumes/prune: removes the volumes the filters select that no
   * container uses (only anonymous ones unless `all` is true). As dockerd,
   * one `prune` event and no `destroy` per volume.
   */
  async prune(filters: VolumeFilters = new Map()): Promise<VolumePruneReport> {
    const matches = volumePruneMatcher(filters);
    const report: VolumePruneReport = { volumesDeleted: [], spaceReclaimed: 0 };
    for (const candidate of this.withUse()) {
      if (!matches(candidate)) continue;
      const name = candidate.record.name;
      try {
        const size = await this.lock.run(name, async () => {
          if (!this.store.get(name) || this.usersOfVolume(name).length > 0) return undefined;
          const bytes = await directorySize(this.mountpoint(name));
          await this.destroy(name);
          return bytes;
        });
        if (size === undefined) continue;
        report.volumesDeleted.push(name);
        report.spaceReclaimed += size;
      } catch (err) {
        log.warn('could not prune a volume', { volume: name, err: asError(err).message });
      }
    }
    this.options.events.publish('volume', 'prune', '', { reclaimed: String(report.spaceReclaimed) });
    return report;
  }

  /** `system df`: as dockerd, only volumes without driver options, with their size and how many containers name them. */
  async usage(): Promise<VolumeUsage[]> {
    const out: VolumeUsage[] = [];
    for (const { record } of this.withUse()) {
      if (!hasNoOptions(record.options)) continue;
      out.push({ record, size: await directorySize(this.mountpoint(record.name)), refCount: this.users.usersOf(record.name).length });
    }
    return out;
  }
}
