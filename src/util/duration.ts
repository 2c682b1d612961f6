/**
 * Go's time.ParseDuration and time.Duration.String, in nanoseconds: the
 * one implementation for the CLI's flags, the builder (HEALTHCHECK, history
 * text) and compose (which also reads `d` and `w`, as compose-go's
 * str2duration). Errors carry Go's messages.
 */
const GO_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** compose-go's extra units. */
export const DAY_WEEK_UNITS: Readonly<Record<string, number>> = { d: 86400e9, w: 7 * 86400e9 };

/** "1h2m3.5s", "300ms", "-1.5h" → nanoseconds; `extraUnits` adds units beside Go's. */
export function parseGoDuration(text: string, extraUnits: Readonly<Record<string, number>> = {}): number {
  const quoted = JSON.stringify(text);
  const bad = () => new Error(`time: invalid duration ${quoted}`);
  const units = Object.entries({ ...GO_UNITS, ...extraUnits }).sort((a, b) => b[0].length - a[0].length);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === '' || m[0] === '.') throw bad();
    s = s.slice(m[0].length);
    const unit = units.find(([u]) => s.startsWith(u));
    if (!unit) {
      if (s === '') throw new Error(`time: missing unit in duration ${quoted}`);
      throw new Error(`time: unknown unit ${JSON.stringify(/^[^\d.]*/.exec(s)![0])} in duration ${quoted}`);
    }
    s = s.slice(unit[0].length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit[1];
  }
  return sign * Math.round(total);
}

/** v in units of 10^-prec, with trailing zeros dropped (Go's fmtFrac). */
function fraction(v: number, prec: number): string {
  const digits = String(v % 10 ** prec).padStart(prec, '0').replace(/0+$/, '');
  return digits ? `.${digits}` : '';
}

/** time.Duration.String(): `1h2m3.5s`, `500ms`, `0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  const u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${Math.floor(u / 1e3)}${fraction(u % 1e3, 3)}µs`;
    else out = `${Math.floor(u / 1e6)}${fraction(u % 1e6, 6)}ms`;
  } else {
    const secs = Math.floor(u / 1e9);
    const frac = fraction(u % 1e9, 9);
    const h = Math.floor(secs / 3600);
    const m = Math.floor((secs % 3600) / 60);
    const sec = `${secs % 60}${frac}s`;
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? `-${out}` : out;
}
