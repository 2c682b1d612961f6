/**
 * A container's mounts, computed in ONE place from its HostConfig: the `-v`
 * binds (`Binds`), then the `--mount` binds and tmpfs (`Mounts`), and later
 * volumes. Three views are taken of the same list: the runtime spec's
 * mounts, inspect's `Mounts`, and what `docker cp` sees over the rootfs.
 * Pure: creating a missing bind source is the caller's (`mountSourcesToCreate`).
 */
import path from 'node:path';
import type { ResolvedMount } from '../../drivers/runtime/spec/mounts.ts';
import type { MountPointWire } from '../../wire/container.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import type { MountPoint } from './archive.ts';
import { parseBind } from './binds.ts';
import { idmapOfMount } from './idmap-option.ts';
import type { ContainerPaths } from './record.ts';

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
  /** Berth: an id-mapped mount's MAPPING (idmap-option.ts; idmap.ts stages the mount). */
  idmap?: string;
}

export function containerMounts(h: Pick<HostConfig, 'Binds' | 'Mounts'>): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const spec of h.Binds ?? []) {
    const b = parseBind(spec);
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
    const propagation = m.BindOptions?.Propagation || 'rprivate';
    mounts.push({
      type: m.Type === 'volume' ? 'volume' : 'bind',
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
  return mounts;
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
  return mounts.map((m) => ({ Type: m.type, Source: m.source, Destination: m.destination, Mode: m.mode, RW: m.rw, Propagation: m.propagation }));
}

/**
 * What `docker cp` sees over the rootfs, as moby mounts it for archive
 * operations: the host-path mounts, then the generated /etc files where no
 * mount covers them (read-only with a read-only rootfs).
 */
export function archiveMounts(mounts: readonly ContainerMount[], p: Pick<ContainerPaths, 'hostname' | 'hosts' | 'resolvConf'>, readonlyRootfs: boolean): MountPoint[] {
  const out: MountPoint[] = mounts
    .filter((m) => m.type === 'bind' && m.source && m.destination)
    .map((m) => ({ destination: m.destination, source: m.source, readOnly: !m.rw }));
  const taken = new Set(out.map((m) => path.posix.resolve('/', m.destination)));
  for (const [destination, source] of [['/etc/hostname', p.hostname], ['/etc/hosts', p.hosts], ['/etc/resolv.conf', p.resolvConf]] as const) {
    if (!taken.has(destination)) out.push({ destination, source, readOnly: readonlyRootfs });
  }
  return out;
}
