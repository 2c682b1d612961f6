/**
 * The few Go formatting verbs whose output dockerd's classic builder writes
 * into history entries (`created_by`) and its output: `%q` of a string or a
 * string slice, `%v` of a string slice, and the `%q` of a HealthConfig (`HEALTHCHECK &{["CMD-SHELL"
 * "true"] "5s" "0s" "0s" '\x02'}`). Pure.
 */
import { formatGoDuration } from '../../util/duration.ts';

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
