/**
 * The CLI's view of `.dockerignore` while packing a context: which paths to
 * leave out, and whether an excluded directory must still be walked because
 * a `!` exception (or a file that is always sent) may lie below it. This
 * is go-archive's TarWithOptions walk over moby/patternmatcher.
 *
 * TEMPORARY matcher: replaced by src/util/dockerignore.ts (branch
 * build-parser) once it lands; the interface below is what the packer uses.
 */

export interface IgnoreMatcher {
  /** Whether `rel` (slash-separated, relative to the context root) is excluded, a parent's exclusion counting as the path's own. */
  excluded(rel: string): boolean;
  /** Whether some exception pattern starts with `dir/`: the walk cannot skip that directory. */
  mayReinclude(dir: string): boolean;
}

interface Pattern {
  text: string;
  exclusion: boolean;
  re: RegExp;
}

/** ignorefile.ReadAll: comments and blank lines dropped, each pattern cleaned, a leading `/` removed. */
export function readIgnoreLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let p = raw.trim();
    if (p === '') continue;
    let invert = false;
    if (p.startsWith('!')) {
      invert = true;
      p = p.slice(1).trim();
    }
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  const body = parts.join('/');
  return rooted ? `/${body}` : body || '.';
}

function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      const next = pattern[++i];
      if (next !== undefined) re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^');
        re += `[${body}]`;
        i = end;
      }
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's');
}

/** patternmatcher.New + MatchesOrParentMatches, with go-archive's "can this directory be skipped" test. */
export function createIgnoreMatcher(lines: string[]): IgnoreMatcher {
  const patterns: Pattern[] = [];
  for (const line of lines) {
    const exclusion = line.startsWith('!');
    let text = exclusion ? line.slice(1) : line;
    if (text === '') continue;
    text = cleanPath(text);
    patterns.push({ text, exclusion, re: compile(text) });
  }
  return {
    excluded(rel) {
      const file = cleanPath(rel);
      if (file === '.') return false;
      const dirs = file.split('/');
      let matched = false;
      for (const p of patterns) {
        let hit = p.re.test(file);
        for (let i = 1; !hit && i < dirs.length; i++) hit = p.re.test(dirs.slice(0, i).join('/'));
        if (hit) matched = !p.exclusion;
      }
      return matched;
    },
    mayReinclude(dir) {
      const dirSlash = `${dir}/`;
      return patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(dirSlash));
    },
  };
}
