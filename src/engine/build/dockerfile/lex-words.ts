/** Character classes (Go's unicode package) and the word splitting of Docker's lexer (shell/lex.go wordsStruct). */

/** The result of splitting into words, as Docker's wordsStruct builds it. */
export class Words {
  buf = '';
  words: string[] = [];
  inWord = false;

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.buf.length !== 0) {
        this.words.push(this.buf);
        this.buf = '';
        this.inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }
  addRawChar(ch: string): void {
    this.buf += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.buf += s;
    this.inWord = true;
  }
  get(): string[] {
    if (this.buf.length > 0) {
      this.words.push(this.buf);
      this.buf = '';
      this.inWord = false;
    }
    return this.words;
  }
}

export function isSpace(ch: string): boolean {
  // Go's unicode.IsSpace.
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

export function isLetterOrDigit(ch: string): boolean {
  return /^[\p{L}\p{Nd}]$/u.test(ch);
}

export function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}
