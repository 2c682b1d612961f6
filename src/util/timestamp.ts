/**
 * The time values dockerd takes in `since`/`until` filters and queries
 * (moby's timetypes.GetTimestamp): a Unix time with optional fraction, a Go
 * duration back from now ("90m", "1h30m"), or a date (RFC 3339 and its
 * shorter forms). Milliseconds since the epoch; NaN when it is none of these.
 */
import { parseGoDuration } from './duration.ts';
import { SystemError } from './errors.ts';

export function parseTimeValue(value: string, nowMs: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  try {
    return nowMs - parseGoDuration(value) / 1e6;
  } catch {
    return Date.parse(value);
  }
}

/**
 * A `since` or `until` parameter (events, logs): undefined when absent or
 * empty, else milliseconds. A value that is no time fails as dockerd's
 * does: it takes it for "seconds[.nanoseconds]" and reports the part
 * strconv.ParseInt refused (a 500: its error is untyped).
 */
export function parseTimeOption(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const t = parseTimeValue(value, nowMs);
  if (!Number.isNaN(t)) return t;
  const dot = value.indexOf('.');
  const [seconds, nanos] = dot < 0 ? [value, undefined] : [value.slice(0, dot), value.slice(dot + 1)];
  const integer = /^[+-]?\d+$/;
  const refused = !integer.test(seconds) || nanos === undefined ? seconds : nanos;
  throw new SystemError(`strconv.ParseInt: parsing ${JSON.stringify(refused)}: ${integer.test(refused) ? 'value out of range' : 'invalid syntax'}`);
}

let anchorMs = Date.now();
let anchorNs = process.hrtime.bigint();

/**
 * Now as dockerd writes its times: RFC 3339 in UTC with nanoseconds and the
 * trailing zeros trimmed (Go's RFC3339Nano). The nanoseconds come from the
 * monotonic clock, re-anchored to the wall clock whenever the two drift apart.
 */
export function nowRfc3339Nano(): string {
  let ns = BigInt(anchorMs) * 1_000_000n + (process.hrtime.bigint() - anchorNs);
  const wall = Date.now();
  if (Math.abs(Number(ns / 1_000_000n) - wall) > 5) {
    anchorMs = wall;
    anchorNs = process.hrtime.bigint();
    ns = BigInt(wall) * 1_000_000n;
  }
  const ms = Number(ns / 1_000_000n);
  const fraction = String(ns % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** A key that sorts RFC 3339 UTC times ("…:05Z", "…:05.1Z", "…:05.123456789Z") in time order. */
export function timeSortKey(time: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : time;
}
