/**
 * Durations and sizes as compose-go reads and prints them: durations by
 * str2duration (Go's units plus `d` and `w`), printed as Go's
 * time.Duration.String ("1m30s", "1h0m0s"); sizes by go-units RAMInBytes
 * (binary multipliers, "512m", "1gb"), printed as a byte count.
 */
import { DAY_WEEK_UNITS, formatGoDuration, parseGoDuration } from '../../util/duration.ts';

/** A compose duration: Go's units plus `d` and `w` (compose-go's str2duration). */
export function parseDuration(input: string | number): number {
  return parseGoDuration(String(input), DAY_WEEK_UNITS);
}

/** Go's time.Duration.String. */
export const formatDuration = formatGoDuration;

const SIZE_RE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const MULT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A size (number of bytes, or "512m"); -1 stays -1 (unlimited). */
export function parseSize(input: string | number): number {
  if (typeof input === 'number') return input;
  if (/^-?\d+$/.test(input)) return Number(input);
  const m = SIZE_RE.exec(input);
  if (!m) throw new Error(`invalid size: '${input}'`);
  let size = Number.parseFloat(m[1] as string);
  if (m[2]) size *= MULT[m[2].toLowerCase()] ?? 1;
  return Math.trunc(size);
}
