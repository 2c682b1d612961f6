/**
 * ContainerService owns container records and their lifecycle:
 *
 *   create ─▶ created ─start─▶ running ⇄ paused
 *                 ▲               │ (init exits, or stop/kill)
 *                 └──── exited ◀──┘ ─rm─▶ gone
 *
 * The runtime driver (conmon + runc) runs processes; this service decides
 * states, persists them (every change is an atomic record write before it
 * is announced), publishes events and wakes waiters. One keyed lock per
 * container serialises lifecycle operations on it.
 */
import { promises as fs, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import type { UpdateConfig, WaitCondition } from '../../wire/container.ts';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { generateSpec, validateHostConfig } from '../../drivers/runtime/spec/generate.ts';
import { toOciResources } from '../../drivers/runtime/spec/resources.ts';
import { blkioDevicePaths } from '../../drivers/runtime/spec/resources.ts';
import { resolveBlockDeviceNumbers, resolveDevices } from '../../drivers/devices.ts';
import type { SeccompHost } from '../../drivers/runtime/spec/seccomp.ts';
import type { ResolvedMount } from '../../drivers/runtime/spec/mounts.ts';
import type { OciSpec } from '../../drivers/runtime/spec/types.ts';
import { ensureOverlayMounted, isMountPoint, unmount } from '../../drivers/mount/overlay.ts';
import { MS, native } from '../../drivers/native.ts';
import { checkImagePlatform } from '../images/platform.ts';
import { DEFAULT_SHM_SIZE } from '../../drivers/runtime/spec/mounts.ts';
import { wasOomKilled } from '../../drivers/cgroups/oom.ts';
import { detectCgroupVersion } from '../../drivers/cgroups/paths.ts';
import { blkioFeatures } from '../../drivers/cgroups/features.ts';
import { availableCpuset, checkCpuset } from '../../drivers/cgroups/cpuset.ts';
import { checkUlimitsApplicable } from '../../drivers/host-limits.ts';
import { RuntimeStartError } from '../../drivers/runtime/runtime-errors.ts';
import { KeyedLock } from '../../store/lock.ts';
import { ConflictError, InvalidParameterError, NotFoundError, NotImplementedError, NotModifiedError, SystemError, asError, isErrno } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ImageService } from '../images/image-service.ts';
import { ContainerStore } from './container-store.ts';
import { commandOf, mergeImageConfig, networkChoice, normalizeHostConfig, logSizeLimit, normalizeName, validateRestartPolicy, type ImageConfigLike } from './create.ts';
import * as errors from './errors.ts';
import { hostnameFile, hostsFile, resolvConfFile } from './etc-files.ts';
import { randomName } from './names.ts';
import { cgroupsPathOf, containerPaths, newState, ZERO_TIME, type ContainerRecord } from './record.ts';
import { checkSignalForLinux, parseSignal } from './signals.ts';
import { AttachHub } from './attach-hub.ts';
import { checkMounts, parseBind, resolveMounts } from './binds.ts';
import { makeInitLayer, withInitLayer } from './init-layer.ts';
import type { HealthMonitor } from './health.ts';
import type { ContainerDefaults } from '../daemon-config.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';

export interface ContainerServiceOptions {
  dataRoot: string;
  execRoot: string;
  runtime: RuntimeDriver;
  images: ImageService;
  events: EventsService;
  hostCpus: number;
  /** catatonit, bind-mounted for --init. */
  initPath: string;
  /** Architecture, kernel release and ABIs of the host, for the seccomp filter. */
  host: SeccompHost;
  /** What the daemon's configuration gives containers that do not say otherwise. */
  defaults?: ContainerDefaults;
}

/** The resources `docker update` may change (besides RestartPolicy). */
const UPDATABLE = [
  'Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime',
  'CpusetCpus', 'CpusetMems', 'PidsLimit', 'BlkioWeight', 'KernelMemory',
] as const;

const DEFAULT_STOP_TIMEOUT = 10;
/** Prepared runtime containers (see `prepare`): how many at once, and how long one waits for its start. */
const MAX_PREPARED = 4;
const PREPARED_IDLE_MS = 10_000;

export class ContainerService {
  readonly store: ContainerStore;
  readonly attach: AttachHub;
  private readonly lock = new KeyedLock();
  private readonly exitWaiters = new Map<string, Array<(code: number) => void>>();
  private readonly removeWaiters = new Map<string, Array<() => void>>();
  /** Containers being removed (so a second rm fails as Docker's does). */
  private readonly removing = new Set<string>();
  /** Releases of removed containers still under way (see `release`). */
  private readonly releasing = new Set<Promise<void>>();
  /** Runtime containers made ahead of their start (see `prepare`). */
  private readonly prepared = new Map<string, { ready: Promise<boolean>; timer: NodeJS.Timeout }>();

  /** Probes health checks; set by the engine (it needs the exec service, which needs this one). */
  health?: HealthMonitor;

  constructor(private readonly o: ContainerServiceOptions) {
    this.store = new ContainerStore(o.dataRoot);
    this.attach = new AttachHub(o.runtime);
  }

  paths(id: string) {
    return containerPaths(this.o.dataRoot, id);
  }

  /**
   * Load records and reconcile with reality: a directory without a record
   * is a create interrupted by a crash (removed); a container recorded as
   * running is re-adopted if its process still lives, else finished with the
   * exit code its monitor recorded.
   */
  async load(): Promise<void> {
    const { orphans } = await this.store.load();
    for (const id of orphans) {
      log.info('removing the remains of a container without a record', { id });
      await this.releaseNow(id);
    }
    for (const record of this.store.all()) {
      await this.reattach(record).catch((err) => log.warn('could not re-adopt container', { id: record.id, err }));
    }
  }

