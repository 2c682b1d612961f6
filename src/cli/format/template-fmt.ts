/**
 * The parts of Go's `fmt` that templates reach: `print`/`println` (Sprint,
 * Sprintln), `printf` (Sprintf with flags, width, precision, `%[n]` indexes
 * and Go's `%!verb(type=value)` complaints), and the `%v` rendering used when
 * an action prints a value (`[a b]`, `map[a:1 b:2]`, `{1 x}`, `<nil>`).
 */
import { goQuote, goQuoteChar, goQuoteRune } from './template-quote.ts';
import {
  goTypeName, kindOf, sortedKeys, stringerOf, structTypeName, utf8Bytes,
} from './template-values.ts';

/**
 * Digits and decimal exponent of |f|: the shortest round-trip digits when
 * `sig` is undefined, else rounded to `sig` significant digits with ties to
 * even on the exact binary value, as strconv does (JS's toFixed/toExponential
 * round ties away from zero: 2.5 → "3" where Go prints "2").
 */
function decimalDigits(f: number, sig?: number): { digits: string; exp: number } {
  const a = Math.abs(f);
  if (sig === undefined || a === 0) {
    const [mant = '0', e = '0'] = a.toExponential(sig === undefined ? undefined : Math.max(sig - 1, 0)).split('e');
    return { digits: mant.replace('.', ''), exp: Number(e) };
  }
  const [mant = '0', e = '0'] = a.toExponential(99).split('e');
  const all = mant.replace('.', '');
  let exp = Number(e);
  if (sig <= 0) {
    // Everything rounds away: up to one unit at position `sig` only past a half.
    const up = sig === 0 && (all[0] as string) > '5' || (sig === 0 && all[0] === '5' && /[1-9]/.test(all.slice(1)));
    return up ? { digits: '1', exp: exp + 1 } : { digits: '0', exp: exp - sig };
  }
  let head = all.slice(0, sig);
  const rest = all.slice(sig);
  const last = Number(head[head.length - 1]);
  const up = (rest[0] as string) > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1));
  if (up) {
    const bumped = (BigInt(head) + 1n).toString();
    if (bumped.length > head.length) {
      exp++;
      head = bumped.slice(0, sig);
    } else {
      head = bumped;
    }
  }
  return { digits: head, exp };
}

function expSuffix(exp: number, upper: boolean): string {
  const abs = Math.abs(exp);
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

/** strconv.FormatFloat(f, 'g'|'e'|'f', prec, 64), with Go's exponent style (`e+06`). */
export function formatFloat(f: number, verb: 'g' | 'G' | 'e' | 'E' | 'f' | 'F', prec?: number, sharp = false): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  const upper = verb === 'G' || verb === 'E';
  if (verb === 'f' || verb === 'F') {
    // Round |f|·10^p to an integer N, then place the decimal point.
    const p = prec ?? 6;
    const magnitude = Number(Math.abs(f).toExponential().split('e')[1]);
    const { digits, exp } = decimalDigits(f, magnitude + 1 + p);
    const n = digits === '0' ? '0' : digits + '0'.repeat(Math.max(0, exp - digits.length + 1 + p));
    const padded = n.padStart(p + 1, '0');
    return sign + padded.slice(0, padded.length - p) + (p > 0 ? `.${padded.slice(padded.length - p)}` : '');
  }
  if (verb === 'e' || verb === 'E') {
    const { digits, exp } = decimalDigits(f, (prec ?? 6) + 1);
    const frac = digits.slice(1).padEnd(prec ?? 6, '0');
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}${expSuffix(exp, upper)}`;
  }
  const shortest = prec === undefined;
  let { digits, exp } = decimalDigits(f, shortest ? undefined : prec === 0 ? 1 : prec);
  if (!sharp) digits = digits.replace(/(?<=.)0+$/, '');
  let eprec = shortest ? 6 : prec === 0 ? 1 : prec;
  if (!shortest && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) {
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}${expSuffix(exp, upper)}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return sign + digits + '0'.repeat(dp - digits.length);
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** `%v` (and `%+v` with `plus`) of any value, as fmt prints it. */
export function formatV(v: unknown, plus = false): string {
  const stringer = stringerOf(v);
  if (stringer) return String(stringer());
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return '<nil>';
    case 'bool':
    case 'string': return String(v);
    case 'int': return typeof v === 'number' && !Number.isSafeInteger(v) ? BigInt(v).toString() : String(v);
    case 'float': return formatFloat(v as number, 'g');
    case 'func': return '0x0';
    case 'slice': return `[${Array.from(v as ArrayLike<unknown>, (x) => formatV(x, plus)).join(' ')}]`;
    case 'map': {
      const o = v as Record<string, unknown>;
      return `map[${sortedKeys(o).map((k) => `${k}:${formatV(o[k], plus)}`).join(' ')}]`;
    }
    case 'struct': {
      const o = v as Record<string, unknown>;
      const fields = Object.keys(o).filter((k) => typeof o[k] !== 'function');
      return `{${fields.map((k) => (plus ? `${k}:` : '') + formatV(o[k], plus)).join(' ')}}`;
    }
  }
}

/** fmt.Sprint: operands joined, a space only between two non-strings. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(a);
  });
  return out;
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map((a) => formatV(a)).join(' ')}\n`;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const len = Array.from(s).length;
  if (spec.width === undefined || len >= spec.width) return s;
  const n = spec.width - len;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatV(v)})`;
}

function fmtInteger(v: number | bigint, verb: string, spec: Spec): string {
  const big = BigInt(v);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  let body: string;
  switch (verb) {
    case 'b': body = abs.toString(2); break;
    case 'o': body = (spec.sharp ? '0' : '') + abs.toString(8); break;
    case 'O': body = `0o${abs.toString(8)}`; break;
    case 'x': body = (spec.sharp ? '0x' : '') + abs.toString(16); break;
    case 'X': body = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase(); break;
    case 'c': return pad(String.fromCodePoint(Number(big)), spec, false);
    case 'q': return pad(goQuoteChar(Number(big), spec.plus), spec, false);
    case 'U': return pad(spec.sharp ? goQuoteRune(Number(big)) : goQuoteRune(Number(big)).split(' ')[0] as string, spec, false);
    default: body = abs.toString(10);
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + body, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function fmtString(s: string, verb: string, spec: Spec): string {
  if (spec.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) s = Array.from(s).slice(0, spec.prec).join('');
  switch (verb) {
    case 'q':
      if (spec.sharp && !s.includes('`') && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)) return pad(`\`${s}\``, spec, false);
      return pad(goQuote(s, spec.plus), spec, false);
    case 'x':
    case 'X': {
      let hex = Array.from(utf8Bytes(s), (b) => (spec.sharp ? '0x' : '') + b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      if (!spec.space && spec.sharp) hex = `0x${hex.replace(/0x/g, '')}`;
      return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, false);
    }
    default: return pad(s, spec, false);
  }
}

