/**
 * `.dockerignore` applied to an unpacked context: which entries survive.
 *
 * The file is chosen as the docker CLI and BuildKit choose it:
 * `<Dockerfile>.dockerignore` beside the Dockerfile when present, else
 * `.dockerignore` at the root. An excluded directory whose descendants a
 * `!` exception re-includes stays (as the CLI's walk keeps descending
 * into it); everything else excluded is dropped.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../../util/errors.ts';
import { PatternMatcher, parseDockerignore, type MatchInfo } from '../../util/dockerignore.ts';

/** The patterns of the ignore file that applies, or none. */
export async function readIgnorePatterns(root: string, dockerfileName: string): Promise<string[]> {
  for (const name of [`${dockerfileName}.dockerignore`, '.dockerignore']) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, name), 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') || isErrno(err, 'EISDIR')) continue;
      throw err;
    }
    return parseDockerignore(text);
  }
  return [];
}

/**
 * The paths (of `paths`, '' being the root) that the patterns exclude,
 * deepest first, as the docker CLI's tar walk decides them (moby's
 * patternmatcher with its parents' results; an excluded directory that no
 * exception reaches into is dropped whole). A directory is excluded only
 * when none of its descendants survives.
 */
export function excludedPaths(paths: Iterable<string>, patterns: string[]): string[] {
  if (patterns.length === 0) return [];
  const pm = new PatternMatcher(patterns);
  const all = [...paths].filter((p) => p !== '').sort((a, b) => a.split('/').length - b.split('/').length);
  const infos = new Map<string, MatchInfo>();
  const skipped = new Set<string>(); // excluded directories not walked: everything below goes
  const kept = new Set<string>();
  const excluded = new Set<string>();
  for (const p of all) {
    const parent = path.posix.dirname(p);
    if (parent !== '.' && skipped.has(parent)) {
      skipped.add(p);
      excluded.add(p);
      continue;
    }
    const { matched, info } = pm.matchesUsingParentResults(p, parent === '.' ? undefined : infos.get(parent));
    infos.set(p, info);
    if (!matched) {
      kept.add(p);
      continue;
    }
    excluded.add(p);
    if (!pm.mustWalk(p)) skipped.add(p);
  }
  // A kept path keeps its ancestors (a `!` exception inside an excluded directory).
  for (const p of kept) {
    for (let dir = path.posix.dirname(p); dir !== '.'; dir = path.posix.dirname(dir)) excluded.delete(dir);
  }
  return [...excluded].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1));
}
