/**
 * ContainerService: the container verbs (create, start, stop, kill, pause,
 * unpause, restart, wait, remove, update, rename) and exit handling. Each
 * concern they use is a module of its own in this folder:
 *
 *   state-machine.ts     states, allowed moves, isActive, exit/removal waiters
 *   restart-policy.ts    whether and when a container restarts (pure)
 *   create-checks.ts     the ordered create-time checks, reused by update
 *   container-layout.ts  directory, rootfs mount, shm, and the ONE teardown
 *   container-mounts.ts  the one mount model (spec, docker cp, inspect)
 *   runtime-spec.ts      assembly of the runtime spec
 *   prepared-pool.ts     runtime containers made ahead of their start
 *   container-resources.ts  the hook resources (network, volumes) plug into
 *   volume-mounts.ts     a container's volumes resolved at create (volume-resource.ts runs them)
 *
 * Re-adoption after a daemon restart is readopt.ts, called from the
 * engine's one start-up routine (../recovery.ts).
 *
 * The runtime driver (conmon + runc) runs processes; this service decides
 * states, persists them (every change is an atomic record write before it
 * is announced), publishes events and wakes waiters. One keyed lock per
 * container serialises lifecycle operations on it.
 */
import type { UpdateConfig, WaitCondition } from '../../wire/container.ts';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import type { SeccompHost } from '../../drivers/runtime/spec/seccomp.ts';
import { wasOomKilled } from '../../drivers/cgroups/oom.ts';
import { RuntimeStartError } from '../../drivers/runtime/runtime-errors.ts';
import { KeyedLock } from '../../store/lock.ts';
import { Journal } from '../../store/journal.ts';
import { InvalidParameterError, NotModifiedError, SystemError, asError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ImageService } from '../images/image-service.ts';
import type { ContainerDefaults } from '../daemon-config.ts';
import { AttachHub } from './attach-hub.ts';
import { ContainerLayout } from './container-layout.ts';
import { ContainerResources, type ContainerResource } from './container-resources.ts';
import { ContainerStore } from './container-store.ts';
import { ContainerRemoval } from './container-removal.ts';
import { createContainer, type CreateRequest } from './container-create.ts';
import { removeLink, renameContainer, updateContainer } from './container-settings.ts';
import { killContainer, pauseContainer, stopContainer, unpauseContainer } from './container-signals.ts';
import { eventAttributes, type LifecycleContext } from './lifecycle-context.ts';
import * as errors from './errors.ts';
import type { HealthMonitor } from './health.ts';
import { EndpointRequestError, NetworkResource, type Networking } from './network-resource.ts';
import { NetworkConnect } from './network-connect.ts';
import { PREPARED_LIMITS, PreparedPool } from './prepared-pool.ts';
import { cgroupsPathOf, type ContainerPaths, type ContainerRecord } from './record.ts';
import { restartDelay, shouldRestart, shouldStartAtBoot } from './restart-policy.ts';
import { createRuntimeContainer } from './runtime-spec.ts';
import { readoptContainer } from './readopt.ts';
import { VolumeResource, type VolumeResourceOptions } from './volume-resource.ts';
import { isActive, moveTo, Waiters } from './state-machine.ts';

export interface ContainerServiceOptions {
  dataRoot: string;
  execRoot: string;
  runtime: RuntimeDriver;
  images: Pick<ImageService, 'resolve' | 'lowerDirs'>;
  events: EventsService;
  hostCpus: number;
  /** catatonit, bind-mounted for --init. */
  initPath: string;
  /** Architecture, kernel release and ABIs of the host, for the seccomp filter. */
  host: SeccompHost;
  /** What the daemon's configuration gives containers that do not say otherwise. */
  defaults?: ContainerDefaults;
  /** The on-disk layout (default: overlay mounts under the data root; unit tests pass one that mounts nothing). */
  layout?: ContainerLayout;
  /** The daemon's networks and sandboxes (absent in unit tests: bridge containers then get loopback only). */
  networking?: Networking;
  /** The daemon's volumes (absent in unit tests: a container's volumes are then refused). */
  volumes?: VolumeResourceOptions['volumes'];
  /** Resources every container gets after its network and volumes. */
  resources?: ContainerResource[];
  /** The journal of operations in flight (default: `<dataRoot>/intents`). */
  journal?: Journal;
}

