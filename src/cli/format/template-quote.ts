/**
 * Go's string quoting and unquoting (`strconv.Quote`, `strconv.Unquote`,
 * `fmt`'s `%#U`), which template messages and `printf "%q"` reproduce.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** `unicode.IsPrint` as Go defines it (letters, marks, numbers, punctuation, symbols, ASCII space). */
export function isGoPrint(r: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(r));
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

function quoteRuneInto(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return `\\${String.fromCodePoint(r)}`;
  if (asciiOnly ? r < 0x7f && isGoPrint(r) : isGoPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/** `strconv.Quote` (or `QuoteToASCII` when `asciiOnly`). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += quoteRuneInto(ch.codePointAt(0) as number, 0x22, asciiOnly);
  return `${out}"`;
}

/** `strconv.QuoteRune`: `'x'`. */
export function goQuoteChar(r: number, asciiOnly = false): string {
  return `'${quoteRuneInto(r, 0x27, asciiOnly)}'`;
}

/** `fmt.Sprintf("%#U", r)`: `U+0023 '#'`. */
export function goQuoteRune(r: number): string {
  const code = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrint(r) ? `${code} '${String.fromCodePoint(r)}'` : code;
}

/** Thrown by `goUnquote`; the message is strconv's. */
export class UnquoteError extends Error {}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
};

/**
 * Decode one escape sequence starting after the backslash at `i`.
 * Returns the decoded text and the index after the sequence.
 */
function unescape(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  if (c === undefined) throw new UnquoteError('invalid syntax');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, i + 1];
  if (c === quote) return [c, i + 1];
  const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (width > 0) {
    const digits = s.slice(i + 1, i + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== width) throw new UnquoteError('invalid syntax');
    const v = parseInt(digits, 16);
    if (v > 0x10ffff || (c !== 'x' && v >= 0xd800 && v < 0xe000)) throw new UnquoteError('invalid syntax');
    return [String.fromCodePoint(v), i + 1 + width];
  }
  if (c >= '0' && c <= '7') {
    const digits = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(digits)) throw new UnquoteError('invalid syntax');
    const v = parseInt(digits, 8);
    if (v > 255) throw new UnquoteError('invalid syntax');
    return [String.fromCharCode(v), i + 3];
  }
  throw new UnquoteError('invalid syntax');
}

/** `strconv.Unquote` for `"…"`, `` `…` `` and `'…'` literals. */
export function goUnquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q) throw new UnquoteError('invalid syntax');
  const body = lit.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new UnquoteError('invalid syntax');
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new UnquoteError('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = body[i] as string;
    if (c === q || c === '\n') throw new UnquoteError('invalid syntax');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const [text, next] = unescape(body, i + 1, q);
    out += text;
    i = next;
  }
  if (q === "'" && Array.from(out).length !== 1) throw new UnquoteError('invalid syntax');
  return out;
}
