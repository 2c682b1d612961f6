/**
 * `--since` / `--until` values as the docker CLI sends them
 * (api/types/time GetTimestamp): a Go duration becomes "now minus it" in
 * unix seconds, a date or RFC 3339 time becomes "seconds.nanoseconds"
 * (local time when it names no zone), and a unix timestamp passes as is.
 * Converting here, not in the daemon, is what lets older engines take them.
 */
import { parseGoDuration } from '../../util/duration.ts';

export function toApiTimestamp(value: string, now: Date = new Date()): string {
  if (value === '') return '';
  if (value !== '0') {
    try {
      const ns = parseGoDuration(value);
      return String(Math.floor((now.getTime() - ns / 1e6) / 1000));
    } catch {
      // not a duration
    }
  }
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) {
    if (value.includes('-')) throw new Error(`parsing time "${value}": cannot parse "${value}" as a time`);
    throw new Error(`failed to parse value as time or duration: "${value}"`);
  }
  const [, date, hh = '00', mm = '00', ss = '00', frac = '', zone] = m;
  const zoneText = zone === undefined ? '' : zone.toUpperCase();
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${zoneText}`);
  if (Number.isNaN(ms)) throw new Error(`failed to parse value as time or duration: "${value}"`);
  const nanos = frac.padEnd(9, '0');
  return `${Math.floor(ms / 1000)}.${nanos}`;
}