export class ContainerService {
  readonly store: ContainerStore;
  readonly attach: AttachHub;
  readonly layout: ContainerLayout;
  private readonly resources: ContainerResources;
  /** The network resource (the first of `resources`). */
  readonly network: NetworkResource;
  /** The volumes resource (with the daemon's volumes), also the volume service's view of their users. */
  readonly volumeUsers?: VolumeResource;
  /** `network connect|disconnect` and the endpoints on a network (with the daemon's networking only). */
  readonly connections?: NetworkConnect;
  private readonly pool: PreparedPool;
  private readonly lock = new KeyedLock();
  private readonly waiters = new Waiters();
  private readonly ctx: LifecycleContext;
  private readonly removal: ContainerRemoval;

  /** Probes health checks; set by the engine (it needs the exec service, which needs this one). */
  health?: HealthMonitor;

  constructor(private readonly o: ContainerServiceOptions) {
    this.store = new ContainerStore(o.dataRoot);
    this.attach = new AttachHub(o.runtime);
    this.layout = o.layout ?? new ContainerLayout({ dataRoot: o.dataRoot, runtime: o.runtime, imageLowerDirs: (chainId) => o.images.lowerDirs(chainId) });
    const resolveContainer = (ref: string) => this.store.resolve(ref);
    this.network = new NetworkResource({ paths: (id) => this.paths(id), resolveContainer, networking: o.networking });
    if (o.volumes) {
      this.volumeUsers = new VolumeResource({ volumes: o.volumes, layout: this.layout, resolveContainer, containers: () => this.store.all(), stored: (id) => Boolean(this.store.get(id)) });
    }
    this.resources = new ContainerResources([this.network, ...(this.volumeUsers ? [this.volumeUsers] : []), ...(o.resources ?? [])]);
    this.pool = new PreparedPool({
      ...PREPARED_LIMITS,
      make: (record, laidOut) => this.createRuntime(record, laidOut),
      // A prepared container may hold a sandbox already (its spec was made): it goes too.
      tearDown: async (id) => {
        await this.layout.teardown(id, 'runtime');
        const record = this.store.get(id);
        if (record) await this.resources.exit(record);
      },
      locked: (id, fn) => this.lock.run(id, fn),
    });
    this.ctx = {
      store: this.store,
      layout: this.layout,
      runtime: o.runtime,
      events: o.events,
      lock: this.lock,
      waiters: this.waiters,
      resources: this.resources,
      pool: this.pool,
      attach: this.attach,
      hostCpus: o.hostCpus,
      journal: o.journal ?? new Journal(`${o.dataRoot}/intents`),
      health: () => this.health,
      announce: (record, action, extra) => o.events.publish('container', action, record.id, { ...eventAttributes(record), ...extra }),
    };
    this.removal = new ContainerRemoval(this.ctx);
    if (o.networking) {
      this.connections = new NetworkConnect({ store: this.store, lock: this.lock, networking: o.networking, discardPrepared: (id) => this.pool.discard(id) });
    }
  }

  paths(id: string): ContainerPaths {
    return this.layout.paths(id);
  }

  /** After a daemon restart: take a container up again from its record (recovery.ts calls this for each). */
  readopt(record: ContainerRecord): Promise<void> {
    return readoptContainer(this.ctx, record, { watchExit: (r) => this.watchExit(r), finishExit: (r, code) => this.finishExit(r, code) });
  }

  /** Tear down the remains of a container without a record (a create or removal cut short). */
  releaseOrphan(id: string): Promise<void> {
    return this.removal.releaseNow(id);
  }

  // ---- create / start -----------------------------------------------------

  create(request: CreateRequest): Promise<{ Id: string; Warnings: string[] }> {
    return createContainer(this.ctx, { images: this.o.images, defaults: this.o.defaults }, request);
  }

  async start(ref: string): Promise<void> {
    const record = this.store.resolve(ref);
    await this.lock.run(record.id, () => {
      // A user's start re-arms the restart policy that a user's stop disarmed.
      record.manuallyStopped = false;
      return this.startLocked(record);
    });
  }

