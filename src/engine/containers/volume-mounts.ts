/**
 * A container's volumes resolved at create, as dockerd registers its mount
 * points (moby `daemon/volumes.go` registerMountPoints, then the image's
 * volumes in `create_unix.go`): first every mount of each `--volumes-from`
 * container (read-only with `:ro`, never copied up), then the `-v` binds and
 * the `--mount`s over them (a destination twice among those is refused), then
 * an anonymous volume for each `Config.Volumes` destination nothing else
 * covers (nor a `--tmpfs`). Only volumes, and the binds that came from
 * another container, are stored (the container's own binds are read from its
 * HostConfig each time). Pure: creating the volumes is volume-resource.ts's.
 */
import { idmapOfMount } from './idmap-option.ts';
import path from 'node:path';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { parseBind, parseVolumesFrom } from './binds.ts';
import type { StoredMountPoint } from './record.ts';

/** A volume to create (or find: create is idempotent for a name) before the container is. */
export interface VolumeToCreate {
  /** '' for an anonymous volume: the service names it. */
  name: string;
  driver: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
  anonymous: boolean;
}

export interface PlannedMountPoint {
  mount: StoredMountPoint;
  /** Absent for one taken from another container (it exists). */
  create?: VolumeToCreate;
}

const clean = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

/** dockerd's `setBindModeIfNull`: a local volume from `-v` or `--mount` shows Mode "z" when none was given. */
const modeOf = (mode: string, driver: string) => (mode === '' && (driver === '' || driver === 'local') ? 'z' : mode);

/**
 * The plan; `donor(ref)` gives another container's mount points (all of
 * them: its binds, volumes and those it took from others).
 */
export function planMountPoints(
  config: Pick<ContainerConfig, 'Volumes'>,
  h: Pick<HostConfig, 'Binds' | 'Mounts' | 'VolumesFrom' | 'VolumeDriver' | 'Tmpfs'>,
  donor: (ref: string) => StoredMountPoint[],
): PlannedMountPoint[] {
  const planned = new Map<string, PlannedMountPoint>();
  for (const spec of h.VolumesFrom ?? []) {
    const { container, mode } = parseVolumesFrom(spec);
    const readOnly = mode.split(',').includes('ro');
    for (const m of donor(container)) planned.set(m.destination, { mount: { ...m, rw: m.rw && !readOnly, mode: '', copyData: false } });
  }
  const own = new Set<string>();
  for (const spec of h.Binds ?? []) {
    const b = parseBind(spec);
    const destination = clean(b.destination);
    if (own.has(destination)) throw new InvalidParameterError(`Duplicate mount point: ${destination}`);
    own.add(destination);
    if (!b.volume) {
      planned.delete(destination);
      continue;
    }
    const driver = h.VolumeDriver || 'local';
    const words = b.mode === '' ? [] : b.mode.split(',');
    const mount: StoredMountPoint = {
      type: 'volume', name: b.source, source: '', destination, rw: b.rw, mode: modeOf(b.mode, driver), propagation: '', driver, named: b.source !== '', copyData: !words.includes('nocopy'),
    };
    if (b.idmap !== undefined) mount.idmap = b.idmap;
    planned.set(destination, { mount, create: { name: b.source, driver: h.VolumeDriver ?? '', anonymous: b.source === '' } });
  }
  for (const m of h.Mounts ?? []) {
    const destination = clean(m.Target ?? '');
    if (own.has(destination)) throw new InvalidParameterError(`Duplicate mount point: ${m.Target ?? ''}`);
    if (m.Type !== 'volume') {
      planned.delete(destination);
      continue;
    }
    const o = m.VolumeOptions;
    const driver = o?.DriverConfig?.Name || 'local';
    const name = m.Source ?? '';
    const mount: StoredMountPoint = {
      type: 'volume', name, source: '', destination, rw: !m.ReadOnly, mode: modeOf('', driver), propagation: '', driver, named: name !== '', copyData: !o?.NoCopy,
    };
    const idmap = idmapOfMount(m);
    if (idmap !== undefined) mount.idmap = idmap;
    const create: VolumeToCreate = { name, driver: o?.DriverConfig?.Name ?? '', anonymous: name === '' };
    if (o?.DriverConfig?.Options && Object.keys(o.DriverConfig.Options).length) create.driverOpts = o.DriverConfig.Options;
    if (o?.Labels && Object.keys(o.Labels).length) create.labels = o.Labels;
    planned.set(destination, { mount, create });
  }
  const tmpfs = new Set(Object.keys(h.Tmpfs ?? {}));
  for (const spec of Object.keys(config.Volumes ?? {})) {
    const destination = clean(spec);
    if (planned.has(destination) || own.has(destination) || tmpfs.has(destination)) continue;
    const driver = h.VolumeDriver || 'local';
    planned.set(destination, {
      mount: { type: 'volume', name: '', source: '', destination, rw: true, mode: '', propagation: '', driver, named: false, copyData: true },
      create: { name: '', driver: h.VolumeDriver ?? '', anonymous: true },
    });
  }
  return [...planned.values()];
}

/** The volume names a container's record holds (what `usersOf` looks for). */
export function volumeNamesOf(mountPoints: readonly StoredMountPoint[] | undefined): string[] {
  return (mountPoints ?? []).filter((m) => m.type === 'volume').map((m) => m.name);
}
