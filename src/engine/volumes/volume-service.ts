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
import { NotImplementedError } from '../../util/errors.ts';
import type { EventsService } from '../events/events-service.ts';

/** A volume as berthd stores it. */
export interface VolumeRecord {
  name: string;
  driver: 'local';
  /** RFC 3339, whole seconds, as dockerd shows `CreatedAt`. */
  createdAt: string;
  /** null when none were given (dockerd shows `"Labels": null` for an anonymous volume). */
  labels: Record<string, string> | null;
  /** The driver options (`-o`), null when none. */
  options: Record<string, string> | null;
}

export interface VolumeCreateRequest {
  /** Empty or absent: an anonymous volume with a 64-hex name. */
  name?: string;
  /** '' or 'local'; anything else is refused (404 as dockerd: plugin not found). */
  driver?: string;
  driverOpts?: Record<string, string> | null;
  labels?: Record<string, string> | null;
  /** Created for a container's anonymous mount: labelled `com.docker.volume.anonymous=""` (prune's default set, API ≥ 1.42). */
  anonymous?: boolean;
}

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

export class VolumeService {
  private users: VolumeUsers = { usersOf: () => [] };

  constructor(readonly options: VolumeServiceOptions) {}

  useContainers(users: VolumeUsers): void {
    this.users = users;
  }

  /** Reads the records at daemon start, sweeping what a crash left half made or half removed. */
  async load(): Promise<void> {}

  /** The directory a container mounts: `<dataRoot>/volumes/<name>/_data`. */
  mountpoint(name: string): string {
    return `${this.options.dataRoot}/volumes/${name}/_data`;
  }

  get(name: string): VolumeRecord | undefined {
    void name;
    return undefined;
  }

  /**
   * Creates a volume, or returns the existing one of that name (dockerd's
   * create is idempotent). Record and directory appear together or not at all.
   */
  async create(request: VolumeCreateRequest): Promise<VolumeRecord> {
    void request;
    throw new NotImplementedError('volumes are not supported yet');
  }

  /**
   * A container starts using the volume: the local driver's filesystem is
   * mounted on first use; a `volume mount` event. Returns the path to bind.
   */
  async mount(name: string, request: VolumeMountRequest): Promise<string> {
    void request;
    return this.mountpoint(name);
  }

  /**
   * At daemon start, for a container whose process still lives: counts it
   * as a user of a volume that is already mounted for it, with no event.
   */
  adopt(name: string, containerId: string): void {
    void name;
    void containerId;
  }

  /** The container has stopped: a `volume unmount` event; the filesystem unmounted after its last user. */
  async unmount(name: string, containerId: string): Promise<void> {
    void name;
    void containerId;
  }

  /**
   * Removes a volume no container uses (409 naming the users otherwise;
   * `force` only forgives a missing one). Record and data go together.
   */
  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    void name;
    void options;
    throw new NotImplementedError('volumes are not supported yet');
  }
}