  private async startLocked(record: ContainerRecord): Promise<void> {
    if (isActive(record.state.status)) throw new NotModifiedError('container already started');
    if (record.state.status === 'removing') throw errors.removalInProgress(record.id);
    if (record.state.status === 'dead') throw errors.markedForRemoval();
    try {
      if (!(await this.pool.take(record.id))) await this.createRuntime(record);
      await this.resources.start(record);
    } catch (err) {
      await this.failStart(record, err);
      // dockerd reports every start failure as a server error (500), bad user included, but its endpoint checks.
      if (err instanceof InvalidParameterError && !(err instanceof EndpointRequestError)) throw new SystemError(err.message, { cause: err });
      throw err;
    }
    // Attach clients that connected before start get every byte: connect them before the process runs.
    await this.attach.connectPending(record.id);
    const pid = await this.o.runtime.initPid(record.id);
    const before = record.state;
    if (before.status === 'created') this.pool.noteOutcome(true);
    record.state = { ...moveTo({ ...record.state }, 'running'), pid: pid ?? 0, exitCode: 0, error: '', oomKilled: false, startedAt: nowRfc3339Nano() };
    // The running state is saved while the runtime lets the process go. A
    // crash in between leaves either a record saying running over a created
    // runtime container (the next daemon finishes it as exited) or the
    // reverse (the next daemon deletes it): consistent either way.
    const [started, saved] = await Promise.allSettled([this.o.runtime.start(record.id), this.store.saveState(record)]);
    if (started.status === 'rejected') {
      // As a failure before it: recorded, announced, waiters released, the runtime container torn down.
      record.state = before;
      await this.failStart(record, started.reason);
      throw started.reason;
    }
    // The process runs whether or not its state could be saved: its exit is watched either way.
    this.watchExit(record);
    if (saved.status === 'rejected') throw saved.reason;
    this.ctx.announce(record, 'start');
    this.health?.start(record);
  }

  private createRuntime(record: ContainerRecord, laidOut?: Promise<unknown>): Promise<void> {
    const resolveContainer = (ref: string) => this.store.resolve(ref);
    return createRuntimeContainer(record, { ...this.o, layout: this.layout, resources: this.resources, resolveContainer }, laidOut);
  }

  /** A start of the container is coming: its runtime container may be made now (see prepared-pool.ts). */
  anticipateStart(id: string): void {
    const record = this.store.get(id);
    if (record) this.pool.anticipate(record, () => this.layout.mountRootfs(record));
  }

  /** The container's rootfs or settings changed after create: its next start makes the runtime container afresh. */
  async invalidatePrepared(id: string): Promise<void> {
    if (!this.pool.has(id)) return;
    await this.lock.run(id, () => this.pool.discard(id));
  }

  /**
   * A start that failed leaves the container where it was (created or
   * exited) with the error and exit code dockerd records (127/126 for a
   * command that cannot be run, else 128); attached and waiting clients are
   * released, and an auto-remove container is removed.
   */
  private async failStart(record: ContainerRecord, err: unknown): Promise<void> {
    record.state.error = asError(err).message;
    record.state.exitCode = err instanceof RuntimeStartError ? err.exitCode : 128;
    await this.store.saveState(record).catch((e) => log.warn('could not record start failure', { id: record.id, err: e }));
    await this.layout.teardown(record.id, 'runtime');
    await this.resources.exit(record);
    this.attach.closePending(record.id);
    this.waiters.exited(record.id, record.state.exitCode);
    this.ctx.announce(record, 'die', { exitCode: String(record.state.exitCode) });
    if (record.hostConfig.AutoRemove) {
      await this.removal.removeLocked(record, { volumes: true }).catch((e) => log.warn('auto-remove failed', { id: record.id, err: e }));
    }
  }

  // ---- exit ---------------------------------------------------------------

  /** Wait for the monitor's exit record; runs once per started container. */
  private watchExit(record: ContainerRecord): void {
    this.o.runtime
      .waitExit(record.id)
      .then((code) => this.lock.run(record.id, () => this.finishExit(record, code)))
      .catch((err) => log.error('exit watcher failed', { id: record.id, err }));
  }

  private async finishExit(record: ContainerRecord, code: number): Promise<void> {
    this.health?.stop(record.id);
    // dockerd: a container that is not running is not healthy.
    if (record.state.health) record.state.health.Status = 'unhealthy';
    if (!this.store.get(record.id)) return;
    const oomKilled = await wasOomKilled(cgroupsPathOf(record)).catch(() => false);
    record.state = { ...moveTo({ ...record.state }, 'exited'), pid: 0, exitCode: code, oomKilled, finishedAt: nowRfc3339Nano() };
    if (record.hostConfig.AutoRemove) {
      // No exit state is written for a record that is removed next; the
      // process side, the mount and the files go after the removal.
      this.announceExit(record, code);
      // dockerd's auto-removal takes the anonymous volumes too (RemoveVolume).
      await this.removal.removeLocked(record, { exited: true, volumes: true }).catch(async (err) => {
        log.warn('auto-remove failed', { id: record.id, err });
        await this.store.saveState(record).catch(() => undefined);
      });
      return;
    }
    // The process side is torn down while the new state is saved and
    // announced; this runs under the container's lock, so a start that
    // follows a woken waiter still finds the runtime clean.
    const released = this.layout.teardown(record.id, 'runtime', { runtimeExists: true }).then(() => this.resources.exit(record));
    await this.store.saveState(record);
    this.announceExit(record, code);
    await released;
    if (shouldRestart(record, code)) this.scheduleRestart(record);
  }

