/**
 * `HostConfig.Binds` (`-v SRC:DST[:MODE]`) as dockerd parses them on Linux:
 * an absolute SRC is a bind mount of that host path (created when missing,
 * as `-v` always has); MODE is a comma list of ro/rw, SELinux labels,
 * nocopy, a propagation and the macOS consistency words. A SRC that is a
 * name, or a lone DST, is a volume.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import { idmapOfMode, isIdmapWord } from './idmap-option.ts';

export interface Bind {
  source: string;
  destination: string;
  /** The MODE text as given ("" without one), shown in inspect's Mounts. */
  mode: string;
  rw: boolean;
  propagation: string;
  /** A named or anonymous volume rather than a host path. */
  volume: boolean;
  /** Berth: the MAPPING of an `idmap=…` MODE word (idmap-option.ts), checked at create. */
  idmap?: string;
}

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const OTHER_MODES = new Set(['z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated']);

function validMode(mode: string): boolean {
  let rw = 0;
  let propagation = 0;
  let idmap = 0;
  for (const word of mode.split(',')) {
    if (word === 'ro' || word === 'rw') rw++;
    else if (PROPAGATIONS.has(word)) propagation++;
    else if (isIdmapWord(word)) idmap++;
    else if (!OTHER_MODES.has(word)) return false;
  }
  return rw <= 1 && propagation <= 1 && idmap <= 1;
}

/**
 * One `HostConfig.VolumesFrom` entry, `CONTAINER[:MODE]`, as dockerd parses
 * it: MODE a bind's mode but without a propagation or nocopy (the volumes
 * keep those of the container they come from).
 */
export function parseVolumesFrom(spec: string): { container: string; mode: string } {
  if (spec === '') throw new InvalidParameterError('volumes-from specification cannot be an empty string');
  const colon = spec.indexOf(':');
  if (colon < 0) return { container: spec, mode: 'rw' };
  const mode = spec.slice(colon + 1);
  const words = mode.split(',');
  if (mode !== '' && (!validMode(mode) || words.some((w) => PROPAGATIONS.has(w) || w === 'nocopy' || isIdmapWord(w)))) throw new InvalidParameterError(`invalid mode: ${mode}`);
  return { container: spec.slice(0, colon), mode: mode || 'rw' };
}

/** dockerd's bind parser fails with untyped errors: a 500. */
const bindError = (message: string) => new SystemError(message);

export function parseBind(spec: string): Bind {
  if (spec === '') throw bindError("invalid volume specification: ''");
  const parts = spec.split(':');
  let source = '';
  let destination: string;
  let mode = '';
  if (parts.length === 1) destination = parts[0]!;
  // A destination and a mode is no volume (`/foo:rw`): refused as dockerd refuses it.
  else if (parts.length === 2 && validMode(parts[1]!)) throw bindError(`invalid volume specification: '${spec}'`);
  else if (parts.length === 2) [source, destination] = [parts[0]!, parts[1]!];
  else if (parts.length === 3) [source, destination, mode] = [parts[0]!, parts[1]!, parts[2]!];
  else throw bindError(`invalid volume specification: '${spec}'`);
  if (source === '' && parts.length > 1) throw bindError(`invalid volume specification: '${spec}'`);
  if (mode !== '' && !validMode(mode)) throw bindError(`invalid mode: ${mode}`);
  const volume = !source.startsWith('/');
  const invalidConfig = (why: string) => bindError(`invalid volume specification: '${spec}': invalid mount config for type "${volume ? 'volume' : 'bind'}": ${why}`);
  if (!destination.startsWith('/')) throw invalidConfig(`invalid mount path: '${destination}' mount path must be absolute`);
  if (path.posix.normalize(destination) === '/') throw invalidConfig("invalid specification: destination can't be '/'");
  const words = mode === '' ? [] : mode.split(',');
  // A propagation makes BindOptions, which a volume must not have.
  if (volume && words.some((w) => PROPAGATIONS.has(w))) throw invalidConfig('field BindOptions must not be specified');
  const propagation = words.find((w) => PROPAGATIONS.has(w)) ?? (volume ? '' : 'rprivate');
  const bind: Bind = { source, destination, mode, rw: !words.includes('ro'), propagation, volume };
  const idmap = idmapOfMode(words);
  if (idmap !== undefined) bind.idmap = idmap;
  return bind;
}

/**
 * `HostConfig.Mounts` (`--mount`) as dockerd checks them at create (moby
 * `volume/mounts/linux_parser.go`), with its words. Unlike `-v`, a bind's
 * source must exist (unless `CreateMountpoint`). A volume's name and driver
 * are the volume service's to check, when it is created.
 */
export function checkMounts(hostConfig: HostConfig): void {
  for (const m of hostConfig.Mounts ?? []) {
    const type = m.Type ?? '';
    const bad = (why: string) => new InvalidParameterError(`invalid mount config for type "${type}": ${why}`);
    if (type !== 'bind' && type !== 'tmpfs' && type !== 'volume') throw bad('mount type unknown');
    if (!m.Target) throw bad('field Target must not be empty');
    if (!m.Target.startsWith('/')) throw bad(`invalid mount path: '${m.Target}' mount path must be absolute`);
    if (path.posix.normalize(m.Target) === '/') throw bad("invalid specification: destination can't be '/'");
    if (type === 'bind') {
      if (!m.Source) throw bad('field Source must not be empty');
      const propagation = m.BindOptions?.Propagation;
      if (propagation && !PROPAGATIONS.has(propagation)) throw bad(`invalid propagation mode: ${propagation}`);
      if (m.VolumeOptions) throw bad('field VolumeOptions must not be specified');
      if (!m.Source.startsWith('/')) throw bad(`invalid mount path: '${m.Source}' mount path must be absolute`);
      if (!m.BindOptions?.CreateMountpoint && !existsSync(m.Source)) throw bad(`bind source path does not exist: ${m.Source}`);
    } else if (type === 'tmpfs') {
      if (m.Source) throw bad('field Source must not be specified');
      if (m.BindOptions) throw bad('field BindOptions must not be specified');
    } else {
      if (m.BindOptions) throw bad('field BindOptions must not be specified');
      if (m.ReadOnly && !m.Source) throw bad('must not set ReadOnly mode when using anonymous volumes');
    }
  }
}

/**
 * The container's mount points as dockerd registers them, once the image is
 * found: each bind parsed, then no destination twice among binds and mounts,
 * nor a bind's at a tmpfs mount.
 */
export function checkMountPoints(hostConfig: HostConfig): void {
  const seen = new Set<string>();
  const claim = (destination: string) => {
    const clean = destination.replace(/\/+$/, '') || '/';
    if (seen.has(clean)) throw new InvalidParameterError(`Duplicate mount point: ${clean}`);
    seen.add(clean);
  };
  const tmpfs = hostConfig.Tmpfs ?? {};
  for (const spec of hostConfig.Binds ?? []) {
    const bind = parseBind(spec);
    // dockerd compares a bind with the tmpfs mounts (by their exact text), but not a --mount with them.
    if (Object.hasOwn(tmpfs, bind.destination)) throw new InvalidParameterError(`Duplicate mount point: ${bind.destination}`);
    claim(bind.destination);
  }
  for (const m of hostConfig.Mounts ?? []) claim(m.Target ?? '');
}
