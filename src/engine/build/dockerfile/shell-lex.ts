/**
 * Docker's word lexer (moby/buildkit frontend/dockerfile/shell, lex.go): the
 * shell-like processing Docker applies to Dockerfile arguments: quotes,
 * the escape character, `$VAR` / `${VAR…}` substitution, and splitting into
 * words on unquoted whitespace *after* substitution.
 *
 * Behaviour kept from Docker on purpose (it is not POSIX sh):
 * - `$` followed by something that is not a name stays a literal `$`;
 *   `$1`, `$@`, `$?`… are looked up as names (and are normally unset).
 * - single quotes take everything literally; inside double quotes the escape
 *   character only escapes `"`, `$` and itself, otherwise it stays.
 * - an escape character at the very end of the word is dropped.
 * - a substituted value is split into words (`expandWords`), quoted text is not.
 *
 * Options used by the parser itself (heredoc detection) keep quotes and
 * escapes (`rawQuotes`, `rawEscapes`) and leave unset variables as written
 * (`skipUnsetEnv`).
 */
import { LexError } from './lex-error.ts';
import { Words, isDigit, isLetterOrDigit } from './lex-words.ts';
import { trimPrefixPattern, trimSuffixPattern, replacePattern } from './shell-pattern.ts';

/** Looks a variable up: undefined when unset (an empty string is set). */
export type EnvLookup = (name: string) => string | undefined;

export interface LexOptions {
  escape: string;
  rawQuotes?: boolean;
  rawEscapes?: boolean;
  skipUnsetEnv?: boolean;
  /** Quotes are ordinary characters (heredoc bodies). */
  skipProcessQuotes?: boolean;
}

/** What peek/next give at the end of the word. */
const EOF = '';

/** One pass over one word. */
export class ShellLexer {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;

  constructor(
    word: string,
    private readonly env: EnvLookup,
    private readonly opts: LexOptions,
  ) {
    this.chars = Array.from(word);
    this.rawEscapes = opts.rawEscapes ?? false;
  }

  private peek(): string {
    return this.chars[this.pos] ?? EOF;
  }
  private next(): string {
    const ch = this.chars[this.pos] ?? EOF;
    if (ch !== EOF) this.pos++;
    return ch;
  }

  /** The whole word: its expansion and its words. */
  run(): { result: string; words: string[] } {
    return this.processStopOn(EOF, this.rawEscapes);
  }

  private processStopOn(stop: string, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    const words = new Words();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return { result, words: words.get() };
        }
        const special = this.special(ch);
        if (special !== undefined) {
          const tmp = special();
          result += tmp;
          if (ch === '$') words.addString(tmp);
          else words.addRawString(tmp);
          continue;
        }
        let c = this.next();
        if (c === this.opts.escape) {
          if (this.rawEscapes) {
            words.addRawChar(c);
            result += c;
          }
          c = this.next();
          if (c === EOF) break;
          words.addRawChar(c);
        } else {
          words.addChar(c);
        }
        result += c;
      }
      if (stop !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
      return { result, words: words.get() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private special(ch: string): (() => string) | undefined {
    switch (ch) {
      case '$': return () => this.processDollar();
      case '<': return () => this.processPossibleHeredoc();
      case "'": return this.opts.skipProcessQuotes ? undefined : () => this.processSingleQuote();
      case '"': return this.opts.skipProcessQuotes ? undefined : () => this.processDoubleQuote();
      default: return undefined;
    }
  }

  private processSingleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const peek = this.peek();
      if (peek === EOF) throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (peek === '"') {
        const ch = this.next();
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      if (peek === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.opts.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue; // an escape at the end of the word is dropped
        if (after === '"' || after === '$' || after === this.opts.escape) ch = this.next();
      }
      result += ch;
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.env(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `$${name}`;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let modifier = ch;
    let nullIsUnset = false;
    switch (ch) {
      case '}': {
        const value = this.env(name);
        if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}}`;
        return value ?? '';
      }
      case '/':
        return this.processReplace(name);
      case ':':
      case '+':
      case '-':
      case '?':
      case '#':
      case '%': {
        if (ch === ':') {
          nullIsUnset = true;
          ch = this.next();
          modifier += ch;
        }
        const raw = ch === '#' || ch === '%';
        if (nullIsUnset && raw) throw new LexError(`unsupported modifier (${modifier}) in substitution`);
        let word: string;
        try {
          word = this.processStopOn('}', raw).result;
        } catch (err) {
          if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
          throw err;
        }
        if (!'+-?#%'.includes(ch) || ch === EOF) throw new LexError(`unsupported modifier (${modifier}) in substitution`);
        const value = this.env(name);
        if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}${modifier}${word}}`;
        const unset = value === undefined || (nullIsUnset && value === '');
        switch (ch) {
          case '-':
            return unset ? word : (value ?? '');
          case '+':
            return unset ? '' : word;
          case '?':
            if (value === undefined) throw new LexError(`${name}: ${word || 'is not allowed to be unset'}`);
            if (nullIsUnset && value === '') throw new LexError(`${name}: ${word || 'is not allowed to be empty'}`);
            return value;
          default: {
            const greedy = word.startsWith(ch);
            const pattern = greedy ? word.slice(1) : word;
            return ch === '%'
              ? trimSuffixPattern(pattern, value ?? '', greedy)
              : trimPrefixPattern(pattern, value ?? '', greedy);
          }
        }
      }
      default:
        // Docker 20.10's classic builder words for `${a`, `${a!b}`…
        throw new LexError("missing ':' in substitution");
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    try {
      pattern = this.processStopOn('/', true).result;
    } catch (err) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}");
      throw err;
    }
    let replacement: string;
    try {
      replacement = this.processStopOn('}', true).result;
    } catch (err) {
      if (this.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw err;
    }
    const value = this.env(name);
    if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return replacePattern(value ?? '', pattern, replacement, all);
  }

  /** A name: letters, digits and `_`; or digits alone; or one special parameter. */
  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== EOF && isDigit(this.peek())) name += this.next();
        return name;
      }
      if (name === '' && '@*#?-$!0'.includes(ch)) return this.next();
      if (!isLetterOrDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  /** `<<` keeps the blanks after it glued to the heredoc word that follows. */
  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let space = '';
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') space += this.next();
    return `<<${space}`;
  }
}