  private announceExit(record: ContainerRecord, code: number): void {
    if (record.state.oomKilled) this.ctx.announce(record, 'oom');
    this.ctx.announce(record, 'die', { exitCode: String(code) });
    this.waiters.exited(record.id, code);
  }

  /** Restart by policy after the back-off; a user's stop or kill, or a removal, ends the cycle. */
  private scheduleRestart(record: ContainerRecord): void {
    moveTo(record.state, 'restarting');
    void this.store.saveState(record).catch(() => undefined);
    setTimeout(() => {
      void this.lock
        .run(record.id, async () => {
          if (!this.store.get(record.id) || record.state.status !== 'restarting' || record.manuallyStopped) return;
          record.restartCount++;
          try {
            await this.startLocked(record);
          } catch (err) {
            moveTo(record.state, 'exited');
            await this.store.saveState(record);
            throw err;
          }
        })
        .catch((err) => log.warn('restart by policy failed', { id: record.id, err }));
    }, restartDelay(record.restartCount)).unref();
  }

  /** After a daemon start: containers whose policy says they should run are started. */
  async startByPolicy(): Promise<void> {
    for (const record of this.store.all()) {
      if (isActive(record.state.status) || !shouldStartAtBoot(record)) continue;
      await this.start(record.id).catch((err) => log.warn('could not start by restart policy', { id: record.id, err }));
    }
  }

  // ---- stop / kill / pause / update / rename ------------------------------

  readonly stop = (ref: string, options: { timeout?: number; signal?: string } = {}): Promise<void> => stopContainer(this.ctx, ref, options);
  readonly kill = (ref: string, signal = 'SIGKILL'): Promise<void> => killContainer(this.ctx, ref, signal);
  readonly pause = (ref: string): Promise<void> => pauseContainer(this.ctx, ref);
  readonly unpause = (ref: string): Promise<void> => unpauseContainer(this.ctx, ref);
  readonly update = (ref: string, changes: UpdateConfig): Promise<{ Warnings: string[] }> => updateContainer(this.ctx, ref, changes);
  readonly rename = (ref: string, newName: string): Promise<void> => renameContainer(this.ctx, ref, newName);
  readonly removeLink = (linkName: string): Promise<void> => removeLink(this.ctx, linkName);

  async restart(ref: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
    const record = this.store.resolve(ref);
    if (isActive(record.state.status)) {
      await this.stop(record.id, options).catch((err) => {
        if (!(err instanceof NotModifiedError)) throw err;
      });
    }
    await this.start(record.id);
    this.ctx.announce(record, 'restart');
  }

  // ---- wait / remove ------------------------------------------------------

  /** Resolves at the container's next exit (or failed start), whether it runs now or not. */
  nextExitOf(id: string): Promise<number> {
    return this.waiters.nextExit(id);
  }

  /** Resolves when the container is not running (at once if it is not now). */
  whenStopped(id: string): Promise<unknown> {
    const record = this.store.get(id);
    if (!record || !isActive(record.state.status)) return Promise.resolve();
    return this.waiters.nextExit(id);
  }

  /** Resolves with Docker's wait result once the condition holds. */
  async wait(ref: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<{ StatusCode: number; Error: null | { Message: string } }> {
    const record = this.store.resolve(ref);
    if (condition === 'removed') {
      await this.waiters.removal(record.id, signal, () => new SystemError('client went away'));
      return { StatusCode: record.state.exitCode, Error: null };
    }
    if (condition === 'not-running' && !isActive(record.state.status)) return { StatusCode: record.state.exitCode, Error: null };
    return { StatusCode: await this.waiters.nextExit(record.id), Error: null };
  }

  remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return this.removal.remove(ref, options);
  }

  /** Resolves once every removed container's mount and files are gone. */
  released(): Promise<void> {
    return this.removal.released();
  }

  /** Before the daemon exits: prepared runtime containers are torn down, releases finished. */
  async close(): Promise<void> {
    await this.pool.discardAll();
    await this.removal.released();
  }

  /** Containers using an image (for image removal conflicts). */
  usersOfImage(imageId: string): ContainerRecord[] {
    return this.store.all().filter((r) => r.image === imageId);
  }

  /** A container event's attributes (labels, image, name). */
  readonly eventAttributes = eventAttributes;
}
