/**
 * Durations and sizes as compose-go reads and prints them: durations by
 * str2duration (Go's units plus `d` and `w`), printed as Go's
 * time.Duration.String ("1m30s", "1h0m0s"); sizes by go-units RAMInBytes
 * (binary multipliers, "512m", "1gb"), printed as a byte count.
 */
const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9, w: 7 * 86400e9 };

export function parseDuration(input: string | number): number {
  const text = String(input);
  const bad = () => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0;
  while (s.length > 0) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/.exec(s);
    if (!m) throw bad();
    total += Number(m[1]) * (UNITS[m[2] as string] as number);
    s = s.slice(m[0].length);
  }
  return Math.round(sign * total);
}

function fmtFrac(v: number, prec: number): string {
  // v is an integer count of 10^-prec units; print it with trailing zeros removed.
  const int = Math.floor(v / 10 ** prec);
  let frac = String(v % 10 ** prec).padStart(prec, '0').replace(/0+$/, '');
  if (frac) frac = '.' + frac;
  return `${int}${frac}`;
}

/** Go's time.Duration.String. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${fmtFrac(u, 3)}µs`;
    else out = `${fmtFrac(u, 6)}ms`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const s = fmtFrac(u, 9) + 's';
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

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
