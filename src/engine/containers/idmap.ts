/**
 * Id-mapped binds and volumes (a Berth extension; moby#7198): a container
 * user writes into a host directory owned by another uid, and the files are
 * owned on the host by that uid. How it is asked for, and the MAPPING
 * grammar: idmap-option.ts. This module checks it at create and makes the
 * mounts, as a container resource.
 *
 * runc 1.1 makes no id-mapped mounts, so the daemon does: at spec time
 * (`spec`), for each id-mapped mount, an id-mapped clone of its source is
 * attached at `<exec-root>/idmap/<container>/<n>` (drivers/mount/idmap-mount.ts)
 * and the spec binds that instead of the source (a bind of an id-mapped
 * mount keeps the mapping). Once the runtime has made the container
 * (`start`), which then holds its own copy, the staging mount is taken off;
 * an exit or removal before that takes it off too, and the daemon's start
 * sweeps whatever a crash left (`sweep`). The staging root is deliberately
 * not under `<exec-root>/containers/<id>`, which the runtime driver removes
 * recursively. Containers without an id-mapped mount pay nothing: every
 * hook returns at once, without a promise.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mountIdmapped, sweepIdmapped, unmountIdmapped } from '../../drivers/mount/idmap-mount.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import { parseBind } from './binds.ts';
import { containerMounts, type ContainerMount } from './container-mounts.ts';
import type { ContainerResource, SpecContribution } from './container-resources.ts';
import { idmapOfMount, parseIdmap } from './idmap-option.ts';
import type { ContainerRecord, StoredMountPoint } from './record.ts';

/**
 * The create-time check (before the image is looked up): every idmap
 * given parses, on a bind or volume; a 400 naming the mount and the part.
 * A `-v` that does not parse otherwise is left to the mount-point check,
 * which reports it with dockerd's words.
 */
export function checkIdmaps(h: Pick<HostConfig, 'Binds' | 'Mounts'>): void {
  for (const spec of h.Binds ?? []) {
    if (!spec.includes('idmap')) continue;
    let bind: ReturnType<typeof parseBind>;
    try {
      bind = parseBind(spec);
    } catch {
      continue; // dockerd's own error comes from checkMountPoints
    }
    if (bind.idmap === undefined) continue;
    try {
      parseIdmap(bind.idmap);
    } catch (err) {
      throw new InvalidParameterError(`invalid volume specification: '${spec}': ${(err as Error).message}`);
    }
  }
  for (const m of h.Mounts ?? []) {
    const text = idmapOfMount(m);
    if (text === undefined) continue;
    const type = m.Type ?? '';
    if (type !== 'bind' && type !== 'volume') throw new InvalidParameterError(`invalid mount config for type "${type}": idmap is only for bind and volume mounts`);
    try {
      parseIdmap(text);
    } catch (err) {
      throw new InvalidParameterError(`invalid mount config for type "${type}": ${(err as Error).message}`);
    }
  }
}

/** Whether any mount of the container is id-mapped (a scan of strings: on every start's path). */
export function hasIdmap(h: Pick<HostConfig, 'Binds' | 'Mounts'>, mountPoints?: readonly StoredMountPoint[]): boolean {
  return Boolean(h.Binds?.some((b) => b.includes('idmap')) || h.Mounts?.some((m) => idmapOfMount(m) !== undefined) || mountPoints?.some((m) => m.idmap !== undefined));
}

/** Where a container's id-mapped mounts are staged. */
export function idmapStagingDir(execRoot: string, id: string): string {
  return `${execRoot}/idmap/${id}`;
}

/**
 * The mounts with each id-mapped one's source replaced by its staging
 * directory (`<dir>/<n>`, n counting the id-mapped mounts in order): what
 * the runtime binds. The same list when none is id-mapped.
 */
export function withIdmapStaging(mounts: ContainerMount[], dir: string): ContainerMount[] {
  if (!mounts.some((m) => m.idmap !== undefined)) return mounts;
  let n = 0;
  return mounts.map((m) => (m.idmap === undefined ? m : { ...m, source: `${dir}/${n++}` }));
}

export interface IdmapMountsOptions {
  execRoot: string;
  /** A named volume's directory (for `-v NAME:DST:idmap=…` and `--mount type=volume`). */
  volumePath?(name: string): string;
}

const NOTHING: SpecContribution = {};

/** The lifecycle of a container's staging mounts (see the header). */
export class IdmapMounts implements ContainerResource {
  readonly name = 'idmap';

  constructor(private readonly o: IdmapMountsOptions) {}

  /** Before the runtime makes the container: the staging mounts its spec binds. */
  spec(record: ContainerRecord): SpecContribution {
    if (!hasIdmap(record.hostConfig, record.mountPoints)) return NOTHING;
    const dir = idmapStagingDir(this.o.execRoot, record.id);
    const mounts = containerMounts(record).filter((m) => m.idmap !== undefined);
    mounts.forEach((m, n) => {
      const source = this.sourceOf(m);
      // `-v` makes a missing source; its mkdir may not have run yet (it runs beside this hook).
      if (m.createSource && !existsSync(source)) mkdirSync(source, { recursive: true });
      mountIdmapped(source, `${dir}/${n}`, parseIdmap(m.idmap!), !m.options.includes('bind'));
    });
    return NOTHING;
  }

  /** The runtime made the container, which holds its own copies: the staging mounts go. */
  start(record: ContainerRecord): void {
    this.release(record);
  }

  exit(record: ContainerRecord): void {
    this.release(record);
  }

  remove(record: ContainerRecord): void {
    this.release(record);
  }

  /** At daemon start, before containers are re-adopted: nothing staged outlives a start. */
  sweep(): void {
    sweepIdmapped(`${this.o.execRoot}/idmap`);
  }

  private release(record: ContainerRecord): void {
    if (!hasIdmap(record.hostConfig, record.mountPoints)) return;
    const dir = idmapStagingDir(this.o.execRoot, record.id);
    const count = containerMounts(record).filter((m) => m.idmap !== undefined).length;
    for (let n = 0; n < count; n++) unmountIdmapped(`${dir}/${n}`);
    unmountIdmapped(dir);
  }

  private sourceOf(m: ContainerMount): string {
    if (m.source.startsWith('/')) return m.source;
    if (m.source && this.o.volumePath) return this.o.volumePath(m.source);
    throw new SystemError(`idmap: no host directory for the ${m.type} mount at ${m.destination}`);
  }
}
