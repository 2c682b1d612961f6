/**
 * A container on disk and in the kernel, outside its process: its directory
 * (record, bundle, init layer, log, /etc files), its overlay rootfs, the
 * host-side /dev/shm of a shareable IPC namespace, and the runtime's record
 * and monitor files. `teardown` is the ONE routine that takes these apart;
 * every path that ends a container (exit, failed start, a prepared runtime
 * container given up, removal, a create that failed, a crash's leftovers)
 * goes through it.
 */
import { promises as fs, mkdirSync, readFileSync } from 'node:fs';
import { CONTAINER_DIR_MODE } from '../../store/private-roots.ts';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { ensureOverlayMounted, isMountPoint, unmount, type OverlayPlan } from '../../drivers/mount/overlay.ts';
import { MS, native } from '../../drivers/native.ts';
import { DEFAULT_SHM_SIZE } from '../../drivers/runtime/spec/mounts.ts';
import { log } from '../../util/log.ts';
import { ensureInitLayer, withInitLayer } from './init-layer.ts';
import { containerPaths, type ContainerPaths, type ContainerRecord } from './record.ts';

export interface ContainerLayoutOptions {
  dataRoot: string;
  runtime: RuntimeDriver;
  /** The image's read-only layer directories for a chain, top first (in memory: on the start path). */
  imageLowerDirs(chainId: string): string[];
  /** The kernel's mounts (default: the real ones; unit tests record them instead). */
  mounts?: MountOps;
}

/** The mount operations a layout makes: each idempotent. */
export interface MountOps {
  /** Mount the overlay unless mounted. */
  overlay(plan: OverlayPlan, emptyLower: string): Promise<void>;
  /** A tmpfs at `dir` unless mounted there. */
  tmpfs(dir: string, flags: number, data: string): Promise<void>;
  /** Unmount if mounted. */
  unmount(dir: string): Promise<void>;
}

const KERNEL_MOUNTS: MountOps = {
  overlay: ensureOverlayMounted,
  async tmpfs(dir, flags, data) {
    if (await isMountPoint(dir)) return;
    native().mount('shm', dir, 'tmpfs', flags, data);
  },
  unmount,
};

/**
 * How far a teardown goes:
 * - `runtime`: the process side only: the runtime's record (force-deleted
 *   if present), the monitor's files, the shareable /dev/shm. The container
 *   can be started again.
 * - `all`: that, then the rootfs mount and the whole directory: the
 *   container is gone.
 */
export type TeardownScope = 'runtime' | 'all';

export class ContainerLayout {
  private readonly mounts: MountOps;
  /** The init layer every new container shares (init-layer.ts). */
  private readonly sharedInitLayer: string;
  private initLayerMade = false;
  /** Rootfs mounts under way, by container. */
  private readonly mounting = new Map<string, Promise<void>>();

  constructor(private readonly o: ContainerLayoutOptions) {
    this.mounts = o.mounts ?? KERNEL_MOUNTS;
    this.sharedInitLayer = `${o.dataRoot}/init-layer`;
  }

  paths(id: string): ContainerPaths {
    return containerPaths(this.o.dataRoot, id);
  }

  /** The container's read-only layers, top first: its init layer, then the image's. */
  lowerDirs(record: ContainerRecord): string[] {
    return withInitLayer(this.paths(record.id).init, this.sharedInitLayer, this.o.imageLowerDirs(record.imageChainId));
  }

  /**
   * The directory, bundle and (empty) writable layer of a new container,
   * and the shared init layer if it is not there yet (synchronous: a few
   * tiny calls on the create path). The rootfs is not mounted yet: see
   * `mountRootfs`.
   */
  makeDirectory(id: string): void {
    const p = this.paths(id);
    // Private as the data root: the record holds the environment, fs/ the writable layer.
    mkdirSync(p.dir, { recursive: true, mode: CONTAINER_DIR_MODE });
    mkdirSync(p.bundle, { mode: 0o700 });
    mkdirSync(p.upper, { recursive: true });
    if (!this.initLayerMade) ensureInitLayer(this.sharedInitLayer);
    this.initLayerMade = true;
  }

  /**
   * Mount the overlay rootfs unless mounted. As dockerd, a container's rootfs
   * is mounted when first needed (its start, docker cp, export), not at
   * create, and then stays mounted until the container is removed (it
   * survives a daemon restart, not a reboot). A container created and
   * removed unstarted never mounts.
   */
  mountRootfs(record: ContainerRecord): Promise<void> {
    // One mount at a time per container: two callers (a start and a docker cp)
    // could both find it unmounted and stack two overlays.
    const pending = this.mounting.get(record.id);
    if (pending) return pending;
    const p = this.paths(record.id);
    const mounted = this.mounts
      .overlay({ lowerDirs: this.lowerDirs(record), upper: p.upper, work: p.work, merged: p.merged }, `${this.o.dataRoot}/layers/empty`)
      .finally(() => this.mounting.delete(record.id));
    this.mounting.set(record.id, mounted);
    return mounted;
  }

  /**
   * A shareable container's /dev/shm is a tmpfs on the host, so that
   * containers joining its IPC namespace can mount it too; it lives until
   * the container's process side is torn down.
   */
  async mountShareableShm(record: ContainerRecord): Promise<string> {
    const dir = this.paths(record.id).shm;
    mkdirSync(dir, { recursive: true });
    const size = record.hostConfig.ShmSize || DEFAULT_SHM_SIZE;
    await this.mounts.tmpfs(dir, MS.NOSUID | MS.NODEV | MS.NOEXEC, `mode=1777,size=${size}`);
    return dir;
  }

  /**
   * Take the container apart as far as `scope` says. Each step is
   * idempotent and runs whatever the previous one did, so a teardown
   * interrupted by a crash is finished by the next (the daemon's start
   * sweeps directories without a record with scope `all`).
   * `runtimeExists`: the caller knows the runtime holds a record (after an
   * exit), which saves asking.
   */
  async teardown(id: string, scope: TeardownScope, options: { runtimeExists?: boolean } = {}): Promise<void> {
    const p = this.paths(id);
    const runtime = this.o.runtime;
    if (options.runtimeExists || (await runtime.hasState(id))) {
      await runtime.delete(id, true).catch((err) => log.warn('runtime delete failed', { id, err }));
    }
    await runtime.cleanup(id).catch(() => undefined);
    await this.mounts.unmount(p.shm).catch((err) => log.warn('could not unmount /dev/shm', { id, err }));
    if (scope === 'runtime') return;
    await this.mounts.unmount(p.merged);
    await fs.rm(p.dir, { recursive: true, force: true });
  }
}

/**
 * A small local file's text, read synchronously (the start path's small
 * files: a thread-pool round trip costs more than the read); undefined when
 * it cannot be read.
 */
export function readSmallFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
