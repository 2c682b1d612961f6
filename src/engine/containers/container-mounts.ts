/**
 * A container's mounts, computed in ONE place from its HostConfig and the
 * mount points resolved at create: the `-v` binds (`Binds`), the `--mount`
 * binds and tmpfs (`Mounts`), then its volumes and what it took with
 * `--volumes-from` (`record.mountPoints`, volume-mounts.ts). Three views are
 * taken of the same list: the runtime spec's mounts, inspect's `Mounts`, and
 * what `docker cp` sees over the rootfs.
 * Pure: creating a missing bind source is the caller's (`mountSourcesToCreate`).
 */
import path from 'node:path';
import type { ResolvedMount } from '../../drivers/runtime/spec/mounts.ts';
import type { MountPointWire } from '../../wire/container.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import type { MountPoint } from './archive.ts';
import { parseBind } from './binds.ts';
import type { ContainerPaths, ContainerRecord, StoredMountPoint } from './record.ts';
import { idmapOfMount } from './idmap-option.ts';

export interface ContainerMount {
  type: 'bind' | 'tmpfs' | 'volume';
  /** Host path ('' for a tmpfs). */
  source: string;
  destination: string;
  rw: boolean;
  /** inspect's `Mode`: the `-v` MODE text as given, '' otherwise. */
  mode: string;
  /** inspect's `Propagation`. */
  propagation: string;
  /** The runtime's mount options. */
  options: string[];
  /** A missing host source is created at start (`-v` always, `--mount` with CreateMountpoint). */
  createSource: boolean;
  /** A volume's name and driver. */
  name?: string;
  driver?: string;
  /** Berth: an id-mapped mount's MAPPING (idmap-option.ts; idmap.ts stages the mount). */
  idmap?: string;
}

/** A container's mounts; `mountPoints` absent for a container created before volumes. */
export function containerMounts(record: { hostConfig: Pick<HostConfig, 'Binds' | 'Mounts'>; mountPoints?: readonly StoredMountPoint[] }): ContainerMount[] {
  const h = record.hostConfig;
  const mounts: ContainerMount[] = [];
  for (const spec of h.Binds ?? []) {
    const b = parseBind(spec);
    if (b.volume) continue; // resolved at create, in mountPoints
    mounts.push({
      type: b.volume ? 'volume' : 'bind',
      source: b.source,
      destination: b.destination,
      rw: b.rw,
      mode: b.mode,
      propagation: b.propagation,
      options: ['rbind', b.rw ? 'rw' : 'ro', b.propagation],
      createSource: !b.volume,
      ...(b.idmap !== undefined && { idmap: b.idmap }),
    });
  }
  for (const m of h.Mounts ?? []) {
    if (m.Type === 'tmpfs') {
      const options = ['nosuid', 'nodev', 'noexec'];
      if (m.TmpfsOptions?.SizeBytes) options.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode) options.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      if (m.ReadOnly) options.push('ro');
      mounts.push({ type: 'tmpfs', source: '', destination: m.Target ?? '', rw: !m.ReadOnly, mode: '', propagation: '', options, createSource: false });
      continue;
    }
    if (m.Type === 'volume') continue; // resolved at create, in mountPoints
    const propagation = m.BindOptions?.Propagation || 'rprivate';
    mounts.push({
      type: 'bind',
      source: m.Source ?? '',
      destination: m.Target ?? '',
      rw: !m.ReadOnly,
      mode: '',
      propagation,
      options: [m.BindOptions?.NonRecursive ? 'bind' : 'rbind', m.ReadOnly ? 'ro' : 'rw', propagation],
      createSource: Boolean(m.BindOptions?.CreateMountpoint && m.Source),
      ...(idmapOfMount(m) !== undefined && { idmap: idmapOfMount(m) }),
    });
  }
  for (const m of record.mountPoints ?? []) {
    // dockerd binds a volume `rbind` with ro when read-only, and no propagation of its own.
    const options = ['rbind', m.rw ? 'rw' : 'ro', ...(m.propagation ? [m.propagation] : [])];
    // A bind taken from another container has its missing source made at start, as dockerd makes any bind's.
    const mount: ContainerMount = { type: m.type, source: m.source, destination: m.destination, rw: m.rw, mode: m.mode, propagation: m.propagation, options, createSource: m.type === 'bind' };
    if (m.type === 'volume') Object.assign(mount, { name: m.name, driver: m.driver });
    if (m.idmap !== undefined) mount.idmap = m.idmap;
    mounts.push(mount);
  }
  return mounts;
}

/**
 * What another container takes with `--volumes-from` this one: every bind
 * and volume it has (its tmpfs mounts are its own).
 */
export function donorMountPoints(record: Pick<ContainerRecord, 'hostConfig' | 'mountPoints'>): StoredMountPoint[] {
  const own: StoredMountPoint[] = containerMounts({ hostConfig: record.hostConfig })
    .filter((m) => m.type === 'bind')
    .map((m) => ({ type: 'bind', name: '', source: m.source, destination: m.destination, rw: m.rw, mode: m.mode, propagation: m.propagation, driver: '', named: true, copyData: false }));
  const taken = new Set(own.map((m) => m.destination));
  return [...(record.mountPoints ?? []).filter((m) => !taken.has(m.destination)), ...own];
}

/** Host directories to create before the runtime mounts them. */
export function mountSourcesToCreate(mounts: readonly ContainerMount[]): string[] {
  return mounts.filter((m) => m.createSource).map((m) => m.source);
}

/** The spec's view. */
export function toRuntimeMounts(mounts: readonly ContainerMount[]): ResolvedMount[] {
  return mounts.map((m) =>
    m.type === 'tmpfs'
      ? { destination: m.destination, source: 'tmpfs', type: 'tmpfs' as const, options: m.options }
      : { destination: m.destination, source: m.source, type: 'bind' as const, options: m.options },
  );
}

/** inspect's `Mounts`. */
export function toWireMounts(mounts: readonly ContainerMount[]): MountPointWire[] {
  return mounts.map((m) =>
    m.type === 'volume'
      ? { Type: m.type, Name: m.name ?? '', Source: m.source, Destination: m.destination, Driver: m.driver ?? 'local', Mode: m.mode, RW: m.rw, Propagation: m.propagation }
      : { Type: m.type, Source: m.source, Destination: m.destination, Mode: m.mode, RW: m.rw, Propagation: m.propagation },
  );
}

/**
 * What `docker cp` sees over the rootfs, as moby mounts it for archive
 * operations: the host-path mounts and the volumes, then the generated /etc files where no
 * mount covers them (read-only with a read-only rootfs).
 */
export function archiveMounts(mounts: readonly ContainerMount[], p: Pick<ContainerPaths, 'hostname' | 'hosts' | 'resolvConf'>, readonlyRootfs: boolean): MountPoint[] {
  const out: MountPoint[] = mounts
    .filter((m) => (m.type === 'bind' || m.type === 'volume') && m.source && m.destination)
    .map((m) => ({ destination: m.destination, source: m.source, readOnly: !m.rw }));
  const taken = new Set(out.map((m) => path.posix.resolve('/', m.destination)));
  for (const [destination, source] of [['/etc/hostname', p.hostname], ['/etc/hosts', p.hosts], ['/etc/resolv.conf', p.resolvConf]] as const) {
    if (!taken.has(destination)) out.push({ destination, source, readOnly: readonlyRootfs });
  }
  return out;
}
