/**
 * One `.dockerignore` pattern (moby/patternmatcher Pattern): Go
 * filepath.Match globs per path element plus `**`, compiled lazily to the
 * cheapest test (exact, prefix, suffix or a regular expression).
 */
import { InvalidParameterError } from './errors.ts';

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

const BAD_PATTERN = 'syntax error in pattern';
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Go's filepath.Match syntax check: character classes well formed, no trailing `\`. */
export function checkGlob(pattern: string): void {
  const c = Array.from(pattern);
  const bad = () => new InvalidParameterError(BAD_PATTERN);
  for (let i = 0; i < c.length; i++) {
    if (c[i] === '\\') {
      if (i + 1 >= c.length) throw bad();
      i++;
    } else if (c[i] === '[') {
      i++;
      if (c[i] === '^') i++;
      let ranges = 0;
      for (;;) {
        if (i >= c.length) throw bad();
        if (c[i] === ']' && ranges > 0) break;
        const one = (): void => {
          if (c[i] === '-' || c[i] === ']') throw bad();
          if (c[i] === '\\') i++;
          if (i >= c.length) throw bad();
          i++;
        };
        one();
        if (c[i] === '-') {
          i++;
          one();
        }
        ranges++;
      }
    }
  }
}

export class Pattern {
  readonly exclusion: boolean;
  /** The cleaned pattern, without its `!`. */
  readonly text: string;
  readonly dirs: string[];
  private type?: MatchType;
  private regexp?: RegExp;

  constructor(text: string, exclusion: boolean) {
    this.text = text;
    this.exclusion = exclusion;
    this.dirs = text.split('/');
  }

  match(path: string): boolean {
    if (this.type === undefined) this.compile();
    switch (this.type) {
      case 'exact': return path === this.text;
      case 'prefix': return path.startsWith(this.text.slice(0, -2));
      case 'suffix': {
        const suffix = this.text.slice(2);
        return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
      }
      default: return this.regexp!.test(path);
    }
  }

  /** moby/patternmatcher Pattern.compile: the cheapest of exact, prefix (`dir/**`), suffix (`**\/x`) or a regexp. */
  private compile(): void {
    let re = '^';
    let type: MatchType = 'exact';
    const c = Array.from(this.text);
    let pos = 0;
    for (let i = 0; pos < c.length; i++) {
      const ch = c[pos++]!;
      if (ch === '*') {
        if (c[pos] === '*') {
          pos++;
          if (c[pos] === '/') pos++;
          if (pos >= c.length) {
            if (type === 'exact') type = 'prefix';
            else {
              re += '.*';
              type = 'regexp';
            }
          } else {
            re += '(.*/)?';
            type = 'regexp';
          }
          if (i === 0) type = 'suffix';
        } else {
          re += '[^/]*';
          type = 'regexp';
        }
      } else if (ch === '?') {
        re += '[^/]';
        type = 'regexp';
      } else if (ESCAPED.has(ch)) {
        re += `\\${ch}`;
      } else if (ch === '\\') {
        if (pos < c.length) {
          re += `\\${c[pos++]}`;
          type = 'regexp';
        } else {
          re += '\\\\';
        }
      } else if (ch === '[' || ch === ']') {
        re += ch;
        type = 'regexp';
      } else {
        re += ch;
      }
    }
    if (type === 'regexp') {
      try {
        this.regexp = new RegExp(`${re}$`);
      } catch (err) {
        throw new InvalidParameterError(BAD_PATTERN, { cause: err });
      }
    }
    this.type = type;
  }
}
