/**
 * Parses a request body as dockerd's Go `json.Decoder` reads it, without
 * recursion (so no nesting can overflow the stack):
 * - the first JSON value is taken and anything after it is ignored, as
 *   `Decoder.Decode` does (dockerd 20.10 accepts `{…} trailing`);
 * - nesting deeper than Go's scanner limit (10000) is refused with Go's words;
 * - syntax errors carry Go's scanner messages ("invalid character 'x' looking
 *   for beginning of value", "unexpected EOF");
 * - the source text of every number that JavaScript would round or reshape
 *   (a fraction, an exponent, more than 15 digits) is kept, because Go's
 *   integer fields refuse `1e3`, `1.0` and anything out of range, which the
 *   parsed double no longer shows. `numberLiteral(holder, key)` returns it.
 */
import { InvalidParameterError } from '../../util/errors.ts';

/** Go's encoding/json scanner limit (maxNestingDepth). */
export const MAX_JSON_DEPTH = 10_000;

const literals = new WeakMap<object, Map<string, string>>();

/** The source text of a number held at `holder[key]` when it was not a short plain integer, else undefined. */
export function numberLiteral(holder: object, key: string | number): string | undefined {
  return literals.get(holder)?.get(String(key));
}

/** Carries a number's source text over when a body is rebuilt (`to[toKey]` holds `from[fromKey]`). */
export function moveLiteral(from: object, fromKey: string | number, to: object, toKey: string | number): void {
  const literal = numberLiteral(from, fromKey);
  if (literal !== undefined) remember(to, String(toKey), literal);
}

function remember(holder: object, key: string, literal: string): void {
  let m = literals.get(holder);
  if (!m) literals.set(holder, (m = new Map()));
  m.set(key, literal);
}

/** Go's quoteChar: the offending byte as Go's scanner errors print it. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const s = JSON.stringify(c);
  return `'${s.slice(1, -1)}'`;
}

function syntax(c: string | undefined, context: string): InvalidParameterError {
  if (c === undefined) return new InvalidParameterError('unexpected EOF');
  return new InvalidParameterError(`invalid character ${quoteChar(c)} ${context}`);
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** The key awaiting its value (objects only). */
  key?: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_INT = /^-?\d{1,15}$/;

function set(frame: Frame, value: unknown, literal?: string): void {
  const { container } = frame;
  let key: string;
  if (Array.isArray(container)) {
    key = String(container.length);
    container.push(value);
  } else {
    key = frame.key!;
    // A "__proto__" key is data, as JSON.parse makes it, never the prototype.
    Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
    frame.key = undefined;
  }
  if (literal !== undefined && !PLAIN_INT.test(literal)) remember(container, key, literal);
}

/**
 * The whole of `text` as one JSON value, as Go's json.Unmarshal takes it:
 * anything but white space after the value is "invalid character … after
 * top-level value"; an empty text is "unexpected end of JSON input".
 */
export function parseWholeJsonText(text: string): unknown {
  if (text.trim() === '') throw new InvalidParameterError('unexpected end of JSON input');
  const end = { at: 0 };
  let value: unknown;
  try {
    value = parseJsonText(text, end);
  } catch (err) {
    // The decoder's "unexpected EOF" is Unmarshal's "unexpected end of JSON input".
    if (err instanceof InvalidParameterError && err.message === 'unexpected EOF') throw new InvalidParameterError('unexpected end of JSON input');
    throw err;
  }
  let i = end.at;
  while (i < text.length && WS.has(text[i]!)) i++;
  if (i < text.length) throw syntax(text[i], 'after top-level value');
  return value;
}

/** The first JSON value of `text`; an empty body is Go's "EOF". `end.at` receives where the value ends. */
export function parseJsonText(text: string, end?: { at: number }): unknown {
  let i = 0;
  const n = text.length;
  const stack: Frame[] = [];
  const skipWs = () => {
    while (i < n && WS.has(text[i]!)) i++;
  };
  skipWs();
  if (i >= n) throw new InvalidParameterError('EOF');
  let root: unknown;
  let done = false;
  const place = (value: unknown, literal?: string) => {
    const top = stack[stack.length - 1];
    if (top) set(top, value, literal);
    else {
      root = value;
      done = true;
    }
  };
  // `expect` is what the grammar wants next: a value, an object key (or `}` when `first`), or what follows an element.
  let expect: 'value' | 'key' | 'after' = 'value';
  let first = false;
  while (!done) {
    skipWs();
    const c = text[i];
    if (expect === 'after') {
      const top = stack[stack.length - 1]!;
      const isArray = Array.isArray(top.container);
      if (c === ',') {
        i++;
        expect = isArray ? 'value' : 'key';
        first = false;
      } else if (c === (isArray ? ']' : '}')) {
        i++;
        stack.pop();
        place(top.container);
        expect = 'after';
      } else throw syntax(c, isArray ? 'after array element' : 'after object key:value pair');
      continue;
    }
    if (expect === 'key') {
      if (c === '}' && first) {
        i++;
        const top = stack.pop()!;
        place(top.container);
        expect = 'after';
        continue;
      }
      if (c !== '"') throw syntax(c, 'looking for beginning of object key string');
      const key = readString();
      skipWs();
      if (text[i] !== ':') throw syntax(text[i], 'after object key');
      i++;
      stack[stack.length - 1]!.key = key;
      expect = 'value';
      continue;
    }
    // A value.
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_JSON_DEPTH) throw syntax(c, 'exceeded max depth');
      i++;
      stack.push({ container: c === '{' ? {} : [] });
      skipWs();
      if (c === '[' && text[i] === ']') {
        i++;
        place(stack.pop()!.container);
        expect = 'after';
      } else {
        expect = c === '{' ? 'key' : 'value';
        first = true;
      }
      continue;
    }
    if (c === '"') place(readString());
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') throw syntax(text[i + 1], 'in numeric literal');
      i += m[0].length;
      checkNumberEnd();
      place(Number(m[0]), m[0]);
    } else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      for (let k = 1; k < word.length; k++) {
        if (text[i + k] !== word[k]) throw syntax(text[i + k], `in literal ${word} (expecting '${word[k]}')`);
      }
      i += word.length;
      place(c === 't' ? true : c === 'f' ? false : null);
    } else throw syntax(c, 'looking for beginning of value');
    expect = 'after';
  }
  if (end) end.at = i;
  return root;

  // The regex stopped short of a malformed fraction or exponent (`1.x`, `1e+`): Go's scanner words.
  function checkNumberEnd(): void {
    const next = text[i];
    if (next === '.') throw syntax(text[i + 1], 'after decimal point in numeric literal');
    if (next === 'e' || next === 'E') {
      const sign = text[i + 1] === '+' || text[i + 1] === '-';
      throw syntax(text[i + (sign ? 2 : 1)], 'in exponent of numeric literal');
    }
  }

  function readString(): string {
    const start = i;
    i++;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) break;
      if (ch < 0x20) throw syntax(text[i], 'in string literal');
      if (ch === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) break;
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            const h = text[i + k];
            if (h === undefined) throw new InvalidParameterError('unexpected EOF');
            if (!/[0-9a-fA-F]/.test(h)) throw syntax(h, 'in \\u hexadecimal character escape');
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) throw syntax(e, 'in string escape code');
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= n) throw new InvalidParameterError('unexpected EOF');
    i++;
    // The token is valid JSON now; V8 decodes its escapes (lone surrogates included, as Go replaces them).
    return JSON.parse(text.slice(start, i)) as string;
  }
}
