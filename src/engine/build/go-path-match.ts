/**
 * Go's `filepath.Match` on Linux, which the classic builder uses for COPY
 * and ADD wildcards: `*` is any run of characters but `/`, `?` one
 * character but `/`, `[…]` / `[^…]` a class of characters and ranges (never
 * `/`), `\` escapes the next character. The whole name must match, so a
 * pattern matches names of as many `/`-separated segments as it has. A
 * malformed pattern (an unclosed class, a trailing `\`, an empty range) is
 * `filepath.ErrBadPattern`, which the builder ignores: it matches nothing.
 */

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: [string, string][] };

/** True when `name` has a character `filepath.Match` treats as special (what moby's containsWildcards checks). */
export function hasWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** The pattern's tokens, or undefined when it is malformed. */
function compile(pattern: string): Token[] | undefined {
  const chars = [...pattern];
  const tokens: Token[] = [];
  let i = 0;
  /** One possibly escaped character of a class, or undefined when malformed. */
  const classChar = (): string | undefined => {
    let c = chars[i];
    if (c === undefined || c === '-' || c === ']') return undefined;
    if (c === '\\') {
      i++;
      c = chars[i];
      if (c === undefined) return undefined;
    }
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === '*') {
      tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) return undefined;
      tokens.push({ kind: 'literal', char: next });
      i += 2;
    } else if (c === '[') {
      i++;
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: [string, string][] = [];
      for (;;) {
        if (chars[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const h = classChar();
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens.push({ kind: 'class', negated, ranges });
    } else {
      tokens.push({ kind: 'literal', char: c });
      i++;
    }
  }
  return tokens;
}

function matchesOne(token: Token, c: string): boolean {
  switch (token.kind) {
    case 'literal':
      return token.char === c;
    case 'any':
      return c !== '/';
    case 'class': {
      if (c === '/') return false;
      const cp = c.codePointAt(0)!;
      const inside = token.ranges.some(([lo, hi]) => lo.codePointAt(0)! <= cp && cp <= hi.codePointAt(0)!);
      return inside !== token.negated;
    }
    case 'star':
      return false;
  }
}

/** `filepath.Match(pattern, name)`, false for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  const tokens = compile(pattern);
  if (!tokens) return false;
  const chars = [...name];
  // Backtracking with the classic "last star" trick: linear for patterns without stars.
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < chars.length) {
    const token = tokens[t];
    if (token && token.kind === 'star') {
      starT = t++;
      starN = n;
      continue;
    }
    if (token && matchesOne(token, chars[n]!)) {
      t++;
      n++;
      continue;
    }
    // A star may take one more character, but never a separator.
    if (starT >= 0 && chars[starN] !== '/') {
      t = starT + 1;
      n = ++starN;
      continue;
    }
    return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
