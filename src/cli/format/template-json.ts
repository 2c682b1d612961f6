/**
 * Docker's `json` template function: Go's json.Encoder with SetEscapeHTML(false),
 * trailing newline trimmed (docker/cli `templates.formatJSON`). Differences from
 * JSON.stringify that matter: U+2028/U+2029 are escaped, other control
 * characters as `\u00XX`, bigint is a number, nil slices and maps are `null`,
 * and maps tagged with `goMap` have their keys sorted as json.Marshal sorts.
 * Plain objects keep insertion order (Docker's structs marshal in field order).
 * An object with `toJSON()` is encoded as what it returns (Go's MarshalJSON).
 */
import { isNilSlice, mapTag, sortedKeys } from './template-values.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
  '\u2028': '\\u2028', '\u2029': '\\u2029',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

function encodeString(s: string, escapeHtml = false): string {
  // eslint-disable-next-line no-control-regex
  const special = escapeHtml ? /["\\\x00-\x1f\u2028\u2029<>&]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g : /["\\\x00-\x1f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  return `"${s.replace(special, (c) => {
    const e = ESCAPES[c] ?? HTML_ESCAPES[c];
    if (e) return e;
    if (c.charCodeAt(0) >= 0xd800) return '\ufffd'; // lone surrogate: Go writes invalid UTF-8 as U+FFFD
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

export class JsonEncodeError extends Error {}

/** JSON text already encoded (Go's json.RawMessage, what a MarshalJSON returns): written as it is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Go's json.Marshal of a map[string]string-like object: keys sorted, and
 * <, > and & escaped (json.Marshal escapes HTML, where the `json` template
 * function does not). docker's list rows marshal so (formatter.MarshalJSON).
 */
export function marshalSortedMap(rec: Record<string, unknown>): RawJson {
  const parts = Object.keys(rec)
    .sort()
    .flatMap((k) => {
      const v = rec[k];
      const e = typeof v === 'string' ? encodeString(v, true) : encode(v, new Set());
      return e === undefined ? [] : [`${encodeString(k, true)}:${e}`];
    });
  return new RawJson(`{${parts.join(',')}}`);
}

function encode(v: unknown, seen: Set<object>): string | undefined {
  switch (typeof v) {
    case 'undefined': return undefined;
    case 'string': return encodeString(v);
    case 'boolean': return String(v);
    case 'bigint': return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new JsonEncodeError(`json: unsupported value: ${v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : 'NaN'}`);
      if (Object.is(v, -0)) return '-0';
      // Go's int64 prints exactly; JS would round 2^60 to 1152921504606847000.
      return Number.isInteger(v) && !Number.isSafeInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v);
    case 'function':
    case 'symbol': return undefined;
  }
  if (v === null) return 'null';
  if (v instanceof RawJson) return v.text;
  const obj = v as object;
  if (seen.has(obj)) throw new JsonEncodeError('json: unsupported value: encountered a cycle');
  const withToJson = obj as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') return encode((withToJson.toJSON as () => unknown).call(obj), seen);
  seen.add(obj);
  try {
    if (obj instanceof Uint8Array) return `"${btoaBytes(obj)}"`;
    if (Array.isArray(obj)) return isNilSlice(obj) ? 'null' : `[${obj.map((x) => encode(x, seen) ?? 'null').join(',')}]`;
    const rec = obj as Record<string, unknown>;
    const keys = mapTag(obj) ? sortedKeys(rec) : Object.keys(rec);
    const parts: string[] = [];
    for (const k of keys) {
      const e = encode(rec[k], seen);
      if (e !== undefined) parts.push(`${encodeString(k)}:${e}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** Go encodes []byte as base64. */
function btoaBytes(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** `{{json .}}`: compact JSON; `undefined` (no value) encodes as `null`. */
export function encodeJson(v: unknown): string {
  return encode(v, new Set()) ?? 'null';
}
