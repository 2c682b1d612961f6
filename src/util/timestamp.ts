/**
 * The time values dockerd takes in `since`/`until` filters and queries
 * (moby's timetypes.GetTimestamp): a Unix time with optional fraction, a Go
 * duration back from now ("90m", "1h30m"), or a date (RFC 3339 and its
 * shorter forms). Milliseconds since the epoch; NaN when it is none of these.
 */
import { parseGoDuration } from './duration.ts';

export function parseTimeValue(value: string, nowMs: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  try {
    return nowMs - parseGoDuration(value) / 1e6;
  } catch {
    return Date.parse(value);
  }
}
