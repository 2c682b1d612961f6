/**
 * The `filters` of GET /networks and POST /networks/prune, as dockerd 20.10
 * applies them (daemon/network/filter.go, daemon/prune.go), pure. Errors and
 * statuses were asked of the reference engine:
 *
 * list: keys other than dangling, driver, id, label, name, scope, type →
 * 400 "Invalid filter 'foo'"; then `dangling` with two values or a value
 * other than true/1/false/0 → 400; then a `type` other than custom/builtin
 * → 500 "invalid filter: 'type'='bogus'" (even when nothing is left to filter).
 * `name` and `id` are regular expressions matched anywhere (an exact match
 * first; an invalid expression matches nothing); `driver` and `scope` are
 * exact; every `label` (key or key=value) must match. `type` regroups the
 * result in the order of its values.
 *
 * prune: keys other than until, label, label! → 400; `until` twice → 500
 * "more than one until filter specified", unreadable → 500 "failed to parse
 * value as time or duration: \"x\"". A network is pruned when it is not
 * predefined, has no endpoint, was created at or before `until`, matches
 * every `label` and not every `label!`.
 */
import { matchesAny } from '../../util/filter-match.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { parseTimeValue } from '../../util/timestamp.ts';
import { invalidTypeFilter } from './errors.ts';
import type { NetworkRecord } from './network-record.ts';

/** Filters as routes hand them over (`queryFilters`), or as a plain object. */
export type NetworkFilters = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;

/** A network and whether any container has an endpoint on it. */
export interface NetworkInUse {
  record: NetworkRecord;
  hasEndpoints: boolean;
}

const LIST_KEYS = new Set(['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']);
const PRUNE_KEYS = new Set(['until', 'label', 'label!']);

function toMap(filters: NetworkFilters): Map<string, string[]> {
  const entries: [string, readonly string[]][] = filters instanceof Map ? [...filters.entries()] : Object.entries(filters as Record<string, readonly string[]>);
  // dockerd holds each key's values as a set.
  return new Map(entries.map(([k, v]) => [k, [...new Set(v)]]));
}

function checkKeys(filters: Map<string, string[]>, accepted: Set<string>): void {
  for (const key of filters.keys()) if (!accepted.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
}

/**
 * `bridge`, `host` and `none` (the records flagged predefined). Not by name:
 * the reference engine lists a user network named `ingress` as custom and
 * dangling, and prunes it.
 */
function isPredefinedNetwork(record: Pick<NetworkRecord, 'predefined'>): boolean {
  return record.predefined;
}

/** filters.Args.MatchKVList: every value ("key" or "key=value") is among the labels. */
export function labelsMatch(values: readonly string[], labels: Readonly<Record<string, string>>): boolean {
  if (values.length === 0) return true;
  if (Object.keys(labels).length === 0) return false;
  return values.every((v) => {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    if (!Object.prototype.hasOwnProperty.call(labels, key)) return false;
    return eq < 0 || labels[key] === v.slice(eq + 1);
  });
}

/** GET /networks: the networks the filters keep, in dockerd's order; throws its errors for bad filters. */
export function filterNetworks<T extends NetworkInUse>(networks: readonly T[], filters: NetworkFilters): T[] {
  const f = toMap(filters);
  checkKeys(f, LIST_KEYS);
  const has = (k: string) => (f.get(k)?.length ?? 0) > 0;
  let out = networks.filter(({ record: n }) => {
    if (has('driver') && !f.get('driver')!.includes(n.driver)) return false;
    if (has('name') && !matchesAny(f.get('name')!, n.name)) return false;
    if (has('id') && !matchesAny(f.get('id')!, n.id)) return false;
    if (has('label') && !labelsMatch(f.get('label')!, n.labels)) return false;
    // Every local network's scope is "local".
    if (has('scope') && !f.get('scope')!.includes('local')) return false;
    return true;
  });
  const dangling = f.get('dangling') ?? [];
  if (dangling.length > 1) throw new InvalidParameterError('got more than one value for filter key "dangling"');
  if (dangling.length === 1) {
    const value = dangling[0]!;
    if (!['0', 'false', '1', 'true'].includes(value)) {
      throw new InvalidParameterError('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")');
    }
    const danglingOnly = value === '1' || value === 'true';
    out = out.filter((n) => {
      const used = isPredefinedNetwork(n.record) || n.hasEndpoints;
      return danglingOnly ? !used : used;
    });
  }
  if (f.has('type')) {
    const grouped: T[] = [];
    for (const t of f.get('type')!) {
      if (t !== 'builtin' && t !== 'custom') throw invalidTypeFilter(t);
      grouped.push(...out.filter((n) => isPredefinedNetwork(n.record) === (t === 'builtin')));
    }
    out = grouped;
  }
  return out;
}

/**
 * POST /networks/prune: checks the filters (throwing dockerd's errors) and
 * returns whether a network is to be removed. `nowMs` anchors a relative
 * `until` ("24h").
 */
export function networkPruneMatcher(filters: NetworkFilters, nowMs: number): (network: NetworkInUse) => boolean {
  const f = toMap(filters);
  checkKeys(f, PRUNE_KEYS);
  const untilValues = f.get('until') ?? [];
  if (untilValues.length > 1) throw new SystemError('more than one until filter specified');
  let untilMs: number | undefined;
  if (f.has('until')) {
    const value = untilValues[0] ?? '';
    untilMs = value === '' ? NaN : parseTimeValue(value, nowMs);
    if (Number.isNaN(untilMs)) throw new SystemError(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
  }
  const labels = f.get('label') ?? [];
  const notLabels = f.get('label!');
  return ({ record, hasEndpoints }) => {
    if (isPredefinedNetwork(record) || hasEndpoints) return false;
    if (untilMs !== undefined && Date.parse(record.created) > untilMs) return false;
    if (!labelsMatch(labels, record.labels)) return false;
    // As dockerd: a `label!` key with no value excludes every network.
    if (notLabels !== undefined && labelsMatch(notLabels, record.labels)) return false;
    return true;
  };
}
