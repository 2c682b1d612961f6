/**
 * Data views and snapshots of a container: top, stats, changes, export,
 * archive (docker cp), commit, prune. The container's overlay is mounted on
 * first use (its start, or here) and stays mounted until its removal, so its
 * files can be read whether it runs or not.
 */
import type { Readable } from 'node:stream';
import { archiveMounts, containerMounts } from './container-mounts.ts';
import { readContainerStats, emptyStats } from '../../drivers/cgroups/stats.ts';
import type { ContainerStats } from '../../wire/stats.ts';
import { resolveUser } from '../../drivers/runtime/spec/user.ts';
import type { LayerStore } from '../../store/layers/layer-store.ts';
import { promises as fs } from 'node:fs';
import type { EventsService } from '../events/events-service.ts';
import type { ImageService } from '../images/image-service.ts';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { archiveContainerPath, exportRootfs, extractToContainer, statContainerPath, type ArchiveTarget, type PathStat } from './archive.ts';
import type { ContainerService } from './container-service.ts';
import { notRunning } from './errors.ts';
import { selectContainers } from './filters.ts';
import { cgroupsPathOf, type ContainerRecord } from './record.ts';
import { containerTop, type TopResult } from './top.ts';
import { duBytes } from './container-queries.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { parseTimeValue } from '../../util/timestamp.ts';
import { familiarName, parseReference, withDefaultTag } from '../../oci/reference.ts';
import { isActive } from './state-machine.ts';
import type { ImageIntent } from '../intents.ts';

const isRunning = (r: ContainerRecord) => isActive(r.state.status);

export class ContainerData {
  constructor(
    private readonly containers: ContainerService,
    private readonly images: ImageService,
    private readonly layers: LayerStore,
    private readonly runtime: RuntimeDriver,
    private readonly events: EventsService,
  ) {}

  async top(ref: string, psArgs?: string): Promise<TopResult> {
    const record = this.containers.store.resolve(ref);
    if (!isRunning(record)) throw notRunning(record.id);
    const pids = await this.runtime.pids(record.id);
    const result = await containerTop(pids, { psArgs });
    this.events.publish('container', 'top', record.id, this.containers.eventAttributes(record));
    return result;
  }

  /** One stats document; pass the previous one of a stream to fill precpu/preread. */
  async stats(ref: string, previous?: ContainerStats): Promise<ContainerStats> {
    const record = this.containers.store.resolve(ref);
    if (!isRunning(record)) return emptyStats(record.id, record.name.slice(1));
    return readContainerStats({
      id: record.id,
      name: record.name.slice(1),
      cgroupsPath: cgroupsPathOf(record),
      pid: record.state.pid,
      previous,
    });
  }

  isRunning(ref: string): boolean {
    return isRunning(this.containers.store.resolve(ref));
  }

  async changes(ref: string) {
    const record = this.containers.store.resolve(ref);
    const p = this.containers.paths(record.id);
    const list = await this.layers.changes(p.upper, this.containers.layout.lowerDirs(record));
    return list.length ? list : null;
  }

  async export(ref: string, signal?: AbortSignal): Promise<Readable> {
    const record = this.containers.store.resolve(ref);
    await this.containers.layout.mountRootfs(record);
    this.events.publish('container', 'export', record.id, this.containers.eventAttributes(record));
    return exportRootfs(this.containers.paths(record.id).merged, signal);
  }

  /**
   * The container's files as docker cp sees them: the root filesystem with
   * the binds (-v, --mount), the volumes and the generated /etc files over
   * it, as moby mounts them for archive operations, running or not. A
   * volume with a filesystem of its own is mounted until `release`.
   */
  private async target(ref: string): Promise<ArchiveTarget & { release(): Promise<void> }> {
    const record = this.containers.store.resolve(ref);
    await this.containers.layout.mountRootfs(record);
    const readonlyRootfs = Boolean(record.hostConfig.ReadonlyRootfs);
    const p = this.containers.paths(record.id);
    const release = record.mountPoints?.length && this.containers.volumeUsers ? await this.containers.volumeUsers.mountForArchive(record) : async () => undefined;
    return { root: p.merged, mounts: archiveMounts(containerMounts(record), p, readonlyRootfs), ref, readonlyRootfs, release };
  }

  async statPath(ref: string, path: string): Promise<PathStat> {
    const target = await this.target(ref);
    try {
      return await statContainerPath(target, path);
    } finally {
      await target.release();
    }
  }

  async archivePath(ref: string, path: string, signal?: AbortSignal): Promise<{ stat: PathStat; stream: Readable }> {
    const target = await this.target(ref);
    let result: { stat: PathStat; stream: Readable };
    try {
      result = await archiveContainerPath(target, path, signal);
    } catch (err) {
      await target.release();
      throw err;
    }
    // The volumes stay mounted while the archive streams.
    result.stream.once('close', () => void target.release());
    const record = this.containers.store.resolve(ref);
    this.events.publish('container', 'archive-path', record.id, this.containers.eventAttributes(record));
    return result;
  }

