/**
 * COPY/ADD `--exclude` (Dockerfile 1.7+, BuildKit's fsutil copy): patterns
 * in `.dockerignore` syntax (util/dockerignore.ts), matched against paths
 * relative to what is being copied: the entries inside a copied directory
 * relative to it, a wildcard's matches relative to the directory the
 * pattern starts from (`COPY --exclude=*.txt hom* /d/` leaves out
 * `homer.txt`). A source named without wildcards is never excluded itself.
 * An excluded directory is skipped whole, unless an exception (`!a/b`)
 * names something below it: then it is walked, its entries matched one by
 * one.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { PatternMatcher } from '../../util/dockerignore.ts';

export class CopyExcludes {
  private readonly matcher?: PatternMatcher;

  constructor(patterns: readonly string[]) {
    if (patterns.length === 0) return;
    try {
      this.matcher = new PatternMatcher(patterns);
    } catch (err) {
      throw new InvalidParameterError(`invalid excludepatterns: [${patterns.join(' ')}]: ${(err as Error).message}`, { cause: err });
    }
  }

  get empty(): boolean {
    return this.matcher === undefined;
  }

  /** Whether the entry `rel` (its parents already kept) is left out. */
  skips(rel: string, isDir: boolean): boolean {
    if (!this.matcher || rel === '') return false;
    if (!this.matcher.matches(rel)) return false;
    return !(isDir && this.matcher.mustWalk(rel));
  }

  /** Whether `rel` is left out, itself or through one of its parent directories. */
  skipsPath(rel: string, isDir: boolean): boolean {
    if (!this.matcher || rel === '') return false;
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (this.skips(parts.slice(0, i).join('/'), true)) return true;
    }
    return this.skips(rel, isDir);
  }
}
