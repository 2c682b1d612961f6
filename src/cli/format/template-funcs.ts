/**
 * Template functions: Go's predefined ones (`text/template/funcs.go`) and
 * Docker's additions (docker/cli `templates/templates.go`). A function that
 * throws a `FuncError` is reported as Go does: `error calling index: …`.
 * `and`, `or` and `call` are evaluated by the executor (they are lazy or
 * take a function value) and appear here only so the parser knows them.
 */
import { encodeJson } from './template-json.ts';
import { formatV, sprint, sprintf, sprintln } from './template-fmt.ts';
import { isGoPrint } from './template-quote.ts';
import {
  byteLength, fromUtf8, goTypeName, isTrue, kindOf, mapTag, sortedKeys, utf8Bytes,
} from './template-values.ts';

export type ParamKind = 'any' | 'string' | 'int';

export interface TemplateFunc {
  params: readonly ParamKind[];
  /** Kind of each extra argument when the function is variadic. */
  variadic?: ParamKind;
  fn: (...args: unknown[]) => unknown;
}

/** A function's own failure; the executor prefixes `error calling <name>: `. */
export class FuncError extends Error {}

const ANY: readonly ParamKind[] = ['any'];

function indexArg(index: unknown, cap: number): number {
  if (index === null || index === undefined) throw new FuncError('cannot index slice/array with nil');
  if (kindOf(index) !== 'int') throw new FuncError(`cannot index slice/array with type ${goTypeName(index)}`);
  const x = Number(index);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  for (const ix of indexes) {
    const kind = kindOf(item);
    if (kind === 'slice' || kind === 'string') {
      const seq = kind === 'string' ? utf8Bytes(item as string) : (item as ArrayLike<unknown>);
      const x = indexArg(ix, seq.length);
      if (x === seq.length) throw new FuncError(`index out of range: ${x}`);
      item = seq[x];
    } else if (kind === 'map') {
      if (typeof ix !== 'string') {
        throw new FuncError(ix === null || ix === undefined
          ? 'value is nil; should be of type string'
          : `value has type ${goTypeName(ix)}; should be string`);
      }
      const rec = item as Record<string, unknown>;
      item = Object.hasOwn(rec, ix) ? rec[ix] : (mapTag(rec)?.zero ?? null);
    } else if (kind === 'nil') {
      throw new FuncError('index of nil pointer');
    } else {
      throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  if (kind === 'string' && indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
  if (kind !== 'string' && kind !== 'slice') throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
  const seq = kind === 'string' ? utf8Bytes(item as string) : (item as unknown[]);
  const idx = [0, seq.length, seq.length];
  indexes.forEach((ix, i) => { idx[i] = indexArg(ix, seq.length); });
  const [lo = 0, hi = 0, max = 0] = idx;
  if (lo > hi) throw new FuncError(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > max) throw new FuncError(`invalid slice index: ${hi} > ${max}`);
  return kind === 'string' ? fromUtf8((seq as Uint8Array).slice(lo, hi)) : (seq as unknown[]).slice(lo, hi);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'string': return byteLength(item as string);
    case 'slice': return (item as unknown[]).length;
    case 'map': return Object.keys(item as object).length;
    case 'nil': throw new FuncError('len of nil pointer');
    case 'invalid': throw new FuncError('len of untyped nil');
    default: throw new FuncError(`len of type ${goTypeName(item)}`);
  }
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: unknown): BasicKind | undefined {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : undefined;
}

/** Go compares ints and floats only within their kind; we compare JS numbers by value. */
function sameKind(a: BasicKind, b: BasicKind): boolean {
  return a === b || (a !== 'bool' && a !== 'string' && b !== 'bool' && b !== 'string');
}

function eq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    if (k1 && k2) {
      if (!sameKind(k1, k2)) throw new FuncError('incompatible types for comparison');
      if (arg1 == arg) return true; // eslint-disable-line eqeqeq -- number vs bigint by value
      continue;
    }
    const nil1 = arg1 === null || arg1 === undefined;
    const nil2 = arg === null || arg === undefined;
    if (nil1 || nil2) {
      if (!nil1 && k1) throw new FuncError('incompatible types for comparison');
      if (!nil2 && k2) throw new FuncError('incompatible types for comparison');
      if (nil1 && nil2) return true;
      continue;
    }
    if (k1 || k2) throw new FuncError('incompatible types for comparison');
    const k = kindOf(arg);
    if (k === 'slice' || k === 'map' || k === 'func') throw new FuncError(`non-comparable type ${formatV(arg)}: ${goTypeName(arg)}`);
    if (arg1 === arg) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (!k1 || !k2) throw new FuncError('invalid type for comparison');
  if (!sameKind(k1, k2)) throw new FuncError('incompatible types for comparison');
  if (k1 === 'bool') throw new FuncError('invalid type for comparison');
  return (a as number) < (b as number);
}

/** Arguments of html/js/urlquery: one string as is, else fmt.Sprint of all. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? '<no value>' : a)));
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;',
};

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if ('<>&='.includes(ch)) out += `\\u00${r.toString(16).toUpperCase()}`;
    else if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r < 0x80 || isGoPrint(r)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** strings.Title: upper-case the first letter of each word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /[\p{L}\p{Nd}_]/u.test(prev) ? false : prev.charCodeAt(0) < 0x80 ? true : /\s/u.test(prev);
    out += sep ? runeMap(ch, 'upper') : ch;
    prev = ch;
  }
  return out;
}

/** Per-rune case mapping; Go keeps a rune whose mapping is not a single rune ('ß'). */
function runeMap(ch: string, to: 'upper' | 'lower'): string {
  const m = to === 'upper' ? ch.toUpperCase() : ch.toLowerCase();
  return Array.from(m).length === 1 ? m : ch;
}

function mapRunes(s: string, to: 'upper' | 'lower'): string {
  let out = '';
  for (const ch of s) out += runeMap(ch, to);
  return out;
}

/** docker/cli joinElements: strings.Join, or fmt.Sprint of each element (map values sorted). */
function join(elems: unknown, sep: string): string {
  if (elems === null || elems === undefined) return '';
  const kind = kindOf(elems);
  if (kind === 'slice') return Array.from(elems as ArrayLike<unknown>, (x) => formatV(x)).join(sep);
  if (kind === 'map') {
    const rec = elems as Record<string, unknown>;
    return sortedKeys(rec).map((k) => formatV(rec[k])).sort().join(sep);
  }
  throw new FuncError(`expected slice, got ${goTypeName(elems)}`);
}

/** Go's predefined functions. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['and', { params: ANY, variadic: 'any', fn: () => undefined }],
  ['or', { params: ANY, variadic: 'any', fn: () => undefined }],
  ['call', { params: ANY, variadic: 'any', fn: () => undefined }],
  ['not', { params: ANY, fn: (a) => !isTrue(a) }],
  ['len', { params: ANY, fn: length }],
  ['index', { params: ANY, variadic: 'any', fn: index }],
  ['slice', { params: ANY, variadic: 'any', fn: slice }],
  ['print', { params: [], variadic: 'any', fn: (...a) => sprint(a) }],
  ['println', { params: [], variadic: 'any', fn: (...a) => sprintln(a) }],
  ['printf', { params: ['string'], variadic: 'any', fn: (f, ...a) => sprintf(f as string, a) }],
  ['eq', { params: ANY, variadic: 'any', fn: eq }],
  ['ne', { params: ['any', 'any'], fn: (a, b) => !eq(a, b) }],
  ['lt', { params: ['any', 'any'], fn: lt }],
  ['le', { params: ['any', 'any'], fn: (a, b) => lt(a, b) || eq(a, b) }],
  ['gt', { params: ['any', 'any'], fn: (a, b) => !(lt(a, b) || eq(a, b)) }],
  ['ge', { params: ['any', 'any'], fn: (a, b) => !lt(a, b) }],
  ['html', { params: [], variadic: 'any', fn: (...a) => evalArgs(a).replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c] as string) }],
  ['js', { params: [], variadic: 'any', fn: (...a) => jsEscape(evalArgs(a)) }],
  ['urlquery', { params: [], variadic: 'any', fn: (...a) => queryEscape(evalArgs(a)) }],
]);

/** docker/cli `templates.basicFunctions`. */
export const DOCKER_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['json', { params: ANY, fn: (v) => encodeJson(v) }],
  ['split', { params: ['string', 'string'], fn: (s, sep) => (sep === '' ? Array.from(s as string) : (s as string).split(sep as string)) }],
  ['join', { params: ['any', 'string'], fn: (e, sep) => join(e, sep as string) }],
  ['title', { params: ['string'], fn: (s) => title(s as string) }],
  ['lower', { params: ['string'], fn: (s) => mapRunes(s as string, 'lower') }],
  ['upper', { params: ['string'], fn: (s) => mapRunes(s as string, 'upper') }],
  ['pad', { params: ['string', 'int', 'int'], fn: (s, pre, post) => (s === '' ? '' : ' '.repeat(Math.max(Number(pre), 0)) + (s as string) + ' '.repeat(Math.max(Number(post), 0))) }],
  // Bytes, not runes, as docker/cli does (`source[:length]`).
  ['truncate', { params: ['string', 'int'], fn: (s, n) => (byteLength(s as string) < Number(n) ? s : fromUtf8(utf8Bytes(s as string).slice(0, Math.max(Number(n), 0)))) }],
]);

const identity = (v: unknown): unknown => v;

/**
 * docker/cli `templates.HeaderFunctions`: used when rendering a table header,
 * so that `{{upper .Name}}` keeps the column title intact (`pad` is kept).
 */
export const HEADER_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['json', { params: ['string'], fn: identity }],
  ['split', { params: ['string', 'string'], fn: identity }],
  ['join', { params: ['string', 'string'], fn: identity }],
  ['title', { params: ['string'], fn: identity }],
  ['lower', { params: ['string'], fn: identity }],
  ['upper', { params: ['string'], fn: identity }],
  ['truncate', { params: ['string', 'int'], fn: identity }],
]);
