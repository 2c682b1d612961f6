/**
 * Lexer for Go `text/template` syntax, following the state machine of Go's
 * `text/template/parse/lex.go` so that token boundaries, trim markers and the
 * error texts ("unclosed action", "bad character U+0023 '#'") are Go's.
 * It runs eagerly: the whole input becomes a token array that ends with an
 * `eof` or an `error` token (the parser reports the error when it reaches it,
 * so a syntax error earlier in the template wins, as in Go).
 */
import { goQuote, goQuoteRune } from './template-quote.ts';

export type TokenType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'complex' | 'assign' | 'declare' | 'eof'
  | 'field' | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString'
  | 'rightDelim' | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil'
  | 'range' | 'template' | 'with';

export interface Token {
  type: TokenType;
  /** Offset of the token in the input (UTF-16 units). */
  pos: number;
  val: string;
  /** 1-based line of the token's start. */
  line: number;
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['.', 'dot'], ['block', 'block'], ['break', 'break'], ['continue', 'continue'],
  ['define', 'define'], ['else', 'else'], ['end', 'end'], ['if', 'if'], ['range', 'range'],
  ['nil', 'nil'], ['template', 'template'], ['with', 'with'],
]);

/** How Go's parser names a token in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (KEYWORDS.get(t.val) === t.type) return `<${t.val}>`;
  const runes = Array.from(t.val);
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(t.val);
}

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const EOF = -1;

const isSpace = (r: number): boolean => r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
const isAlphaNumeric = (r: number): boolean => r >= 0 && ALNUM.test(String.fromCodePoint(r));
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s.charCodeAt(1));
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s.charCodeAt(0)) && s[1] === '-';
const SPACE_CHARS = /[ \t\r\n]/;

function leftTrimLength(s: string): number {
  let i = 0;
  while (i < s.length && SPACE_CHARS.test(s[i] as string)) i++;
  return i;
}
function rightTrimLength(s: string): number {
  let i = s.length;
  while (i > 0 && SPACE_CHARS.test(s[i - 1] as string)) i--;
  return s.length - i;
}

type State = ((l: Lexer) => State) | null;

class Lexer {
  readonly tokens: Token[] = [];
  pos = 0;
  start = 0;
  width = 0;
  parenDepth = 0;
  private lineCountPos = 0;
  private lineCount = 1;

  constructor(readonly input: string) {}

  next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }
  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }
  backup(): void {
    this.pos -= this.width;
  }
  /** Line numbers only grow as tokens are emitted, so count incrementally. */
  lineAt(pos: number): number {
    if (pos < this.lineCountPos) {
      this.lineCountPos = 0;
      this.lineCount = 1;
    }
    for (let i = this.lineCountPos; i < pos; i++) if (this.input.charCodeAt(i) === 0x0a) this.lineCount++;
    this.lineCountPos = pos;
    return this.lineCount;
  }
  emit(type: TokenType): void {
    this.tokens.push({ type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.lineAt(this.start) });
    this.start = this.pos;
  }
  ignore(): void {
    this.start = this.pos;
  }
  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }
  acceptRun(valid: string): void {
    while (this.accept(valid)) { /* consume the run */ }
  }
  errorf(message: string): State {
    this.tokens.push({ type: 'error', pos: this.start, val: message, line: this.lineAt(this.start) });
    return null;
  }
  atRightDelim(): { delim: boolean; trim: boolean } {
    const rest = this.input.slice(this.pos);
    if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT, 2)) return { delim: true, trim: true };
    return { delim: rest.startsWith(RIGHT), trim: false };
  }
  /** Whether the next rune may follow an identifier (breaks `.X.Y` into pieces). */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(String.fromCodePoint(r))) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }
}

function lexText(l: Lexer): State {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    l.pos = x;
    const trim = hasLeftTrimMarker(l.input.slice(x + LEFT.length)) ? rightTrimLength(l.input.slice(l.start, x)) : 0;
    l.pos -= trim;
    if (l.pos > l.start) l.emit('text');
    l.pos += trim;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) l.emit('text');
  l.emit('eof');
  return null;
}

function lexLeftDelim(l: Lexer): State {
  l.pos += LEFT.length;
  const afterMarker = hasLeftTrimMarker(l.input.slice(l.pos)) ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit('leftDelim');
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return l.errorf('unclosed comment');
  l.pos = i + RIGHT_COMMENT.length;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.pos += (trim ? 2 : 0) + RIGHT.length;
  if (trim) l.pos += leftTrimLength(l.input.slice(l.pos));
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const trim = hasRightTrimMarker(l.input.slice(l.pos));
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.emit('rightDelim');
  if (trim) {
    l.pos += leftTrimLength(l.input.slice(l.pos));
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(); // the space may belong to a " -}}"
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // '='
      l.emit('assign');
      return lexInsideAction;
    case 0x3a: // ':'
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      l.emit('declare');
      return lexInsideAction;
    case 0x7c: // '|'
      l.emit('pipe');
      return lexInsideAction;
    case 0x22: // '"'
      return lexQuote;
    case 0x60: // '`'
      return lexRawQuote;
    case 0x24: // '$'
      return lexVariable;
    case 0x27: // '\''
      return lexChar;
    case 0x28: // '('
      l.emit('leftParen');
      l.parenDepth++;
      return lexInsideAction;
    case 0x29: // ')'
      l.emit('rightParen');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${goQuoteRune(r)}`);
      return lexInsideAction;
  }
  if (r === 0x2e) { // '.'
    const c = l.input.charCodeAt(l.pos);
    if (l.pos < l.input.length && (c < 0x30 || c > 0x39)) return lexField;
  }
  if (r === 0x2e || r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7e && r >= 0x20) {
    l.emit('char');
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${goQuoteRune(r)}`);
}

function lexSpace(l: Lexer): State {
  let n = 0;
  while (isSpace(l.peek())) {
    l.next();
    n++;
  }
  // A " -}}" closes the action: leave its space for lexRightDelim.
  const rest = l.input.slice(l.pos - 1);
  if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT, 2)) {
    l.pos -= 1;
    if (n === 1) return lexRightDelim;
  }
  l.emit('space');
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${goQuoteRune(l.peek())}`);
    const kw = KEYWORDS.get(word);
    if (kw) l.emit(kw);
    else if (word[0] === '.') l.emit('field');
    else if (word === 'true' || word === 'false') l.emit('bool');
    else l.emit('identifier');
    return lexInsideAction;
  }
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) {
    l.emit('variable'); // a lone "$"
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, type: 'field' | 'variable'): State {
  if (l.atTerminator()) {
    l.emit(type === 'variable' ? 'variable' : 'dot');
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${goQuoteRune(r)}`);
  l.emit(type);
  return lexInsideAction;
}

function lexChar(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated character constant');
    if (r === 0x27) break;
  }
  l.emit('charConstant');
  return lexInsideAction;
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexNumber(l: Lexer): State {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    l.emit('complex');
  } else {
    l.emit('number');
  }
  return lexInsideAction;
}

function lexQuote(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated quoted string');
    if (r === 0x22) break;
  }
  l.emit('string');
  return lexInsideAction;
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) break;
  }
  l.emit('rawString');
  return lexInsideAction;
}

/** Tokenise a whole template. The last token is `eof` or `error`. */
export function lex(input: string): Token[] {
  const l = new Lexer(input);
  let state: State = lexText;
  while (state) state = state(l);
  return l.tokens;
}
