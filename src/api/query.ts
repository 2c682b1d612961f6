/** Helpers to read Docker's query parameters the way dockerd reads them. */
import { InvalidParameterError } from '../util/errors.ts';

/** dockerd's boolean query values (httputils.BoolValue): "", "0", "no", "false" and "none" are false, anything else true. */
export function queryBool(q: URLSearchParams, name: string, fallback = false): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  const s = v.trim().toLowerCase();
  return !(s === '' || s === '0' || s === 'false' || s === 'no' || s === 'none');
}

export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidParameterError(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
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
