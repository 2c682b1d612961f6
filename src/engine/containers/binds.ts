/**
 * `HostConfig.Binds` (`-v SRC:DST[:MODE]`) as dockerd parses them on Linux:
 * an absolute SRC is a bind mount of that host path (created when missing,
 * as `-v` always has); MODE is a comma list of ro/rw, SELinux labels,
 * nocopy, a propagation and the macOS consistency words. A SRC that is a
 * name, or a lone DST, is a volume.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import type { MountPointWire } from '../../wire/container.ts';

export interface Bind {
  source: string;
  destination: string;
  /** The MODE text as given ("" without one), shown in inspect's Mounts. */
  mode: string;
  rw: boolean;
  propagation: string;
  /** A named or anonymous volume rather than a host path. */
  volume: boolean;
}

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const OTHER_MODES = new Set(['z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated']);

function validMode(mode: string): boolean {
  let rw = 0;
  let propagation = 0;
  for (const word of mode.split(',')) {
    if (word === 'ro' || word === 'rw') rw++;
    else if (PROPAGATIONS.has(word)) propagation++;
    else if (!OTHER_MODES.has(word)) return false;
  }
  return rw <= 1 && propagation <= 1;
}

export function parseBind(spec: string): Bind {
  const parts = spec.split(':');
  let source = '';
  let destination: string;
  let mode = '';
  if (parts.length === 1) destination = parts[0]!;
  else if (parts.length === 2 && validMode(parts[1]!) && parts[0]!.startsWith('/')) [destination, mode] = [parts[0]!, parts[1]!];
  else if (parts.length === 2) [source, destination] = [parts[0]!, parts[1]!];
  else if (parts.length === 3) [source, destination, mode] = [parts[0]!, parts[1]!, parts[2]!];
  else throw new InvalidParameterError(`invalid volume specification: '${spec}'`);
  if (source === '' && parts.length > 1 && !(parts.length === 2 && mode !== '')) throw new InvalidParameterError(`invalid volume specification: '${spec}'`);
  if (mode !== '' && !validMode(mode)) throw new InvalidParameterError(`invalid mode: ${mode}`);
  const volume = !source.startsWith('/');
  if (!destination.startsWith('/')) {
    throw new InvalidParameterError(`invalid volume specification: '${spec}': invalid mount config for type "${volume ? 'volume' : 'bind'}": invalid mount path: '${destination}' mount path must be absolute`);
  }
  const words = mode === '' ? [] : mode.split(',');
  const propagation = words.find((w) => PROPAGATIONS.has(w)) ?? (volume ? '' : 'rprivate');
  return { source, destination, mode, rw: !words.includes('ro'), propagation, volume };
}

/** inspect's `Mounts` entries for the binds. */
export function bindMountsWire(binds: readonly string[] | null | undefined): MountPointWire[] {
  return (binds ?? []).map((spec) => {
    const b = parseBind(spec);
    return { Type: 'bind', Source: b.source, Destination: b.destination, Mode: b.mode, RW: b.rw, Propagation: b.propagation };
  });
}