  async extract(ref: string, path: string, content: AsyncIterable<Buffer>, options: { noOverwriteDirNonDir: boolean; copyUIDGID: boolean; signal?: AbortSignal }): Promise<void> {
    const record = this.containers.store.resolve(ref);
    const target = await this.target(ref);
    try {
      let chown: { uid: number; gid: number } | undefined;
      if (options.copyUIDGID && record.config.User) {
        const root = this.containers.paths(record.id).merged;
        const [passwd, group] = await Promise.all([
          fs.readFile(`${root}/etc/passwd`, 'utf8').catch(() => undefined),
          fs.readFile(`${root}/etc/group`, 'utf8').catch(() => undefined),
        ]);
        const user = resolveUser(record.config.User, passwd, group);
        chown = { uid: user.uid, gid: user.gid };
      }
      await this.containers.invalidatePrepared(record.id);
      await extractToContainer(target, path, content, { noOverwriteDirNonDir: options.noOverwriteDirNonDir, chown, signal: options.signal });
    } finally {
      await target.release();
    }
    this.events.publish('container', 'extract-to-dir', record.id, this.containers.eventAttributes(record));
  }

  async commit(ref: string, options: { repo?: string; tag?: string; author?: string; comment?: string; changes?: string[]; pause?: boolean; config?: Record<string, unknown> }) {
    const record = this.containers.store.resolve(ref);
    // The daemon's own pause is noted before it is made: a crash during the
    // commit leaves the container frozen, and recovery thaws it from this note.
    const pausing = options.pause !== false && record.state.status === 'running';
    const intent = await this.images.journal.begin<ImageIntent>({ kind: 'image', op: 'commit', refs: [], ...(pausing ? { pausedContainer: record.id } : {}) });
    let pause = false;
    try {
      // dockerd pauses through its own pause, events included.
      pause = pausing && (await this.pauseForCommit(record));
      if (pause) this.events.publish('container', 'pause', record.id, this.containers.eventAttributes(record));
      const id = await this.images.commit({
        intent,
        containerId: record.id,
        containerConfig: record.config as never,
        config: options.config as never,
        upperDir: this.containers.paths(record.id).upper,
        parentImageId: record.image,
        repo: options.repo,
        tag: options.tag,
        author: options.author,
        comment: options.comment,
        changes: options.changes,
      });
      const imageRef = options.repo ? `${options.repo}${options.tag ? `:${options.tag}` : ''}` : '';
      this.events.publish('container', 'commit', record.id, {
        ...this.containers.eventAttributes(record),
        comment: options.comment ?? '',
        imageID: id,
        imageRef: imageRef ? familiarName(withDefaultTag(parseReference(imageRef))) : '',
      });
      return id;
    } finally {
      // A thaw that fails keeps the note: the next daemon start tries again.
      const thawed = !pause || (await this.runtime.resume(record.id).then(() => true, () => false));
      if (pause) this.events.publish('container', 'unpause', record.id, this.containers.eventAttributes(record));
      if (thawed) await intent.end();
    }
  }

  /**
   * Pause a running container for its commit; false when its process ended
   * meanwhile (runc then refuses: "container not running"), so the commit
   * goes on without pausing, as dockerd's does (it ignores a failed pause).
   * Any other failure still fails the commit.
   */
  private async pauseForCommit(record: ContainerRecord): Promise<boolean> {
    try {
      await this.runtime.pause(record.id);
      return true;
    } catch (err) {
      const state = await this.runtime.state(record.id).catch(() => 'unknown' as const);
      if (state === undefined || (state !== 'unknown' && state.status === 'stopped')) return false;
      throw err;
    }
  }

  async prune(filters: Map<string, string[]>): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
    for (const key of filters.keys()) if (!['until', 'label', 'label!'].includes(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
    const until = filters.get('until')?.[0];
    if (until !== undefined && Number.isNaN(untilMs(until))) throw new InvalidParameterError(`failed to parse value as time or duration: ${JSON.stringify(until)}`);
    const labelFilters = new Map([...filters].filter(([k]) => k === 'label'));
    const candidates = selectContainers(this.containers.store.all(), {
      all: true,
      filters: labelFilters,
      imageIdOf: () => undefined,
      containerOf: (r) => this.containers.store.resolve(r),
    })
      .filter((r) => !isRunning(r) && (!until || Date.parse(r.created) < untilMs(until)))
      .filter((r) => !(filters.get('label!') ?? []).some((l) => hasLabel(r.config.Labels ?? {}, l)));
    const deleted: string[] = [];
    let space = 0;
    for (const record of candidates) {
      const size = await duBytes(this.containers.paths(record.id).upper);
      await this.containers.remove(record.id);
      deleted.push(record.id);
      space += size;
    }
    this.events.publish('container', 'prune', '', { reclaimed: String(space) });
    return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: space };
  }
}

function untilMs(value: string): number {
  return parseTimeValue(value, Date.now());
}

/** `key` or `key=value` among a container's labels (the prune filter `label!` excludes these). */
function hasLabel(labels: Record<string, string>, wanted: string): boolean {
  const i = wanted.indexOf('=');
  return i < 0 ? wanted in labels : labels[wanted.slice(0, i)] === wanted.slice(i + 1);
}