  private async reattach(record: ContainerRecord): Promise<void> {
    // The overlay survives a daemon restart but not a reboot.
    await this.mountRootfs(record);
    if (record.state.status === 'restarting') {
      // Its restart timer died with the previous daemon; startByPolicy decides again.
      record.state.status = 'exited';
      await this.store.saveState(record);
    }
    if (record.state.status !== 'running' && record.state.status !== 'paused') {
      // A runtime container left from before (prepared for a start that never came) holds processes: delete it.
      if (await this.o.runtime.hasState(record.id)) {
        await this.o.runtime.delete(record.id, true).catch(() => undefined);
        await this.o.runtime.cleanup(record.id).catch(() => undefined);
      }
      return;
    }
    const state = await this.o.runtime.state(record.id);
    if (state && (state.status === 'running' || state.status === 'paused')) {
      record.state.status = state.status;
      record.state.pid = state.pid;
      await this.store.saveState(record);
      this.watchExit(record);
      this.health?.start(record, { resume: true });
      return;
    }
    const code = (await this.o.runtime.exitCode(record.id)) ?? 255;
    await this.finishExit(record, code);
  }

  // ---- create -------------------------------------------------------------

  async create(request: { name?: string; config: ContainerConfig; hostConfig?: HostConfig; platform?: string }): Promise<{ Id: string; Warnings: string[] }> {
    const userConfig = request.config;
    const cgroupnsMode = (await detectCgroupVersion()) === 2 ? 'private' : 'host';
    const hostConfig: HostConfig = normalizeHostConfig(request.hostConfig ?? {}, { cgroupnsMode, logConfig: this.o.defaults?.logConfig, shmSize: this.o.defaults?.shmSize });
    const warnings = await this.discardUnsupported(hostConfig);
    if (!userConfig.Image) throw new InvalidParameterError('No image specified'); // dockerd: "Config cannot be empty in order to create a container"
    validateHostConfig(hostConfig, this.o.hostCpus);
    checkCpuset(hostConfig, availableCpuset());
    checkUlimitsApplicable(hostConfig.Ulimits);
    validateRestartPolicy(hostConfig.RestartPolicy);
    if (userConfig.StopSignal) parseSignal(userConfig.StopSignal);
    this.checkSharedNamespaces(hostConfig);
    for (const spec of hostConfig.Binds ?? []) {
      if (parseBind(spec).volume) throw new NotImplementedError(`volumes are not supported yet, only host paths: '${spec}'`);
    }
    checkMounts(hostConfig);
    const image = await this.o.images.resolve(userConfig.Image);
    if (request.platform) checkImagePlatform(userConfig.Image, request.platform, image.imageConfig);
    const config = mergeImageConfig(userConfig, image.config as ImageConfigLike);
    const { path, args } = commandOf(config);

    const id = randomBytes(32).toString('hex');
    const name = request.name ? normalizeName(request.name) : this.generateName();
    this.resolveLinks(hostConfig, name);
    this.store.reserveName(name, id);
    const record: ContainerRecord = {
      id,
      name,
      created: nowRfc3339Nano(),
      image: image.id,
      imageChainId: image.chainId,
      config: { ...config, Hostname: config.Hostname || id.slice(0, 12) },
      hostConfig,
      path,
      args,
      state: newState(),
      restartCount: 0,
      networkMode: hostConfig.NetworkMode || 'default',
    };
    const p = this.paths(id);
    try {
      mkdirSync(p.bundle, { recursive: true });
      makeInitLayer(p.init);
      // The runtime container's monitor is started first (prepare spawns it
      // before it returns); the rootfs is mounted and the files written, on
      // the next microtask, while it starts up.
      const laidOut = Promise.resolve().then(() => Promise.all([this.mountRootfs(record), this.writeEtcFiles(record)]));
      this.prepare(record, laidOut);
      await laidOut;
      // The record is written last: a crash before this point leaves a
      // directory without a record, which the next start removes.
      await this.store.save(record);
    } catch (err) {
      await this.lock.run(id, () => this.unprepare(id));
      this.store.releaseName(name, id);
      await unmount(p.merged).catch(() => undefined);
      await fs.rm(p.dir, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    this.o.events.publish('container', 'create', id, this.eventAttributes(record));
    return { Id: id, Warnings: warnings };
  }

  /**
   * Links name containers that must exist (dockerd: 400 at create); they are
   * kept as dockerd keeps them, "/target:/container/alias". (The network
   * mode is checked at start, as dockerd does.)
   */
  private resolveLinks(hostConfig: HostConfig, containerName: string): void {
    if (!hostConfig.Links?.length) return;
    hostConfig.Links = hostConfig.Links.map((link) => {
      const [target = '', alias] = link.split(':');
      const name = target.replace(/^\//, '');
      let linked: ContainerRecord;
      try {
        linked = this.store.resolve(name);
      } catch (err) {
        if (err instanceof NotFoundError) throw new InvalidParameterError(`could not get container for ${name}: No such container: ${name}`, { cause: err });
        throw err;
      }
      return `${linked.name}:${containerName}/${(alias || name).replace(/^\//, '')}`;
    });
  }

  /**
   * `--ipc` and `--pid` as dockerd takes them at create: a known mode, and a
   * `container:<name>` that exists. Whether it runs is asked at start.
   */
  private checkSharedNamespaces(hostConfig: HostConfig): void {
    const ipc = hostConfig.IpcMode ?? '';
    if (!['', 'host', 'private', 'shareable', 'none'].includes(ipc) && !/^container:./.test(ipc)) throw new InvalidParameterError(`invalid IPC mode: ${ipc}`);
    const pid = hostConfig.PidMode ?? '';
    if (!['', 'host'].includes(pid) && !/^container:./.test(pid)) throw new InvalidParameterError(`invalid PID mode: ${pid}`);
    for (const mode of [ipc, pid]) {
      if (!mode.startsWith('container:')) continue;
      const ref = mode.slice('container:'.length);
      // dockerd's words, but not a 404: the docker CLI would take that for a missing image and pull.
      if (!this.store.find(ref)) throw new InvalidParameterError(`No such container: ${ref}`);
    }
  }

  /**
   * The PIDs of the running containers whose IPC and PID namespaces this one
   * joins, checked as dockerd checks them at start, with its words.
   */
  private namespaceDonors(record: ContainerRecord): { ipcDonor?: { pid: number; shm: string }; pidDonor?: number } {
    const donors: { ipcDonor?: { pid: number; shm: string }; pidDonor?: number } = {};
    const ipc = record.hostConfig.IpcMode ?? '';
    if (ipc.startsWith('container:')) {
      const other = this.store.resolve(ipc.slice('container:'.length));
      const why = `can't join IPC of container ${other.id}`;
      if (other.state.status !== 'running' || !other.state.pid) throw new ConflictError(`${why}: container ${other.id} is not running`);
      if (other.hostConfig.IpcMode !== 'shareable' && other.hostConfig.IpcMode !== 'host') {
        throw new ConflictError(`${why}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
      }
      donors.ipcDonor = { pid: other.state.pid, shm: other.hostConfig.IpcMode === 'host' ? '/dev/shm' : this.paths(other.id).shm };
    }
    const pid = record.hostConfig.PidMode ?? '';
    if (pid.startsWith('container:')) {
      const other = this.store.resolve(pid.slice('container:'.length));
      if (other.state.status !== 'running' || !other.state.pid) throw new ConflictError(`container ${other.id} is not running`);
      donors.pidDonor = other.state.pid;
    }
    return donors;
  }

  /**
   * A shareable container's /dev/shm is a tmpfs on the host, so that
   * containers joining its IPC namespace can mount it too; it lives until
   * the container stops (`releaseShm`).
   */
  private async mountShareableShm(record: ContainerRecord): Promise<string> {
    const dir = this.paths(record.id).shm;
    if (await isMountPoint(dir)) return dir;
    mkdirSync(dir, { recursive: true });
    const size = record.hostConfig.ShmSize || DEFAULT_SHM_SIZE;
    native().mount('shm', dir, 'tmpfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, `mode=1777,size=${size}`);
    return dir;
  }

  private async releaseShm(id: string): Promise<void> {
    await unmount(this.paths(id).shm).catch((err) => log.warn('could not unmount /dev/shm', { id, err }));
  }

  /** Settings this host's kernel cannot apply are dropped with dockerd's warnings, as dockerd does at create. */
  private async discardUnsupported(hostConfig: HostConfig): Promise<string[]> {
    const warnings: string[] = [];
    const blkio = await blkioFeatures();
    if ((hostConfig.BlkioWeight ?? 0) > 0 && !blkio.weight) {
      warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
      hostConfig.BlkioWeight = 0;
    }
    if ((hostConfig.BlkioWeightDevice ?? []).length > 0 && !blkio.weightDevice) {
      warnings.push('Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
      hostConfig.BlkioWeightDevice = [];
    }
    // dockerd's create-time warnings about settings it keeps as given.
    if (hostConfig.OomKillDisable && !(hostConfig.Memory ?? 0)) {
      warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
    }
    if ((hostConfig.KernelMemory ?? 0) > 0) warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
    return warnings;
  }

  private generateName(): string {
    for (let retry = 0; ; retry++) {
      const name = `/${randomName(retry)}`;
      if (!this.store.hasName(name)) return name;
    }
  }

  /** The container's read-only layers, top first: its init layer, then the image's. */
  lowerDirs(record: ContainerRecord): string[] {
    return withInitLayer(this.paths(record.id).init, this.o.images.lowerDirs(record.imageChainId));
  }

  private async mountRootfs(record: ContainerRecord): Promise<void> {
    const p = this.paths(record.id);
    const lowerDirs = this.lowerDirs(record);
    await ensureOverlayMounted({ lowerDirs, upper: p.upper, work: p.work, merged: p.merged }, `${this.o.dataRoot}/layers/empty`);
  }

  /**
   * The container's /etc/hostname, hosts and resolv.conf. Like the other
   * small files of the start path, these are read and written with
   * synchronous calls: each takes microseconds, where the thread pool's
   * open/read/close round trips add up to milliseconds while a start keeps
   * it busy.
   */
  private async writeEtcFiles(record: ContainerRecord): Promise<void> {
    const p = this.paths(record.id);
    const net = networkChoice(record.hostConfig);
    const hostResolv = readSmallFile('/etc/resolv.conf') ?? '';
    const hostHosts = readSmallFile('/etc/hosts') ?? '';
    const hostname = net.kind === 'host' ? (readSmallFile('/etc/hostname') ?? 'localhost').trim() : record.config.Hostname!;
    if (net.kind === 'host') record.config.Hostname = hostname;
    writeFileSync(p.hostname, hostnameFile(hostname));
    writeFileSync(
      p.hosts,
      net.kind === 'host' ? hostHosts : hostsFile({ hostname, domainname: record.config.Domainname, extraHosts: record.hostConfig.ExtraHosts ?? [] }),
    );
    writeFileSync(
      p.resolvConf,
      net.kind === 'host'
        ? hostResolv
        : resolvConfFile(hostResolv, { dns: record.hostConfig.Dns ?? [], search: record.hostConfig.DnsSearch ?? [], options: record.hostConfig.DnsOptions ?? [] }),
    );
  }

  // ---- start --------------------------------------------------------------

  async start(ref: string): Promise<void> {
    const record = this.store.resolve(ref);
    await this.lock.run(record.id, () => {
      // A user's start re-arms the restart policy that a user's stop disarmed.
      record.manuallyStopped = false;
      return this.startLocked(record);
    });
  }

  private async startLocked(record: ContainerRecord): Promise<void> {
    if (record.state.status === 'running' || record.state.status === 'paused') throw new NotModifiedError('container already started');
    if (this.removing.has(record.id)) throw errors.removalInProgress(record.id);
    try {
      if (!(await this.takePrepared(record.id))) await this.createRuntime(record);
    } catch (err) {
      await this.failStart(record, err);
      // dockerd reports every start failure as a server error (500), bad user included.
      if (err instanceof InvalidParameterError) throw new SystemError(err.message, { cause: err });
      throw err;
    }
    // Attach clients that connected before start get every byte: connect them before the process runs.
    await this.attach.connectPending(record.id);
    const pid = await this.o.runtime.initPid(record.id);
    const before = record.state;
    record.state = {
      ...record.state,
      status: 'running',
      pid: pid ?? 0,
      exitCode: 0,
      error: '',
      oomKilled: false,
      startedAt: nowRfc3339Nano(),
    };
    // The running state is saved while the runtime lets the process go. A
    // crash in between leaves either a record saying running over a created
    // runtime container (the next daemon finishes it as exited) or the
    // reverse (the next daemon deletes it): consistent either way.
    const [started, saved] = await Promise.allSettled([this.o.runtime.start(record.id), this.store.saveState(record)]);
    if (started.status === 'rejected') {
      record.state = before;
      await this.store.saveState(record).catch((err) => log.warn('could not record the failed start', { id: record.id, err }));
      throw started.reason;
    }
    if (saved.status === 'rejected') throw saved.reason;
    this.o.events.publish('container', 'start', record.id, this.eventAttributes(record));
    this.watchExit(record);
    this.health?.start(record);
  }

  /**
   * Generate the spec and have the runtime create the container, its
   * process waiting to be started. `laidOut`: a fresh container's rootfs
   * mount and /etc files, still being made (the spec waits for them, the
   * runtime's monitor does not).
   */
  private async createRuntime(record: ContainerRecord, laidOut?: Promise<unknown>): Promise<void> {
    const p = this.paths(record.id);
    const logSizeMax = logSizeLimit(record.hostConfig.LogConfig);
    const spec = this.runtimeSpec(record, laidOut);
    spec.catch(() => undefined); // the runtime's create reports it; nothing must go unhandled before that
    // A leftover runtime record (crash between create and start) would make create fail.
    if (!laidOut && (await this.o.runtime.hasState(record.id))) await this.o.runtime.delete(record.id, true).catch(() => undefined);
    await this.o.runtime.create({
      id: record.id,
      bundle: p.bundle,
      spec,
      logPath: p.log,
      logSizeMax,
      tty: Boolean(record.config.Tty),
      openStdin: Boolean(record.config.OpenStdin),
      stdinOnce: Boolean(record.config.StdinOnce),
    });
  }

  private async runtimeSpec(record: ContainerRecord, laidOut?: Promise<unknown>): Promise<OciSpec> {
    const p = this.paths(record.id);
    if (laidOut) await laidOut;
    else await this.mountRootfs(record);
    const h = record.hostConfig;
    // Host devices are looked up at each start, as dockerd does. A privileged
    // container sees all of /dev already; dockerd adds a --device only under a new path.
    const etcPasswd = readSmallFile(`${p.merged}/etc/passwd`);
    const etcGroup = readSmallFile(`${p.merged}/etc/group`);
    const [blockDevices, devices, mounts] = await Promise.all([
      resolveBlockDeviceNumbers(blkioDevicePaths(h)),
      resolveDevices((h.Devices ?? []).filter((d) => !h.Privileged || (d.PathInContainer || d.PathOnHost) !== d.PathOnHost)),
      this.bindMounts(record),
    ]);
    const spec = generateSpec({
      id: record.id,
      config: record.config,
      hostConfig: withDaemonDefaults(record.hostConfig, this.o.defaults),
      seccompProfileJson: this.o.defaults?.seccompProfile !== 'unconfined' ? this.o.defaults?.seccompProfile : undefined,
      imageConfig: {},
      rootfs: p.merged,
      etcPasswd,
      etcGroup,
      files: { hostname: p.hostname, hosts: p.hosts, resolvConf: p.resolvConf },
      network: this.networkFor(record),
      ...this.namespaceDonors(record),
      shareableShm: h.IpcMode === 'shareable' ? await this.mountShareableShm(record) : undefined,
      hostIpv6: hostHasIpv6(),
      cgroupsPath: cgroupsPathOf(record),
      initPath: this.o.initPath,
      mounts,
      hostCpus: this.o.hostCpus,
      arch: this.o.host.arch,
      kernel: this.o.host.kernel,
      missingArches: this.o.host.missingArches,
      devices,
      blockDevices,
    });
    if (record.config.WorkingDir) await this.ensureWorkingDir(p.merged, record.config.WorkingDir);
    return spec;
  }

  /**
   * `-v /host:/ctr` binds as mounts (a missing host directory is created, as
   * dockerd does for -v), then the `--mount` binds and tmpfs.
   */
  private async bindMounts(record: ContainerRecord): Promise<ResolvedMount[]> {
    const mounts: ResolvedMount[] = [];
    for (const spec of record.hostConfig.Binds ?? []) {
      const b = parseBind(spec);
      await fs.mkdir(b.source, { recursive: true });
      mounts.push({ destination: b.destination, source: b.source, type: 'bind', options: ['rbind', b.rw ? 'rw' : 'ro', b.propagation] });
    }
    for (const m of record.hostConfig.Mounts ?? []) {
      if (m.Type === 'bind' && m.BindOptions?.CreateMountpoint && m.Source) await fs.mkdir(m.Source, { recursive: true });
    }
    mounts.push(...resolveMounts(record.hostConfig.Mounts));
    return mounts;
  }

  // ---- prepared containers --------------------------------------------------
  //
  // Creating the runtime container (runc create under conmon) is most of a
  // start's cost. `docker run` sends create, then attach and wait, then
  // start; so right after a create the runtime container is made in the
  // background, and the start that follows finds it ready or nearly so.
  // Its process is not running: it waits in runc's init until started. A
  // prepared container that is not started soon, is removed, or whose
  // rootfs is written to (`docker cp`, which may change /etc/passwd or the
  // working directory the spec was made from) is torn down, and its start
  // takes the ordinary path. At most MAX_PREPARED exist at once.

  private prepare(record: ContainerRecord, laidOut: Promise<unknown>): void {
    if (this.prepared.size >= MAX_PREPARED) return;
    // Joining another container's namespaces needs that one's process at start time.
    const h = record.hostConfig;
    if (networkChoice(h).kind === 'container' || h.IpcMode?.startsWith('container:') || h.PidMode?.startsWith('container:')) return;
    const ready = this.createRuntime(record, laidOut).then(
      () => true,
      (err) => {
        log.debug('could not prepare the runtime container; the start will try again', { id: record.id, err });
        return false;
      },
    );
    const timer = setTimeout(() => void this.lock.run(record.id, () => this.unprepare(record.id)), PREPARED_IDLE_MS);
    timer.unref();
    this.prepared.set(record.id, { ready, timer });
  }

  /** Claim the prepared runtime container for a start: true when it is there and ready. */
  private async takePrepared(id: string): Promise<boolean> {
    const entry = this.prepared.get(id);
    if (!entry) return false;
    this.prepared.delete(id);
    clearTimeout(entry.timer);
    if (await entry.ready) return true;
    await this.o.runtime.cleanup(id).catch(() => undefined);
    return false;
  }

  /** Tear down a prepared runtime container that will not be started as it is. Call under the container's lock. */
  private async unprepare(id: string): Promise<void> {
    const entry = this.prepared.get(id);
    if (!entry) return;
    this.prepared.delete(id);
    clearTimeout(entry.timer);
    if (await entry.ready) await this.o.runtime.delete(id, true).catch((err) => log.warn('could not delete a prepared container', { id, err }));
    await this.o.runtime.cleanup(id).catch(() => undefined);
    await this.releaseShm(id);
  }

  /** The container's rootfs or settings changed after create: its next start makes the runtime container afresh. */
  async invalidatePrepared(id: string): Promise<void> {
    if (!this.prepared.has(id)) return;
    await this.lock.run(id, () => this.unprepare(id));
  }

  /**
   * A start that failed leaves the container "created" with the error and
   * exit code dockerd records (127/126 for a command that cannot be run,
   * else 128); attached and waiting clients are released, and an
   * auto-remove container is removed.
   */
  private async failStart(record: ContainerRecord, err: unknown): Promise<void> {
    record.state.error = asError(err).message;
    record.state.exitCode = err instanceof RuntimeStartError ? err.exitCode : 128;
    await this.store.saveState(record).catch((e) => log.warn('could not record start failure', { id: record.id, err: e }));
    await this.o.runtime.cleanup(record.id).catch(() => undefined);
    await this.releaseShm(record.id);
    this.attach.closePending(record.id);
    for (const wake of this.exitWaiters.get(record.id) ?? []) wake(record.state.exitCode);
    this.exitWaiters.delete(record.id);
    this.o.events.publish('container', 'die', record.id, { ...this.eventAttributes(record), exitCode: String(record.state.exitCode) });
    if (record.hostConfig.AutoRemove) {
      await this.removeLocked(record, { force: true }).catch((e) => log.warn('auto-remove failed', { id: record.id, err: e }));
    }
  }

  private networkFor(record: ContainerRecord) {
    // The networks Berth has: the default bridge, host, none, another container's (no user networks yet).
    const mode = record.hostConfig.NetworkMode || 'default';
    if (!['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:')) throw new NotFoundError(`network ${mode} not found`);
    const choice = networkChoice(record.hostConfig);
    if (choice.kind !== 'container') return choice;
    const other = this.store.resolve(choice.ref);
    if (other.state.status !== 'running') throw new ConflictError(`cannot join network of a non running container: ${other.id}`);
    return { kind: 'path' as const, path: `/proc/${other.state.pid}/ns/net` };
  }

  private async ensureWorkingDir(rootfs: string, dir: string): Promise<void> {
    // Docker creates a missing WorkingDir; the path is resolved inside the rootfs by runc's cwd.
    const target = `${rootfs}/${dir.replace(/^\/+/, '')}`;
    await fs.mkdir(target, { recursive: true }).catch((err) => {
      if (!isErrno(err, 'EEXIST')) throw err;
    });
  }

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
    const oomKilled = await this.wasOomKilled(record);
    record.state = { ...record.state, status: 'exited', pid: 0, exitCode: code, oomKilled, finishedAt: nowRfc3339Nano() };
    if (record.hostConfig.AutoRemove) {
      // No exit state is written for a record that is removed next; the
      // runtime's record, the mount and the files go after the removal.
      this.announceExit(record, code);
      await this.removeLocked(record, { force: true, volumes: true }).catch(async (err) => {
        log.warn('auto-remove failed', { id: record.id, err });
        await this.store.saveState(record).catch(() => undefined);
      });
      return;
    }
    // The runtime's record is released while the new state is saved and
    // announced; this runs under the container's lock, so a start that
    // follows a woken waiter still finds the runtime clean.
    const released = this.o.runtime
      .delete(record.id, true)
      .catch((err) => log.warn('runtime delete failed', { id: record.id, err }))
      .then(() => this.o.runtime.cleanup(record.id).catch(() => undefined))
      .then(() => this.releaseShm(record.id));
    await this.store.saveState(record);
    this.announceExit(record, code);
    await released;
    if (shouldRestart(record, code)) this.scheduleRestart(record);
  }

  private announceExit(record: ContainerRecord, code: number): void {
    if (record.state.oomKilled) this.o.events.publish('container', 'oom', record.id, this.eventAttributes(record));
    this.o.events.publish('container', 'die', record.id, { ...this.eventAttributes(record), exitCode: String(code) });
    for (const wake of this.exitWaiters.get(record.id) ?? []) wake(code);
    this.exitWaiters.delete(record.id);
  }

  /**
   * Restart policies, as dockerd applies them: a delay starting at 100 ms
   * and doubling per consecutive restart (capped at one minute); a user's
   * stop or kill ends the cycle.
   */
  private scheduleRestart(record: ContainerRecord): void {
    const delay = Math.min(100 * 2 ** record.restartCount, 60_000);
    record.state.status = 'restarting';
    void this.store.saveState(record).catch(() => undefined);
    setTimeout(() => {
      void this.lock
        .run(record.id, async () => {
          if (!this.store.get(record.id) || record.state.status !== 'restarting' || record.manuallyStopped) return;
          record.restartCount++;
          try {
            await this.startLocked(record);
          } catch (err) {
            record.state.status = 'exited';
            await this.store.saveState(record);
            throw err;
          }
        })
        .catch((err) => log.warn('restart by policy failed', { id: record.id, err }));
    }, delay).unref();
  }

  /** After a daemon start: containers whose policy says they should run are started. */
  async startByPolicy(): Promise<void> {
    for (const record of this.store.all()) {
      if (record.state.status === 'running' || record.state.status === 'paused') continue;
      if (!shouldStartAtBoot(record)) continue;
      await this.start(record.id).catch((err) => log.warn('could not start by restart policy', { id: record.id, err }));
    }
  }

  /** Read the kernel's OOM-kill counter of the container's cgroup before the runtime removes it. */
  private async wasOomKilled(record: ContainerRecord): Promise<boolean> {
    return wasOomKilled(cgroupsPathOf(record)).catch(() => false);
  }

  // ---- stop / kill / pause ------------------------------------------------

  async stop(ref: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
    const record = this.store.resolve(ref);
    // Waiting to be restarted by its policy: a stop ends that. Under the lock,
    // so a restart already under way finishes first and is then stopped.
    const wasWaiting = await this.lock.run(record.id, async () => {
      if (record.state.status !== 'restarting') return false;
      record.manuallyStopped = true;
      record.state.status = 'exited';
      await this.store.saveState(record);
      return true;
    });
    if (wasWaiting) return;
    if (record.state.status !== 'running' && record.state.status !== 'paused') throw new NotModifiedError('container already stopped');
    record.manuallyStopped = true;
    const exited = this.nextExit(record.id);
    const signal = options.signal || record.config.StopSignal || 'SIGTERM';
    const timeout = options.timeout ?? record.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    const number = parseSignal(signal);
    checkSignalForLinux(number);
    await this.signal(record, number);
    const stopped = timeout >= 0 && (await raceTimeout(exited, timeout * 1000));
    if (!stopped && this.store.get(record.id)?.state.status !== 'exited') {
      await this.signal(record, 9).catch((err) => log.warn('SIGKILL failed', { id: record.id, err }));
      await exited;
    }
    this.o.events.publish('container', 'stop', record.id, this.eventAttributes(record));
  }

  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const number = parseSignal(signal);
    try {
      checkSignalForLinux(number);
      const record = this.store.resolve(ref);
      if (record.state.status !== 'running' && record.state.status !== 'paused') throw errors.notRunning(record.id);
      if (number === 9) record.manuallyStopped = true;
      await this.signal(record, number);
    } catch (err) {
      // dockerd's router words every kill failure after the signal's check this way; the status stays.
      if (err instanceof Error) err.message = `Cannot kill container: ${ref}: ${err.message}`;
      throw err;
    }
  }

  /**
   * Send a signal; a paused container is thawed afterwards so it can act on
   * it, as dockerd does. Every signal is announced (stop's and rm -f's too),
   * before it is sent so that it precedes the die it may cause.
   */
  private async signal(record: ContainerRecord, signal: number): Promise<void> {
    this.o.events.publish('container', 'kill', record.id, { ...this.eventAttributes(record), signal: String(signal) });
    await this.o.runtime.kill(record.id, signal, signal === 9);
    if (record.state.status === 'paused' && (signal === 9 || signal === 15)) {
      await this.o.runtime.resume(record.id).catch(() => undefined);
    }
  }

  async pause(ref: string): Promise<void> {
    const record = this.store.resolve(ref);
    await this.lock.run(record.id, async () => {
      if (record.state.status === 'paused') throw errors.alreadyPaused(record.id);
      if (record.state.status !== 'running') throw errors.notRunning(record.id);
      await this.o.runtime.pause(record.id);
      record.state.status = 'paused';
      await this.store.saveState(record);
      this.o.events.publish('container', 'pause', record.id, this.eventAttributes(record));
    });
  }

  async unpause(ref: string): Promise<void> {
    const record = this.store.resolve(ref);
    await this.lock.run(record.id, async () => {
      if (record.state.status !== 'paused') throw errors.notPaused(record.id);
      await this.o.runtime.resume(record.id);
      record.state.status = 'running';
      await this.store.saveState(record);
      this.o.events.publish('container', 'unpause', record.id, this.eventAttributes(record));
    });
  }

  async restart(ref: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
    const record = this.store.resolve(ref);
    if (record.state.status === 'running' || record.state.status === 'paused') {
      await this.stop(record.id, options).catch((err) => {
        if (!(err instanceof NotModifiedError)) throw err;
      });
    }
    await this.start(record.id);
    this.o.events.publish('container', 'restart', record.id, this.eventAttributes(record));
  }

  // ---- wait / remove / rename --------------------------------------------

  private nextExit(id: string): Promise<number> {
    return new Promise((resolve) => {
      const list = this.exitWaiters.get(id) ?? [];
      list.push(resolve);
      this.exitWaiters.set(id, list);
    });
  }

  /** Resolves at the container's next exit (or failed start), whether it runs now or not. */
  nextExitOf(id: string): Promise<number> {
    return this.nextExit(id);
  }

  /** Resolves when the container is not running (at once if it is not now). */
  whenStopped(id: string): Promise<unknown> {
    const record = this.store.get(id);
    if (!record || (record.state.status !== 'running' && record.state.status !== 'paused')) return Promise.resolve();
    return this.nextExit(id);
  }

  /** Resolves with Docker's wait result once the condition holds. */
  async wait(ref: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<{ StatusCode: number; Error: null | { Message: string } }> {
    const record = this.store.resolve(ref);
    const running = record.state.status === 'running' || record.state.status === 'paused';
    if (condition === 'removed') {
      await new Promise<void>((resolve, reject) => {
        const list = this.removeWaiters.get(record.id) ?? [];
        list.push(resolve);
        this.removeWaiters.set(record.id, list);
        signal?.addEventListener('abort', () => reject(new SystemError('client went away')), { once: true });
      });
      return { StatusCode: record.state.exitCode, Error: null };
    }
    if (condition === 'not-running' && !running) return { StatusCode: record.state.exitCode, Error: null };
    const code = await this.nextExit(record.id);
    return { StatusCode: code, Error: null };
  }

  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const record = this.store.resolve(ref);
    if (this.removing.has(record.id)) throw errors.removalInProgress(record.id);
    const running = record.state.status === 'running' || record.state.status === 'paused';
    if (running && !options.force) {
      throw record.state.status === 'paused' ? errors.removePaused(record.id) : errors.removeRunning(record.id);
    }
    if (running) {
      record.hostConfig.AutoRemove = false; // this call removes it; the exit handler must not race us
      const exited = this.nextExit(record.id);
      await this.signal(record, 9);
      await exited;
    }
    await this.lock.run(record.id, () => this.removeLocked(record, options));
  }

  private async removeLocked(record: ContainerRecord, _options: { force?: boolean; volumes?: boolean }): Promise<void> {
    if (!this.store.get(record.id) || this.removing.has(record.id)) return;
    this.health?.stop(record.id);
    this.removing.add(record.id);
    try {
      this.attach.closePending(record.id);
      // The record goes first: once it is gone the container is gone, and
      // whatever a crash leaves behind is swept as an orphan at the next start.
      await this.store.removeRecordFile(record.id);
      this.store.drop(record);
    } finally {
      this.removing.delete(record.id);
    }
    this.release(record.id);
    // Anyone still waiting for an exit of a container that is now gone is released.
    for (const wake of this.exitWaiters.get(record.id) ?? []) wake(record.state.exitCode);
    this.exitWaiters.delete(record.id);
    this.o.events.publish('container', 'destroy', record.id, this.eventAttributes(record));
    for (const wake of this.removeWaiters.get(record.id) ?? []) wake();
    this.removeWaiters.delete(record.id);
  }

  /**
   * Free what a removed container held: the runtime's record, the rootfs
   * mount and the container's directory. This runs after the removal is
   * announced (it takes longer than the removal itself); `released()`
   * waits for it, and an interrupted release is finished by `load()`.
   */
  private release(id: string): void {
    const job = this.lock
      .run(id, () => this.releaseNow(id))
      .catch((err) => log.warn('could not release a removed container', { id, err }))
      .finally(() => this.releasing.delete(job));
    this.releasing.add(job);
  }

  private async releaseNow(id: string): Promise<void> {
    const p = this.paths(id);
    await this.unprepare(id);
    if (await this.o.runtime.hasState(id)) await this.o.runtime.delete(id, true).catch(() => undefined);
    await this.o.runtime.cleanup(id).catch(() => undefined);
    await unmount(p.merged);
    await unmount(p.shm);
    await fs.rm(p.dir, { recursive: true, force: true });
  }

  /** Resolves once every removed container's mount and files are gone. */
  async released(): Promise<void> {
    while (this.releasing.size > 0) await Promise.all([...this.releasing]);
  }

  /** Before the daemon exits: prepared runtime containers are torn down, releases finished. */
  async close(): Promise<void> {
    await Promise.all([...this.prepared.keys()].map((id) => this.lock.run(id, () => this.unprepare(id))));
    await this.released();
  }

  /**
   * `docker update`: new resource limits and restart policy. Kept in the
   * record, and applied to a live container's cgroup at once (runc update).
   */
  async update(ref: string, changes: UpdateConfig): Promise<{ Warnings: string[] }> {
    const record = this.store.resolve(ref);
    return this.lock.run(record.id, async () => {
      const cannot = (message: string) => new InvalidParameterError(`Cannot update container ${record.id}: ${message}`);
      const next: HostConfig = { ...record.hostConfig };
      for (const key of UPDATABLE) {
        const value = changes[key];
        // 0 and "" are what the docker CLI sends for flags not given.
        if (key !== 'PidsLimit' && value !== undefined && value !== null && value !== 0 && value !== '') (next as Record<string, unknown>)[key] = value;
      }
      // dockerd: 0 leaves the limit as it is, a negative one lifts it (kept as 0).
      if (changes.PidsLimit !== undefined && changes.PidsLimit !== null && changes.PidsLimit !== 0) next.PidsLimit = changes.PidsLimit > 0 ? changes.PidsLimit : 0;
      if (changes.RestartPolicy?.Name) {
        if (record.hostConfig.AutoRemove && changes.RestartPolicy.Name !== 'no') throw cannot('Restart policy cannot be updated because AutoRemove is enabled for the container');
        next.RestartPolicy = { Name: changes.RestartPolicy.Name, MaximumRetryCount: changes.RestartPolicy.MaximumRetryCount ?? 0 };
        validateRestartPolicy(next.RestartPolicy);
      }
      // Memory above an existing swap limit needs the swap raised with it.
      if ((changes.Memory ?? 0) > 0 && !changes.MemorySwap && (record.hostConfig.MemorySwap ?? 0) > 0 && changes.Memory! > record.hostConfig.MemorySwap!) {
        throw cannot('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
      }
      if ((changes.NanoCpus ?? 0) > 0) {
        next.CpuQuota = 0;
        next.CpuPeriod = 0;
      }
      validateHostConfig(next, this.o.hostCpus);
      checkCpuset(changes, availableCpuset());
      const running = record.state.status === 'running' || record.state.status === 'paused';
      if (running) {
        const resources = toOciResources(next);
        // No pids entry would leave the old limit in place: "-1" is runc's "max".
        if ((next.PidsLimit ?? 0) <= 0 && (record.hostConfig.PidsLimit ?? 0) > 0) resources.pids = { limit: -1 };
        try {
          await this.o.runtime.update(record.id, resources);
        } catch (err) {
          throw new SystemError(`Cannot update container ${record.id}: ${asError(err).message}`, { cause: err });
        }
      }
      // A runtime container prepared with the old limits is made afresh at start.
      if (!running) await this.unprepare(record.id);
      record.hostConfig = next;
      await this.store.save(record);
      this.o.events.publish('container', 'update', record.id, this.eventAttributes(record));
      const warnings = (changes.KernelMemory ?? 0) > 0 ? ['Specifying a kernel memory limit is deprecated and will be removed in a future release.'] : [];
      return { Warnings: warnings };
    });
  }

  async rename(ref: string, newName: string): Promise<void> {
    const record = this.store.resolve(ref);
    if (!newName) throw new InvalidParameterError('Neither old nor new names may be empty');
    const name = normalizeName(newName);
    if (name === record.name) throw new InvalidParameterError(`Renaming a container with the same name as its current name`);
    await this.lock.run(record.id, async () => {
      const old = record.name;
      this.store.reserveName(name, record.id);
      record.name = name;
      try {
        await this.store.save(record);
      } catch (err) {
        record.name = old;
        this.store.releaseName(name, record.id);
        throw err;
      }
      this.store.releaseName(old, record.id);
      this.o.events.publish('container', 'rename', record.id, { ...this.eventAttributes(record), oldName: old });
    });
  }

  /** IDs of containers using an image (for image removal conflicts). */
  usersOfImage(imageId: string): ContainerRecord[] {
    return this.store.all().filter((r) => r.image === imageId);
  }

  eventAttributes(record: ContainerRecord): Record<string, string> {
    return { ...(record.config.Labels ?? {}), image: record.config.Image ?? '', name: record.name.slice(1) };
  }

  /** Persisted paths for inspect and archive. */
  rootfs(record: ContainerRecord): string {
    return this.paths(record.id).merged;
  }
}

/**
 * Whether a stopped container is started when the daemon starts (moby's
 * restore: the restart manager asked afresh). Only one that ran before;
 * `always` even after a manual stop (Docker's documented exception),
 * `unless-stopped` unless stopped by hand, `on-failure` after a failure,
 * a manual stop included, while retries remain.
 */
export function shouldStartAtBoot(record: ContainerRecord): boolean {
  if (record.state.startedAt === ZERO_TIME) return false;
  const policy = record.hostConfig.RestartPolicy;
  switch (policy?.Name) {
    case 'always':
      return true;
    case 'unless-stopped':
      return !record.manuallyStopped;
    case 'on-failure':
      return record.state.exitCode !== 0 && (!policy.MaximumRetryCount || record.restartCount < policy.MaximumRetryCount);
    default:
      return false;
  }
}

/** Whether a container that exited with `code` restarts under its policy. */
export function shouldRestart(record: ContainerRecord, code: number): boolean {
  if (record.manuallyStopped) return false;
  const policy = record.hostConfig.RestartPolicy;
  switch (policy?.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return code !== 0 && (!policy.MaximumRetryCount || record.restartCount < policy.MaximumRetryCount);
    default:
      return false;
  }
}

function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/** A small local file's text, read synchronously (see writeEtcFiles); undefined when it cannot be read. */
function readSmallFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

let ipv6: boolean | undefined;
/** Whether the kernel has IPv6 (a `--network none` container gets it turned off). */
function hostHasIpv6(): boolean {
  return (ipv6 ??= existsSync('/proc/sys/net/ipv6'));
}

/**
 * The host config as the spec sees it: the daemon's default ulimits for the
 * ones the container leaves out, its no-new-privileges and an unconfined
 * default seccomp (dockerd applies these at start; inspect keeps the container's own).
 */
function withDaemonDefaults(h: HostConfig, defaults: ContainerDefaults | undefined): HostConfig {
  if (!defaults) return h;
  const out = { ...h };
  const own = new Set((h.Ulimits ?? []).map((u) => u.Name));
  const ulimits = [...(h.Ulimits ?? []), ...(defaults.ulimits ?? []).filter((u) => !own.has(u.Name))];
  if (ulimits.length > 0) out.Ulimits = ulimits;
  const security = [...(h.SecurityOpt ?? [])];
  if (defaults.noNewPrivileges && !security.some((o) => /^no-new-privileges(?:[=:]|$)/.test(o))) security.push('no-new-privileges');
  if (defaults.seccompProfile === 'unconfined' && !security.some((o) => /^seccomp[=:]/.test(o))) security.push('seccomp=unconfined');
  if (security.length > 0) out.SecurityOpt = security;
  return out;
}
