/**
 * The shell patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`
 * (moby/buildkit shell/lex.go convertShellPatternToRegex): `*` any string,
 * `?` one character, `\` escapes `*`, `?` and `\`; no bracket expressions.
 */
import { LexError } from './lex-error.ts';

const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

function toRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      out += greedy ? '.*' : '.*?';
    } else if (ch === '?') {
      out += '.';
    } else if (ch === '\\') {
      const next = chars[i + 1];
      // `\}` and `\/` inside ${} are escapes of the substitution, not of the pattern.
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new LexError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${next ?? ''}'`);
      }
      out += `\\${next}`;
      i++;
    } else if (REGEX_SPECIAL.has(ch)) {
      out += `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return new RegExp(out, 'u');
}

/** `${VAR#pattern}` (shortest) and `${VAR##pattern}` (greedy). */
export function trimPrefixPattern(pattern: string, value: string, greedy: boolean): string {
  const m = toRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** Reverses a pattern keeping `\x` escapes in front of their character. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    if (chars[i] === '\\' && i !== chars.length - 1) {
      out.unshift('\\', chars[i + 1]!);
      i += 2;
    } else {
      out.unshift(chars[i]!);
      i++;
    }
  }
  return out.join('');
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

/** `${VAR%pattern}` (shortest) and `${VAR%%pattern}` (greedy): a prefix match on the reversed strings. */
export function trimSuffixPattern(pattern: string, value: string, greedy: boolean): string {
  return reverse(trimPrefixPattern(reversePattern(pattern), reverse(value), greedy));
}

/** `${VAR/pattern/repl}` (first match) and `${VAR//pattern/repl}` (every match). */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = toRegex(pattern, true, false);
  if (all) {
    return value.replace(new RegExp(re.source, 'gu'), () => replacement);
  }
  const m = re.exec(value);
  if (!m) return value;
  return value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length);
}