/** Format one operand for one verb. */
function formatOne(verb: string, v: unknown, spec: Spec): string {
  if (verb === 'T') return pad(goTypeName(v), spec, false);
  const stringer = stringerOf(v);
  if (stringer && 'vsqxX'.includes(verb)) return fmtString(String(stringer()), verb, spec);
  const kind = kindOf(v);
  if (verb === 'v' && kind !== 'slice') {
    if (kind === 'float') return pad(formatFloat(v as number, 'g', spec.prec, spec.sharp), spec, true);
    if (kind === 'int') return fmtInteger(v as number, 'd', spec);
    if (kind === 'string') return fmtString(v as string, spec.sharp ? 'q' : 's', { ...spec, sharp: false });
    return pad(formatV(v, spec.plus), spec, false);
  }
  switch (kind) {
    case 'bool':
      return verb === 't' ? pad(String(v), spec, false) : badVerb(verb, v);
    case 'int':
      if ('bcdoOqxXU'.includes(verb)) return fmtInteger(v as number, verb, spec);
      if ('eEfFgG'.includes(verb)) return pad(formatFloat(Number(v), verb as 'g', spec.prec, spec.sharp), spec, true);
      return badVerb(verb, v);
    case 'float':
      if ('eEfFgG'.includes(verb)) {
        const s = formatFloat(v as number, verb as 'g', spec.prec, spec.sharp);
        return pad(spec.plus && !s.startsWith('-') ? `+${s}` : spec.space && !s.startsWith('-') ? ` ${s}` : s, spec, true);
      }
      return badVerb(verb, v);
    case 'string':
      return 'sqxX'.includes(verb) ? fmtString(v as string, verb, spec) : badVerb(verb, v);
    case 'slice': {
      const items = Array.from(v as ArrayLike<unknown>);
      if ((verb === 'x' || verb === 'X') && items.every((x) => typeof x === 'string')) {
        return items.map((x) => fmtString(x as string, verb, spec)).join(' ');
      }
      return `[${items.map((x) => formatOne(verb, x, { ...spec, width: spec.width })).join(' ')}]`;
    }
    case 'map':
    case 'struct':
      if (verb === 's' || verb === 'd' || verb === 'q' || verb === 'x') {
        const o = v as Record<string, unknown>;
        const keys = kind === 'map' ? sortedKeys(o) : Object.keys(o);
        const inner = keys.map((k) => (kind === 'map' ? `${k}:` : '') + formatOne(verb, o[k], spec)).join(' ');
        return kind === 'map' ? `map[${inner}]` : `{${inner}}`;
      }
      return badVerb(verb, v);
    default:
      return badVerb(verb, v);
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  const readNum = (): number | undefined => {
    const m = /^\d+/.exec(format.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  const readIndex = (): boolean => {
    if (format[i] !== '[') return true;
    const m = /^\[(\d+)\]/.exec(format.slice(i));
    reordered = true;
    if (!m || Number(m[1]) < 1 || Number(m[1]) > args.length) {
      const close = format.indexOf(']', i);
      i = close < 0 ? n : close + 1;
      return false;
    }
    argNum = Number(m[1]) - 1;
    i += m[0].length;
    return true;
  };
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    let goodIndex = readIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        spec.width = Math.abs(w);
        if (w < 0) spec.minus = true;
      } else out += '%!(BADWIDTH)';
      goodIndex = readIndex();
    } else {
      spec.width = readNum();
    }
    if (format[i] === '.') {
      i++;
      goodIndex = readIndex() && goodIndex;
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) spec.prec = p;
        else out += '%!(BADPREC)';
        goodIndex = readIndex() && goodIndex;
      } else {
        spec.prec = readNum() ?? 0;
      }
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else if (verb === 'w' || !/[a-zA-Z]/.test(verb)) out += badVerb(verb, args[argNum++]);
    else out += formatOne(verb, args[argNum++], spec);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args.slice(argNum).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatV(a)}`)).join(', ')})`;
  }
  return out;
}

/** Name of the struct type, for "can't evaluate field X in type T". */
export function typeNameFor(v: object): string {
  return structTypeName(v) ?? goTypeName(v);
}
