/**
 * Per-instruction argument splitting (moby/buildkit parser/line_parsers.go):
 * what follows an instruction's name and flags becomes a list of argument
 * strings, still unexpanded. Each instruction has its rule: one string
 * (USER, WORKDIR…), blank-separated words (FROM, EXPOSE), a JSON array or
 * else one string (RUN, CMD…), a JSON array or else words (COPY, VOLUME),
 * `key=value` pairs (ENV, LABEL), and so on.
 */
import { ParsePhaseError } from './parse-errors.ts';
import { isSpace } from './lex-words.ts';
import { WHITESPACE } from './split-command.ts';

export interface ParsedArgs {
  args: string[];
  /** The arguments were a JSON array (exec form). */
  json: boolean;
}

const NOT_STRINGS = 'when using JSON array syntax, arrays must be comprised of strings only';
const NONE: ParsedArgs = { args: [], json: false };

/**
 * Blank-separated words keeping their quotes and escapes (they are removed
 * when the word is expanded). The escape character keeps the next character
 * in the word, a quote keeps blanks; an escape at the very end is dropped.
 */
export function parseWords(rest: string, escape: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  let buf = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    const end = pos === chars.length;
    let ch = end ? '' : chars[pos]!;
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(ch)) continue;
      phase = 'word';
    }
    if (end) {
      if (blankOk || buf.length > 0) words.push(buf);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        phase = 'spaces';
        if (blankOk || buf.length > 0) words.push(buf);
        buf = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === chars.length) continue;
        buf += ch;
        pos++;
        ch = chars[pos]!;
      }
      buf += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    if (ch === escape && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      pos++;
      buf += ch;
      ch = chars[pos]!;
    }
    buf += ch;
  }
  return words;
}

/** A JSON array of strings; undefined when the text is not a JSON array (shell form then). */
export function parseJSONArray(rest: string): string[] | undefined {
  const text = rest.replace(/^\s+/u, '');
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // Docker falls back to the shell form on invalid JSON
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v): v is string => typeof v === 'string')) throw new ParsePhaseError(NOT_STRINGS);
  return value;
}

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array, else the whole text as one argument. */
export function parseMaybeJSON(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  const json = parseJSONArray(rest);
  return json !== undefined ? { args: json, json: true } : { args: [rest], json: false };
}

/** COPY, ADD, VOLUME: a JSON array, else blank-separated words. */
export function parseMaybeJSONToList(rest: string): ParsedArgs {
  const json = parseJSONArray(rest);
  return json !== undefined ? { args: json, json: true } : parseWhitespaceDelimited(rest);
}

/** FROM, EXPOSE: blank-separated words, quotes not treated. */
export function parseWhitespaceDelimited(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  return { args: rest.split(WHITESPACE), json: false };
}

/** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the text as one argument. */
export function parseString(rest: string): ParsedArgs {
  return rest === '' ? NONE : { args: [rest], json: false };
}

/** ARG: words, each `name` or `name=value`. */
export function parseNameOrNameVal(rest: string, escape: string): ParsedArgs {
  return { args: parseWords(rest, escape), json: false };
}

/**
 * ENV and LABEL: `key=value …` pairs, or the legacy `KEY name value` form
 * when the first word has no `=`. The result is triples [key, value, sep]
 * with sep `=` or `` (legacy).
 */
export function parseNameVal(rest: string, command: 'ENV' | 'LABEL', escape: string): ParsedArgs {
  const words = parseWords(rest, escape);
  if (words.length === 0) return NONE;
  if (!words[0]!.includes('=')) {
    const m = WHITESPACE.exec(rest);
    if (m === null) throw new ParsePhaseError(`${command} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ''], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new ParsePhaseError(`Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`);
    }
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

/** HEALTHCHECK: a type word (CMD, NONE) then a RUN-like command. */
export function parseHealthConfig(rest: string): ParsedArgs {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep]!)) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next]!)) next++;
  if (sep === 0) return NONE;
  const cmd = parseMaybeJSON(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}
