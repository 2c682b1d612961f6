/**
 * Compose's `.env` / `env_file` syntax (05-services.md "Env_file format", as
 * compose-go's dotenv parser reads it): `VAR=VAL`, `export VAR=VAL`, comments,
 * single quotes literal, double quotes with escapes and interpolation and
 * several lines, unquoted values cut at ` #`, a bare `VAR` taken from the
 * environment. Pure: text in, variables out.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { substitute, type Lookup } from './template.ts';

export interface DotenvOptions {
  /** Variables a bare `VAR` and `${VAR}` read (the environment); searched before the file's own earlier variables. */
  lookup?: Lookup;
  /** `format: raw`: values as written, no quotes or interpolation handled. */
  raw?: boolean;
}

const SPACE = /[\t\v\f\r \u0085\u00a0]/;
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

export function parseDotenv(text: string, opts: DotenvOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const lookup: Lookup = (name) => opts.lookup?.(name) ?? out[name];
  let src = text.replace(/\r\n/g, '\n');
  let line = 1;
  const fail = (msg: string) => new InvalidParameterError(`line ${line}: ${msg}`);
  for (;;) {
    // Skip blank space and comment lines.
    const m = /^\s*/.exec(src) as RegExpExecArray;
    line += (m[0].match(/\n/g) ?? []).length;
    src = src.slice(m[0].length);
    if (src === '') break;
    if (src[0] === '#') {
      const nl = src.indexOf('\n');
      if (nl < 0) break;
      src = src.slice(nl);
      continue;
    }
    if (/^export\s+/.test(src)) src = src.replace(/^export\s+/, '');
    let i = 0;
    let key = '';
    let inherited = false;
    for (; i <= src.length; i++) {
      const ch = src[i];
      if (ch === undefined || ch === '=' || ch === ':' || ch === '\n') {
        key = src.slice(0, i);
        inherited = ch === undefined || ch === '\n';
        break;
      }
      if (SPACE.test(ch) || KEY_CHAR.test(ch)) continue;
      throw fail(`unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(src.split('\n')[0])}`);
    }
    key = key.trimEnd();
    if (key.includes(' ')) throw fail('key cannot contain a space');
    src = src.slice(i + 1);
    if (inherited) {
      const v = opts.lookup?.(key);
      if (v !== undefined) out[key] = v;
      line++;
      continue;
    }
    src = src.replace(/^[\t\v\f\r \u0085\u00a0]*/, '');
    const quote = src[0];
    if (opts.raw || (quote !== '"' && quote !== "'")) {
      const nl = src.indexOf('\n');
      let value = nl < 0 ? src : src.slice(0, nl);
      src = nl < 0 ? '' : src.slice(nl + 1);
      line++;
      if (!opts.raw) {
        const hash = value.indexOf(' #');
        if (hash >= 0) value = value.slice(0, hash);
        value = substitute(value.trimEnd(), lookup);
      }
      out[key] = value;
      continue;
    }
    let chars = '';
    let escape = false;
    let end = -1;
    for (let j = 1; j < src.length; j++) {
      const ch = src[j] as string;
      if (ch === '\n') line++;
      if (ch !== quote) {
        if (!escape && ch === '\\') {
          escape = true;
          continue;
        }
        if (escape) chars += '\\';
        escape = false;
        chars += ch;
        continue;
      }
      if (escape) {
        escape = false;
        chars += ch;
        continue;
      }
      end = j;
      break;
    }
    if (end < 0) throw fail(`unterminated quoted value ${src.split('\n')[0]}`);
    out[key] = quote === '"' ? substitute(expandEscapes(chars), lookup) : chars;
    src = src.slice(end + 1);
    // The rest of the line after the closing quote may only be a comment.
    const nl = src.indexOf('\n');
    const rest = nl < 0 ? src : src.slice(0, nl);
    if (rest.trim() === '' || rest.trim().startsWith('#')) src = nl < 0 ? '' : src.slice(nl);
  }
  return out;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', c: 'c', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

/** Go-style escapes inside double quotes; `\$` stays an escaped dollar for interpolation. */
function expandEscapes(s: string): string {
  return s.replace(/\\([abcfnrtv$"\\]|0[0-7]{0,3})/g, (all, e: string) => {
    if (e === '$') return '$$';
    if (e.startsWith('0')) return e.length > 1 ? String.fromCharCode(Number.parseInt(e.slice(1), 8)) : '\0';
    return ESCAPES[e] ?? all;
  });
}
