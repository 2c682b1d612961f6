/** Helpers to read Docker's query parameters the way dockerd reads them. */
import { InvalidParameterError, SystemError, asError } from '../util/errors.ts';
import { parseWholeJsonText } from './decode/json-text.ts';

/** dockerd's boolean query values (httputils.BoolValue): "", "0", "no", "false" and "none" are false, anything else true. */
export function queryBool(q: URLSearchParams, name: string, fallback = false): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  const s = v.trim().toLowerCase();
  return !(s === '' || s === '0' || s === 'false' || s === 'no' || s === 'none');
}

/**
 * An integer query parameter read as dockerd's strconv.Atoi reads it, with
 * its words. dockerd answers most of these failures 500 (stop/restart `t`,
 * list `limit`) and some 400 (resize `h`/`w`): `status` says which.
 */
export function queryInt(q: URLSearchParams, name: string, status: 400 | 500 = 500): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const fail = (why: string) => {
    const message = `strconv.Atoi: parsing ${JSON.stringify(v)}: ${why}`;
    return status === 400 ? new InvalidParameterError(message) : new SystemError(message);
  };
  if (!/^[+-]?\d+$/.test(v)) throw fail('invalid syntax');
  const n = BigInt(v);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw fail('value out of range');
  // Past 2^53 the value is only a bound (a timeout or a size), so the nearest double serves.
  return Number(n);
}

/** Go's name for the kind of a JSON value, as its type errors word it. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string', 'number', 'object'
}

const typeError = (value: unknown, goType: string) => `json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`;

/**
 * Docker's `filters` parameter: JSON, either {"key":{"v1":true}} or the
 * older {"key":["v1","v2"]}. Returns key → values. Read as dockerd's
 * filters.FromJSON reads it: the first form, else the older one, else the
 * first form's error, in Go's words; dockerd answers those 500.
 */
export function queryFilters(q: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const raw = q.get('filters');
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = parseWholeJsonText(raw);
  } catch (err) {
    throw new SystemError(asError(err).message);
  }
  if (parsed === null) return out;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new SystemError(typeError(parsed, 'map[string]map[string]bool'));
  let mapError: string | undefined; // the error of the {"key":{"v":true}} form
  let listOk = true; // whether the {"key":["v"]} form reads it
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === null) {
      out.set(key, []);
    } else if (Array.isArray(value)) {
      mapError ??= typeError(value, 'map[string]bool');
      if (value.some((v) => v !== null && typeof v !== 'string')) listOk = false;
      out.set(key, value.map((v) => (v === null ? '' : String(v))));
    } else if (typeof value === 'object') {
      listOk = false;
      const bad = Object.values(value).find((v) => v !== null && typeof v !== 'boolean');
      if (bad !== undefined) mapError ??= typeError(bad, 'bool');
      out.set(key, Object.keys(value));
    } else {
      mapError ??= typeError(value, 'map[string]bool');
      listOk = false;
    }
  }
  if (mapError !== undefined && !listOk) throw new SystemError(mapError);
  return out;
}
