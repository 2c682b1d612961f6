/**
 * The few Go formatting verbs whose output dockerd's classic builder writes
 * into history entries (`created_by`) and its output: `%q` of a string or a
 * string slice, `%v` of a string slice, time.Duration's String() and
 * ParseDuration, and the `%q` of a HealthConfig (`HEALTHCHECK &{["CMD-SHELL"
 * "true"] "5s" "0s" "0s" '\x02'}`). Pure.
 */
import { InvalidParameterError } from '../../util/errors.ts';

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Printable as Go's unicode.IsPrint sees it, near enough: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

function quoteWith(s: string, quote: '"' | "'"): string {
  let out = quote;
  for (const ch of s) {
    if (ch === quote) out += `\\${quote}`;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (isPrint(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
      else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
      else out += `\\U${hex(cp, 8)}`;
    }
  }
  return out + quote;
}

/** strconv.Quote (`%q` of a string). */
export function goQuote(s: string): string {
  return quoteWith(s, '"');
}

/** `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

/** `%v` of a []string: `[a b]`. */
export function goList(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}

/** `%q` of an int: the rune it is, quoted (`'\x02'`, `'A'`). */
export function goQuoteRune(n: number): string {
  return quoteWith(String.fromCodePoint(n), "'");
}

const UNITS: [string, number][] = [
  ['ns', 1],
  ['us', 1e3],
  ['µs', 1e3],
  ['μs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
];

/** time.ParseDuration, in nanoseconds. */
export function parseGoDuration(text: string): number {
  const bad = () => new InvalidParameterError(`time: invalid duration ${goQuote(text)}`);
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
    const unit = UNITS.filter(([u]) => s.startsWith(u)).sort((a, b) => b[0].length - a[0].length)[0];
    if (!unit) throw new InvalidParameterError(`time: ${s === '' ? 'missing' : 'unknown'} unit ${s === '' ? '' : goQuote(/^[^\d.]*/.exec(s)![0]) + ' '}in duration ${goQuote(text)}`.replace('  ', ' '));
    s = s.slice(unit[0].length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * unit[1];
  }
  return sign * Math.round(total);
}

function fraction(v: number, prec: number): string {
  // v in units of 10^-prec; trailing zeros dropped, as Go's fmtFrac.
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

export interface HealthConfigLike {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** `%q` of a *HealthConfig, as dockerd 20.10 writes it after `HEALTHCHECK ` (StartInterval only when set: a newer field). */
export function goQuoteHealthcheck(h: HealthConfigLike): string {
  const durations = [h.Interval, h.Timeout, h.StartPeriod, ...(h.StartInterval ? [h.StartInterval] : [])].map((d) => goQuote(formatGoDuration(d ?? 0)));
  return `&{${goQuoteList(h.Test ?? [])} ${durations.join(' ')} ${goQuoteRune(h.Retries ?? 0)}}`;
}
