/**
 * The container record: what berthd persists for one container in
 * `<dataRoot>/containers/<id>/config.v2.json`. The user's Config and
 * HostConfig are kept verbatim (Docker's wire shapes); everything else is
 * ours, in camelCase.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import type { EndpointRecord, SandboxRecord } from '../network/network-record.ts';
import { cgroupsPathFor } from '../../drivers/cgroups/paths.ts';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** A container's health, in the shape of Docker's State.Health. */
export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[];
}

export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** Only for a container with a healthcheck, once started. */
  health?: HealthState;
}

export interface ContainerRecord {
  id: string;
  /** With Docker's leading slash: "/web". */
  name: string;
  created: string;
  /** Image ID (sha256:…) the container was created from. */
  image: string;
  /** The layer chain of the image (top layer is the last diffId). */
  imageChainId: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** The command as the runtime runs it: path and args (Docker's Path/Args). */
  path: string;
  args: string[];
  state: ContainerState;
  restartCount: number;
  /** Whether a user explicitly stopped it (restart policies honour this). */
  manuallyStopped?: boolean;
  /** How the container's network namespace is provided. */
  networkMode: string;
  /** The container's networks by name, in connection order (see network/network-record.ts). */
  networks?: Record<string, EndpointRecord>;
  /** Its network namespace and published ports while it runs (or is prepared to run). */
  sandbox?: SandboxRecord;
  /**
   * Its volumes (and the binds it took with `--volumes-from`), resolved at
   * create: anonymous volumes named, `--volumes-from` copied, so that every
   * later start, inspect and removal sees the same ones (volume-mounts.ts).
   */
  mountPoints?: StoredMountPoint[];
}

/** A mount point resolved at create (moby's MountPoint, as far as Berth needs it). */
export interface StoredMountPoint {
  type: 'volume' | 'bind';
  /** The volume's name ('' for a bind). */
  name: string;
  /** The host path: a bind's, or the volume's mountpoint (`<dataRoot>/volumes/<name>/_data`). */
  source: string;
  destination: string;
  rw: boolean;
  /** inspect's `Mode`. */
  mode: string;
  /** inspect's `Propagation` ('' for a volume). */
  propagation: string;
  /** The volume's driver ('local'). */
  driver: string;
  /** The volume was named by the user (`-v name:/x`, `--mount source=name`): `rm -v` keeps it. */
  named: boolean;
  /** Filled with the image's content at create when empty (not `nocopy`, not from `--volumes-from`). */
  copyData: boolean;
  /** Berth: an id-mapped mount's MAPPING (idmap-option.ts). */
  idmap?: string;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function newState(): ContainerState {
  return { status: 'created', pid: 0, exitCode: 0, error: '', oomKilled: false, startedAt: ZERO_TIME, finishedAt: ZERO_TIME };
}

/** Where one container's files live. Derived, never stored. */
export interface ContainerPaths {
  dir: string;
  record: string;
  /** OCI bundle dir (config.json lives here). */
  bundle: string;
  /** The init layer of a container created before the shared one (see init-layer.ts); absent for newer ones. */
  init: string;
  upper: string;
  work: string;
  merged: string;
  /** The /dev/shm tmpfs of an `IpcMode: shareable` container, mounted on the host so others can join it. */
  shm: string;
  log: string;
  hostname: string;
  hosts: string;
  resolvConf: string;
}

export function containerPaths(dataRoot: string, id: string): ContainerPaths {
  const dir = `${dataRoot}/containers/${id}`;
  return {
    dir,
    record: `${dir}/config.v2.json`,
    bundle: `${dir}/bundle`,
    init: `${dir}/fs/init`,
    upper: `${dir}/fs/upper`,
    work: `${dir}/fs/work`,
    merged: `${dir}/fs/merged`,
    shm: `${dir}/mounts/shm`,
    log: `${dir}/${id}-json.log`,
    hostname: `${dir}/hostname`,
    hosts: `${dir}/hosts`,
    resolvConf: `${dir}/resolv.conf`,
  };
}

/** The container's cgroup: `<CgroupParent or /berth>/<id>`, as dockerd places it under --cgroup-parent. */
export function cgroupsPathOf(record: ContainerRecord): string {
  return cgroupsPathFor(record.id, record.hostConfig.CgroupParent || undefined);
}
