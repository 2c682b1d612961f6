/**
 * Compose's variable substitution in one string (12-interpolation.md), with
 * compose-go's semantics and words: `$VAR`, `${VAR}`, `${VAR:-d}`,
 * `${VAR-d}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`,
 * nesting inside defaults and messages, `$$` for a literal `$`. A `$` not
 * followed by a name or `{` is kept as it is.
 */
import { InvalidParameterError } from '../../util/errors.ts';

/** A variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export class InvalidTemplateError extends InvalidParameterError {
  constructor(readonly template: string) {
    super(`Invalid template: ${JSON.stringify(template)}`);
  }
}

export class MissingRequiredError extends InvalidParameterError {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(reason ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
  }
}

export interface SubstituteOptions {
  /** Called for each `$VAR`/`${VAR}` that is not set (compose warns and uses ""). */
  onUnset?: (name: string) => void;
}

const NAME_START = /[_a-zA-Z]/;
const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const OPERATORS = [':?', '?', ':-', '-', ':+', '+'] as const;

/** The index of the `}` closing the `{` at `open`, counting nested `{` (compose-go's getFirstBraceClosingIndex). */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return -1;
    if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
    if (c === '{') {
      depth++;
      i++;
    }
  }
  return -1;
}

export function substitute(template: string, lookup: Lookup, opts: SubstituteOptions = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    const next = template[i + 1];
    if (c !== '$' || next === undefined) {
      out += c;
      i++;
      continue;
    }
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (NAME_START.test(next)) {
      const name = (NAME.exec(template.slice(i + 1)) as RegExpExecArray)[0];
      out += variable(name, lookup, opts);
      i += 1 + name.length;
      continue;
    }
    if (next !== '{') {
      out += c;
      i++;
      continue;
    }
    const close = closingBrace(template, i + 1);
    if (close < 0) throw new InvalidTemplateError(template);
    out += braced(template.slice(i + 2, close), template, lookup, opts);
    i = close + 1;
  }
  return out;
}

function variable(name: string, lookup: Lookup, opts: SubstituteOptions): string {
  const v = lookup(name);
  if (v === undefined) {
    opts.onUnset?.(name);
    return '';
  }
  return v;
}

function braced(inner: string, template: string, lookup: Lookup, opts: SubstituteOptions): string {
  const m = NAME.exec(inner);
  if (!m) throw new InvalidTemplateError(template);
  const name = m[0];
  const tail = inner.slice(name.length);
  if (tail === '') return variable(name, lookup, opts);
  const op = OPERATORS.find((o) => tail.startsWith(o));
  if (!op) throw new InvalidTemplateError(template);
  const arg = tail.slice(op.length);
  const value = lookup(name);
  const empty = value === undefined || value === '';
  switch (op) {
    case ':-':
      return empty ? substitute(arg, lookup, opts) : value;
    case '-':
      return value === undefined ? substitute(arg, lookup, opts) : value;
    case ':+':
      return empty ? (value ?? '') : substitute(arg, lookup, opts);
    case '+':
      return value === undefined ? '' : substitute(arg, lookup, opts);
    case ':?':
      if (empty) throw new MissingRequiredError(name, substitute(arg, lookup, opts));
      return value;
    case '?':
      if (value === undefined) throw new MissingRequiredError(name, substitute(arg, lookup, opts));
      return value;
  }
}
