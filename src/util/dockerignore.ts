/**
 * `.dockerignore` with Docker's semantics, for the CLI (packing a context
 * directory) and the engine alike; pure, no file system.
 *
 * - parseDockerignore: the file's text → patterns (moby/patternmatcher
 *   ignorefile.ReadAll): `#` comments (only at column 0), blank lines
 *   skipped, blanks trimmed, each pattern path-cleaned (`./a/../b` → `b`)
 *   and a leading `/` dropped; `!` marks an exception.
 * - PatternMatcher (moby/patternmatcher): Go filepath.Match globs per path
 *   element (`*`, `?`, `[a-z]`, `\` escapes) plus `**` for any number of
 *   elements; the last pattern that matches decides (so `!` exceptions
 *   re-include only what an earlier pattern excluded); a pattern that
 *   matches a parent directory excludes everything under it.
 * - mustWalk: whether a directory that is excluded must still be walked
 *   because an exception may re-include something below it (the tar walk
 *   of the Docker CLI skips it otherwise).
 * Paths are relative to the context root, `/`-separated.
 */
import { InvalidParameterError } from './errors.ts';

/** Go's path.Clean for `/`-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** The patterns of a `.dockerignore` file, in order. */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    if (line.startsWith('#')) return;
    let pattern = line.trim();
    if (pattern === '') return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  });
  return patterns;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

const BAD_PATTERN = 'syntax error in pattern';
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Go's filepath.Match syntax check: character classes well formed, no trailing `\`. */
function checkGlob(pattern: string): void {
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

/** What matchesUsingParentResults remembers of a directory for its children. */
export interface MatchInfo {
  parentMatched: boolean[];
}

export class PatternMatcher {
  readonly patterns: Pattern[] = [];
  /** Some pattern is a `!` exception. */
  readonly exclusions: boolean = false;

  /** Throws InvalidParameterError on `!` alone or a malformed glob. */
  constructor(patterns: readonly string[]) {
    for (let p of patterns) {
      p = p.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new InvalidParameterError('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
        this.exclusions = true;
      }
      checkGlob(p);
      this.patterns.push(new Pattern(p, exclusion));
    }
  }

  /**
   * Docker's classic Matches: the last matching pattern decides; a pattern
   * also matches when it matches the parent directories of the path taken
   * to the pattern's depth (`docs` excludes `docs/a/b`).
   */
  matches(file: string): boolean {
    let matched = false;
    const parentDirs = parentOf(file);
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.match(file);
      if (!match && parentDirs !== undefined && pattern.dirs.length <= parentDirs.length) {
        match = pattern.match(parentDirs.slice(0, pattern.dirs.length).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** Like matches, but a pattern matching any parent directory counts (what the CLI uses to check a context). */
  matchesOrParentMatches(file: string): boolean {
    let matched = false;
    const parentDirs = parentOf(file);
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.match(file);
      if (!match && parentDirs !== undefined) match = anyParentMatches(pattern, parentDirs);
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * The tar walk's matcher: given the result for the parent directory
   * (undefined for a top-level entry, or when it is not known), whether the
   * path is excluded, and what to pass for its children.
   */
  matchesUsingParentResults(file: string, parent?: MatchInfo): { matched: boolean; info: MatchInfo } {
    const parentMatched = parent?.parentMatched ?? [];
    if (parentMatched.length !== 0 && parentMatched.length !== this.patterns.length) {
      throw new InvalidParameterError('wrong number of values in parentMatched');
    }
    let matched = false;
    const info: MatchInfo = { parentMatched: new Array<boolean>(this.patterns.length).fill(false) };
    this.patterns.forEach((pattern, i) => {
      let match = parentMatched[i] ?? false;
      if (!match) {
        if (pattern.exclusion !== matched) return;
        match = pattern.match(file);
        if (!match && parentMatched.length === 0) {
          const parentDirs = parentOf(file);
          if (parentDirs !== undefined) match = anyParentMatches(pattern, parentDirs);
        }
      }
      info.parentMatched[i] = match;
      if (match) matched = !pattern.exclusion;
    });
    return { matched, info };
  }

  /**
   * For an excluded directory: true when the walk must still go into it
   * because an exception pattern names something below it (Docker's tar
   * walk: an exception whose text starts with `dir/`); false to skip it whole.
   */
  mustWalk(dir: string): boolean {
    if (!this.exclusions) return false;
    const dirSlash = `${dir}/`;
    return this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(dirSlash));
  }
}

function parentOf(file: string): string[] | undefined {
  const slash = file.lastIndexOf('/');
  if (slash < 0) return undefined;
  const parent = cleanPath(file.slice(0, slash) || '/');
  return parent === '.' ? undefined : parent.split('/');
}

function anyParentMatches(pattern: Pattern, parentDirs: string[]): boolean {
  for (let i = 0; i < parentDirs.length; i++) {
    if (pattern.match(parentDirs.slice(0, i + 1).join('/'))) return true;
  }
  return false;
}

/**
 * The Docker CLI keeps the Dockerfile and `.dockerignore` in the context
 * even when excluded (the daemon needs them): exceptions are appended for
 * them. A Dockerfile read from stdin is not in the context.
 */
export function trimBuildFilesFromExcludes(excludes: readonly string[], dockerfile: string, dockerfileFromStdin: boolean): string[] {
  const out = [...excludes];
  if (matchesPatterns('.dockerignore', out)) out.push('!.dockerignore');
  if (!dockerfileFromStdin && matchesPatterns(dockerfile, out)) out.push(`!${dockerfile}`);
  return out;
}

/** Docker's patternmatcher.Matches(file, patterns): the path cleaned, `.` never matches. */
export function matchesPatterns(file: string, patterns: readonly string[]): boolean {
  const pm = new PatternMatcher(patterns);
  const clean = cleanPath(file);
  return clean === '.' ? false : pm.matches(clean);
}
