/**
 * A container's volumes as a resource (see container-resources.ts), over the
 * volume service's contract (../volumes/volume-service.ts):
 * - `create`: the mount points resolved (volume-mounts.ts) and stored in the
 *   record, each volume created on first use (its `volume create` event
 *   before the container's `create`, as dockerd), then copy-up of the new
 *   empty ones (the rootfs is mounted for it only then). A failure removes
 *   the anonymous volumes this create made, and nothing else.
 * - `spec` and `start`: each volume mounted (`volume mount`): one with a
 *   filesystem of its own before the runtime makes the container (runc binds
 *   it then), the others right before the process starts; the path the
 *   service returns is bound.
 * - `exit`: each unmounted (`volume unmount`). Idempotent.
 * - `readopt`: a live container counted again as a user of its volumes.
 * - `removed`: once the record is gone, before the removal is answered
 *   (`rm -v`, `--rm`): the anonymous volumes removed; a named one, or one
 *   another container still uses (it came through --volumes-from), is kept
 *   silently, as dockerd keeps it.
 * It is also the volume service's `VolumeUsers`: a volume's users are the
 * containers, in any state, whose record names it.
 */
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConflictError, isErrno, SystemError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { VolumeService, VolumeUsers } from '../volumes/volume-service.ts';
import { resolveInRoot } from './archive/resolve-in-root.ts';
import type { ContainerLayout } from './container-layout.ts';
import { donorMountPoints } from './container-mounts.ts';
import type { ContainerResource, SpecContribution } from './container-resources.ts';
import type { ContainerRecord, StoredMountPoint } from './record.ts';
import { copyUp, isEmptyDir } from './volume-copy-up.ts';
import { planMountPoints, volumeNamesOf, type PlannedMountPoint } from './volume-mounts.ts';

export interface VolumeResourceOptions {
  volumes: Pick<VolumeService, 'create' | 'get' | 'mount' | 'adopt' | 'unmount' | 'remove' | 'mountpoint'>;
  layout: Pick<ContainerLayout, 'mountRootfs' | 'paths'>;
  resolveContainer(ref: string): ContainerRecord;
  containers(): Iterable<ContainerRecord>;
  /** Whether the store holds the container's record (a create's is saved after its resources). */
  stored(id: string): boolean;
}

export class VolumeResource implements ContainerResource, VolumeUsers {
  readonly name = 'volumes';
  /** The volumes mounted for each container (by `spec` or `readopt`), until its `exit`. */
  private readonly mounted = new Map<string, StoredMountPoint[]>();
  /** The volumes of creates under way, whose records are not stored yet: in use already (dockerd's create reference). */
  private readonly creating = new Map<string, string[]>();

  constructor(private readonly o: VolumeResourceOptions) {}

