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
import { ignoreMatcher, parseDockerignore } from './dockerignore-matcher.ts';

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
 * deepest first. A directory is excluded only when none of its
 * descendants survives.
 */
export function excludedPaths(paths: Iterable<string>, patterns: string[]): string[] {
  if (patterns.length === 0) return [];
  const matches = ignoreMatcher(patterns);
  const all = [...paths].filter((p) => p !== '');
  const kept = new Set<string>();
  const excluded = new Set<string>();
  for (const p of all) {
    if (matches(p)) excluded.add(p);
    else kept.add(p);
  }
  // A kept path keeps its ancestors (a `!` exception inside an excluded directory).
  for (const p of kept) {
    for (let dir = path.posix.dirname(p); dir !== '.'; dir = path.posix.dirname(dir)) excluded.delete(dir);
  }
  return [...excluded].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1));
}
