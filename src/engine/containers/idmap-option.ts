/**
 * The idmap option of a bind or volume (a Berth extension; see idmap.ts for
 * the mounts): where it is written, and its MAPPING grammar, podman's
 * (docs.podman.io, podman-run `--mount` … idmap):
 *
 *   -v SRC:DST:[MODE,]idmap=MAPPING          a word of the `-v` MODE, in HostConfig.Binds as written
 *   --mount type=bind,…,idmap=MAPPING        the Engine API's BindOptions.BerthIDMap (VolumeOptions.BerthIDMap
 *                                            for type=volume): an extension field, which dockerd ignores
 *
 *   MAPPING = uids=RANGES;gids=RANGES        either part may be left out: those ids then map to themselves
 *   RANGES  = RANGE[#RANGE…]                 at most 340 (the kernel's limit), not overlapping on either side
 *   RANGE   = [@]HOST-CONTAINER-COUNT
 *
 * COUNT ids from HOST (ids on the host's disk) show in the container as
 * from CONTAINER, and files the container's CONTAINER creates are owned by
 * HOST on the host: `uids=2000-1000-1;gids=2000-1000-1` lets a container
 * user 1000:1000 write into a host directory of 2000:2000. Ids outside the
 * ranges show as 65534 and cannot create files: the container's user AND
 * group must both be mapped. A leading `@` (podman: relative to the
 * container's user namespace) changes nothing here, as containers share
 * the host's user namespace; for the same reason a bare `idmap` (podman:
 * map to the container's user namespace) would map nothing and is refused.
 * Pure.
 */
import { ALL_IDS, type IdMapping, type IdRange } from '../../drivers/mount/idmap-mount.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { Mount } from '../../wire/container-config.ts';

/** uid_map and gid_map take at most this many lines (Linux ≥ 4.15). */
const MAX_RANGES = 340;
/** (uid_t)-1 is no id: ranges end at or below it. */
const ID_LIMIT = 4294967295;
export const IDMAP_SYNTAX = 'idmap=uids=HOST-CONTAINER-COUNT[#…];gids=HOST-CONTAINER-COUNT[#…]';

/** Whether a word of a `-v` MODE is the idmap option (`idmap` or `idmap=…`). */
export function isIdmapWord(word: string): boolean {
  return word === 'idmap' || word.startsWith('idmap=');
}

/** The MAPPING of a `-v` MODE's idmap word ('' for a bare `idmap`), undefined without one. */
export function idmapOfMode(words: readonly string[]): string | undefined {
  const word = words.find(isIdmapWord);
  return word === undefined ? undefined : word.slice('idmap='.length);
}

/** The MAPPING of a `--mount` (its Berth extension field), undefined without one. */
export function idmapOfMount(m: Mount): string | undefined {
  const value: unknown = m.BindOptions?.BerthIDMap ?? m.VolumeOptions?.BerthIDMap;
  return typeof value === 'string' ? value : undefined;
}

/** MAPPING text → ranges, or an InvalidParameterError saying which part is wrong. */
export function parseIdmap(text: string): IdMapping {
  const bad = (why: string) => new InvalidParameterError(`invalid idmap '${text}': ${why}`);
  if (text === '' || text === 'true') {
    throw bad(`a mapping is required (${IDMAP_SYNTAX}): containers share the host's user namespace, so idmap alone maps nothing`);
  }
  const parts: Partial<Record<'uids' | 'gids', IdRange[]>> = {};
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const kind = part.slice(0, eq);
    if (eq < 0 || (kind !== 'uids' && kind !== 'gids')) throw bad(`'${part}' is not uids=RANGES or gids=RANGES`);
    if (parts[kind]) throw bad(`${kind} given twice`);
    parts[kind] = parseRanges(part.slice(eq + 1), kind, bad);
  }
  return { uids: parts.uids ?? [ALL_IDS], gids: parts.gids ?? [ALL_IDS] };
}

function parseRanges(text: string, kind: string, bad: (why: string) => InvalidParameterError): IdRange[] {
  const words = text.split('#');
  if (words.length > MAX_RANGES) throw bad(`more than ${MAX_RANGES} ${kind} ranges`);
  const ranges = words.map((word) => {
    const m = /^@?(\d+)-(\d+)-(\d+)$/.exec(word);
    if (!m) throw bad(`${kind} range '${word}' is not [@]HOST-CONTAINER-COUNT`);
    const [host, container, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (size < 1) throw bad(`${kind} range '${word}' has a count of 0`);
    if (host + size > ID_LIMIT || container + size > ID_LIMIT) throw bad(`${kind} range '${word}' goes past the largest id, ${ID_LIMIT - 1}`);
    return { word, host, container, size };
  });
  for (const side of ['host', 'container'] as const) {
    const sorted = [...ranges].sort((a, b) => a[side] - b[side]);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      if (a[side] + a.size > b[side]) throw bad(`${kind} ranges '${a.word}' and '${b.word}' overlap on the ${side} side`);
    }
  }
  return ranges.map(({ host, container, size }) => ({ host, container, size }));
}
