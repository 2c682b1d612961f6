/**
 * A stand-in for the `.dockerignore` matcher until src/util/dockerignore.ts
 * (branch build-parser) lands: patterns read as the docker CLI reads them
 * (comments, `!` exceptions, cleaned, a leading `/` dropped) and matched as
 * moby's patternmatcher does (`*`, `?`, `[…]`, `**`, `\` escapes; a
 * pattern also matches a path whose leading directories it matches; the
 * last matching pattern decides).
 */
import path from 'node:path';

export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = path.posix.normalize(pattern).replace(/\/+$/, '') || '/';
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

interface Compiled {
  exclusion: boolean;
  dirs: number;
  regex: RegExp;
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
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      i++;
      if (i < pattern.length) re += escape(pattern[i]!);
    } else if (ch === '[' || ch === ']') re += ch;
    else re += escape(ch);
  }
  try {
    return new RegExp(re + '$', 's');
  } catch {
    // A malformed class matches nothing, as filepath.Match's ErrBadPattern makes the CLI skip it.
    return /$^/;
  }
}

function escape(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** A predicate: is this context-relative path ('/'-separated) excluded? */
export function ignoreMatcher(patterns: string[]): (file: string) => boolean {
  const compiled: Compiled[] = patterns.map((p) => {
    const exclusion = p.startsWith('!');
    const body = exclusion ? p.slice(1) : p;
    return { exclusion, dirs: body.split('/').length, regex: compile(body) };
  });
  return (file) => {
    const parentDirs = path.posix.dirname(file) === '.' ? [] : path.posix.dirname(file).split('/');
    let matched = false;
    for (const p of compiled) {
      if (p.exclusion !== matched) continue;
      let match = p.regex.test(file);
      if (!match && parentDirs.length > 0 && p.dirs <= parentDirs.length) match = p.regex.test(parentDirs.slice(0, p.dirs).join('/'));
      if (match) matched = !p.exclusion;
    }
    return matched;
  };
}
