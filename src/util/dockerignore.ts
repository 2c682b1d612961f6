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
import { checkGlob, Pattern } from './dockerignore-pattern.ts';
import { InvalidParameterError } from './errors.ts';

export { Pattern } from './dockerignore-pattern.ts';

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
   * One step of the Docker CLI's context walk (go-archive TarWithOptions):
   * whether to put the entry in the tar, and for a directory whether to go
   * into it (an excluded directory is entered, without its own entry, only
   * when an exception names something below it). Pass the directory's
   * `info` to its children.
   */
  walk(rel: string, isDir: boolean, parent?: MatchInfo): { include: boolean; descend: boolean; info: MatchInfo } {
    const { matched, info } = this.matchesUsingParentResults(rel, parent);
    return { include: !matched, descend: isDir && (!matched || this.mustWalk(rel)), info };
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
