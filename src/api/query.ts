/** Helpers to read Docker's query parameters the way dockerd reads them. */
import { InvalidParameterError, SystemError } from '../util/errors.ts';

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

/**
 * Docker's `filters` parameter: JSON, either {"key":["v1","v2"]} or the old
 * {"key":{"v1":true}} form. Returns key → values.
 */
export function queryFilters(q: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const raw = q.get('filters');
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidParameterError(`invalid filter: ${raw}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidParameterError(`invalid filter: ${raw}`);
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) out.set(key, value.map(String));
    else if (typeof value === 'object' && value !== null) out.set(key, Object.keys(value));
    else throw new InvalidParameterError(`invalid filter: ${raw}`);
  }
  return out;
}
