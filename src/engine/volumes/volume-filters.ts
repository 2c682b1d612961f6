/**
 * The `filters` of GET /volumes and POST /volumes/prune, as dockerd applies
 * them (volumes/service/convert.go and service.go), pure.
 *
 * list: keys dangling, name, driver, label (others → 400 "Invalid filter
 * 'foo'"); `driver` exact; `name` an exact match or a regular expression
 * found anywhere; every `label` ("key" or "key=value") must match;
 * `dangling` true/1 keeps volumes no container uses, false/0 the others,
 * anything else → 400 "Invalid filter 'dangling=[x]'".
 *
 * prune: keys label, label!, all. Unless `all` is true (API ≥ 1.42: the
 * route adds it for older clients), only anonymous volumes (labelled
 * `com.docker.volume.anonymous`) go. A volume in use never goes; every
 * `label` must match, and a volume matching every `label!` is kept.
 */
import { matchesAny } from '../../util/filter-match.ts';
import { labelsMatch } from '../network/network-filters.ts';
import { invalidFilterKey, invalidFilterValue } from './errors.ts';
import type { VolumeRecord } from './volume-record.ts';

/** Filters as routes hand them over (`queryFilters`), or as a plain object. */
export type VolumeFilters = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;

/** The label dockerd ≥ 23 puts on a container's anonymous volumes. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface VolumeInUse {
  record: VolumeRecord;
  inUse: boolean;
}

const LIST_KEYS = new Set(['dangling', 'name', 'driver', 'label']);
const PRUNE_KEYS = new Set(['label', 'label!', 'all']);

function toMap(filters: VolumeFilters): Map<string, string[]> {
  const entries: [string, readonly string[]][] = filters instanceof Map ? [...filters.entries()] : Object.entries(filters as Record<string, readonly string[]>);
  return new Map(entries.map(([k, v]) => [k, [...new Set(v)]]));
}

function checkKeys(f: Map<string, string[]>, accepted: Set<string>): void {
  for (const key of f.keys()) if (!accepted.has(key)) throw invalidFilterKey(key);
}

/** GET /volumes: the volumes the filters keep; throws dockerd's errors for bad filters. */
export function filterVolumes<T extends VolumeInUse>(volumes: readonly T[], filters: VolumeFilters): T[] {
  const f = toMap(filters);
  checkKeys(f, LIST_KEYS);
  let danglingOnly: boolean | undefined;
  if (f.has('dangling')) {
    const values = f.get('dangling')!;
    // Go's ExactMatch holds for a key given with no value.
    if (values.length === 0 || values.includes('true') || values.includes('1')) danglingOnly = true;
    else if (values.includes('false') || values.includes('0')) danglingOnly = false;
    else throw invalidFilterValue('dangling', values);
  }
  const drivers = f.get('driver') ?? [];
  const names = f.get('name');
  const labels = f.get('label') ?? [];
  return volumes.filter(({ record, inUse }) => {
    if (drivers.length > 0 && !drivers.includes(record.driver)) return false;
    if (names !== undefined && names.length > 0 && !matchesAny(names, record.name)) return false;
    if (!labelsMatch(labels, record.labels ?? {})) return false;
    if (danglingOnly !== undefined && danglingOnly === inUse) return false;
    return true;
  });
}

/** POST /volumes/prune: checks the filters (throwing dockerd's errors) and returns whether a volume goes. */
export function volumePruneMatcher(filters: VolumeFilters): (volume: VolumeInUse) => boolean {
  const f = toMap(filters);
  checkKeys(f, PRUNE_KEYS);
  const all = f.get('all') ?? [];
  let everyVolume = false;
  if (all.length > 1) throw invalidFilterValue('all', all);
  if (all.length === 1) {
    const parsed = parseGoBool(all[0]!);
    if (parsed === undefined) throw invalidFilterValue('all', all);
    everyVolume = parsed;
  }
  const labels = [...(f.get('label') ?? [])];
  if (!everyVolume) labels.push(ANONYMOUS_LABEL);
  const notLabels = f.get('label!');
  return ({ record, inUse }) => {
    if (inUse || record.driver !== 'local') return false;
    const own = record.labels ?? {};
    if (!labelsMatch(labels, own)) return false;
    if (notLabels !== undefined && labelsMatch(notLabels, own)) return false;
    return true;
  };
}

/** strconv.ParseBool. */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}
