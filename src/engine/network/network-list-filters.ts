/**
 * The filters of `GET /networks` and `POST /networks/prune` (pure), with
 * dockerd 20.10's rules and words: list takes dangling, driver, id, label,
 * name, scope and type (name and id as regular expressions matched anywhere,
 * driver exactly); prune takes until, label and label!.
 */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { parseTimeValue } from '../../util/timestamp.ts';
import { invalidTypeFilter } from './errors.ts';
import type { NetworkRecord } from './network-record.ts';

const LIST_KEYS = new Set(['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']);
const PRUNE_KEYS = new Set(['until', 'label', 'label!']);

export type NetworkFilters = Map<string, string[]>;

/** Go's regexp.MatchString for the patterns users write; a pattern that does not compile matches nothing (as dockerd ignores the error). */
function regexMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** `label=k` (key present) and `label=k=v` (that value): every one must hold. */
export function labelsMatch(labels: Record<string, string>, wanted: readonly string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? Object.hasOwn(labels, w) : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/** The checks dockerd makes before listing anything. */
export function checkListFilters(filters: NetworkFilters): void {
  for (const key of filters.keys()) if (!LIST_KEYS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  danglingFilter(filters);
  for (const t of filters.get('type') ?? []) if (t !== 'custom' && t !== 'builtin') throw invalidTypeFilter(t);
}

/** true / false from `dangling`, undefined without it. */
function danglingFilter(filters: NetworkFilters): boolean | undefined {
  const values = filters.get('dangling') ?? [];
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidParameterError('got more than one value for filter key "dangling"');
  const v = values[0]!;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidParameterError(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`);
}

/** The networks a list shows; `inUse` says whether a network has active endpoints. */
export function selectNetworks<T extends NetworkRecord>(networks: readonly T[], filters: NetworkFilters, inUse: (n: T) => boolean): T[] {
  checkListFilters(filters);
  const dangling = danglingFilter(filters);
  const any = (key: string, test: (v: string) => boolean) => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(test);
  };
  const selected = networks.filter((n) => {
    if (!any('driver', (v) => v === n.driver)) return false;
    if (!any('name', (v) => regexMatch(v, n.name))) return false;
    if (!any('id', (v) => regexMatch(v, n.id))) return false;
    if (!any('scope', (v) => v === 'local')) return false;
    if (!labelsMatch(n.labels, filters.get('label') ?? [])) return false;
    // dangling=true: user networks no container uses; false: the others (the predefined ones always among them).
    if (dangling !== undefined && dangling === (n.predefined || inUse(n))) return false;
    return true;
  });
  const types = filters.get('type');
  if (!types?.length) return selected;
  // dockerd regroups the list by `type`, in the order of its values.
  return types.flatMap((t) => selected.filter((n) => n.predefined === (t === 'builtin')));
}

/** The networks a prune removes (never predefined, never in use); `nowMs` anchors relative `until` values. */
export function selectPrunable<T extends NetworkRecord>(networks: readonly T[], filters: NetworkFilters, inUse: (n: T) => boolean, nowMs: number): T[] {
  for (const key of filters.keys()) if (!PRUNE_KEYS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  const untilValues = filters.get('until') ?? [];
  if (untilValues.length > 1) throw new SystemError('more than one until filter specified');
  let until: number | undefined;
  if (filters.has('until')) {
    const v = untilValues[0] ?? '';
    until = v === '' ? Number.NaN : parseTimeValue(v, nowMs);
    if (Number.isNaN(until)) throw new SystemError(`failed to parse value as time or duration: ${JSON.stringify(v)}`);
  }
  const notLabels = filters.get('label!');
  return networks.filter((n) => {
    if (n.predefined || inUse(n)) return false;
    if (until !== undefined && Date.parse(n.created) > until) return false;
    if (!labelsMatch(n.labels, filters.get('label') ?? [])) return false;
    // As dockerd: `label!` given with no value at all spares every network.
    if (notLabels !== undefined && labelsMatch(n.labels, notLabels)) return false;
    return true;
  });
}