  usersOf(name: string): string[] {
    const ids: string[] = [];
    for (const r of this.o.containers()) if (volumeNamesOf(r.mountPoints).includes(name)) ids.push(r.id);
    for (const [id, names] of this.creating) {
      if (this.o.stored(id)) this.creating.delete(id);
      else if (names.includes(name) && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  /** Nothing to do (and no promise) for a container without volumes. */
  create(record: ContainerRecord): Promise<void> | void {
    const plan = planMountPoints(record.config, record.hostConfig, (ref) => donorMountPoints(this.o.resolveContainer(ref)));
    if (plan.length > 0) return this.createVolumes(record, plan);
  }

  private async createVolumes(record: ContainerRecord, plan: PlannedMountPoint[]): Promise<void> {
    const { volumes } = this.o;
    const made: string[] = [];
    const using: string[] = [];
    this.creating.set(record.id, using);
    try {
      const mountPoints: StoredMountPoint[] = [];
      for (const { mount, create } of plan) {
        if (!create) {
          if (mount.type === 'volume') using.push(mount.name);
          mountPoints.push(mount.type === 'volume' ? { ...mount, source: volumes.mountpoint(mount.name) } : mount);
          continue;
        }
        const existed = create.name !== '' && volumes.get(create.name) !== undefined;
        const v = await volumes.create({ name: create.name, driver: create.driver, driverOpts: create.driverOpts ?? null, labels: create.labels ?? null, anonymous: create.anonymous });
        using.push(v.name);
        if (!existed && create.anonymous) made.push(v.name);
        mountPoints.push({ ...mount, name: v.name, driver: v.driver, source: volumes.mountpoint(v.name) });
      }
      record.mountPoints = mountPoints;
      await this.copyUp(record);
    } catch (err) {
      this.creating.delete(record.id);
      delete record.mountPoints;
      for (const name of made) await volumes.remove(name).catch((e: unknown) => log.warn('could not remove a volume of a failed create', { name, err: e }));
      throw err;
    }
  }

  /** dockerd's copy-up at create, for the volumes that take it and are empty; the rootfs mounted only when one is. */
  private async copyUp(record: ContainerRecord): Promise<void> {
    const candidates = (record.mountPoints ?? []).filter((m) => m.type === 'volume' && m.copyData);
    const imageVolumes = new Set(Object.keys(record.config.Volumes ?? {}).map((d) => path.posix.normalize(d)));
    const empty: StoredMountPoint[] = [];
    for (const m of candidates) if (await isEmptyDir(m.source)) empty.push(m);
    if (empty.length === 0) return;
    await this.o.layout.mountRootfs(record);
    const root = this.o.layout.paths(record.id).merged;
    for (const m of empty) {
      const { hostPath } = await resolveInRoot({ root, mounts: [] }, m.destination, { followFinalSymlink: true });
      let isDir: boolean;
      try {
        isDir = (await fs.stat(hostPath)).isDirectory();
      } catch (err) {
        if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) continue;
        throw err;
      }
      if (!isDir) {
        // dockerd refuses an image volume over a file; a -v or --mount one fails at start (runc).
        if (imageVolumes.has(m.destination) && !m.named) throw new SystemError(`cannot mount volume over existing file, file exists ${hostPath}`);
        continue;
      }
      // A volume of a driver option (tmpfs, a device) is filled once mounted; its own directory would be hidden.
      // (Unmounted again after, as dockerd does: a tmpfs volume loses what was copied.)
      const driverMounted = this.hasFilesystem(m.name);
      const target = driverMounted ? await this.o.volumes.mount(m.name, { containerId: record.id, destination: m.destination, rw: true, propagation: '' }) : m.source;
      try {
        if (!driverMounted || (await isEmptyDir(target))) await copyUp(hostPath, target);
      } finally {
        if (driverMounted) await this.o.volumes.unmount(m.name, record.id);
      }
    }
  }

  /**
   * A volume of a driver option (tmpfs, a device) has its filesystem mounted
   * here, before the runtime makes the container (runc binds it then, which
   * may be at create for a prepared container); the others at `start`, so
   * that their `volume mount` events follow the container's `create` as
   * dockerd's do.
   */
  async spec(record: ContainerRecord): Promise<SpecContribution> {
    const mountSources: Record<string, string> = {};
    for (const m of this.toMount(record, true)) {
      const at = await this.mountOne(record, m);
      if (at !== m.source) mountSources[m.destination] = at;
    }
    return Object.keys(mountSources).length ? { mountSources } : {};
  }

  start(record: ContainerRecord): Promise<void> | void {
    const toMount = this.toMount(record, false);
    if (toMount.length > 0) return (async () => {
      for (const m of toMount) await this.mountOne(record, m);
    })();
  }

  /** The container's volumes not mounted for it yet, those of a driver option or the others. */
  private toMount(record: ContainerRecord, driverMounted: boolean): StoredMountPoint[] {
    const done = this.mounted.get(record.id) ?? [];
    return (record.mountPoints ?? []).filter((m) => m.type === 'volume' && !done.includes(m) && this.hasFilesystem(m.name) === driverMounted);
  }

  private hasFilesystem(name: string): boolean {
    const options = this.o.volumes.get(name)?.options;
    return Boolean(options && Object.keys(options).length);
  }

  private async mountOne(record: ContainerRecord, m: StoredMountPoint): Promise<string> {
    const at = await this.o.volumes.mount(m.name, { containerId: record.id, destination: m.destination, rw: m.rw, propagation: m.propagation });
    const done = this.mounted.get(record.id);
    if (done) done.push(m);
    else this.mounted.set(record.id, [m]);
    return at;
  }

  /**
   * For `docker cp`: the volumes with a filesystem of their own (tmpfs, a
   * device, a bind) mounted while the copy runs, as dockerd mounts a
   * container's volumes for archive operations, running or not (a running
   * container's are only counted once more). Resolves to their release.
   */
  async mountForArchive(record: ContainerRecord): Promise<() => Promise<void>> {
    const mine = (record.mountPoints ?? []).filter((m) => m.type === 'volume' && this.hasFilesystem(m.name));
    const done: StoredMountPoint[] = [];
    const release = async () => {
      for (const m of done.splice(0)) {
        await this.o.volumes.unmount(m.name, record.id).catch((err: unknown) => log.warn('could not unmount a volume after a copy', { id: record.id, name: m.name, err }));
      }
    };
    try {
      for (const m of mine) {
        await this.o.volumes.mount(m.name, { containerId: record.id, destination: m.destination, rw: m.rw, propagation: m.propagation });
        done.push(m);
      }
    } catch (err) {
      await release();
      throw err;
    }
    return release;
  }

  async exit(record: ContainerRecord): Promise<void> {
    const mounted = this.mounted.get(record.id);
    if (!mounted) return;
    this.mounted.delete(record.id);
    for (const m of mounted) {
      await this.o.volumes.unmount(m.name, record.id).catch((err: unknown) => log.warn('could not unmount a volume', { id: record.id, name: m.name, err }));
    }
  }

  async readopt(record: ContainerRecord): Promise<void> {
    const mine = (record.mountPoints ?? []).filter((m) => m.type === 'volume');
    if (mine.length === 0) return;
    for (const m of mine) this.o.volumes.adopt(m.name, record.id);
    this.mounted.set(record.id, mine);
  }

  removed(record: ContainerRecord, options: { volumes: boolean }): Promise<void> | undefined {
    this.creating.delete(record.id);
    const anonymous = options.volumes ? (record.mountPoints ?? []).filter((m) => m.type === 'volume' && !m.named) : [];
    if (anonymous.length === 0 && !this.mounted.has(record.id)) return undefined;
    return (async () => {
      await this.exit(record);
      for (const m of anonymous) {
        await this.o.volumes.remove(m.name).catch((err: unknown) => {
          // Still used by another container (it took it with --volumes-from): kept, as dockerd keeps it.
          if (err instanceof ConflictError) return;
          log.warn('could not remove a volume of a removed container', { id: record.id, name: m.name, err });
        });
      }
    })();
  }
}
