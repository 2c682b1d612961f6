/**
 * How JavaScript values stand for Go values inside templates.
 *
 *   undefined        Go's invalid value (a missing map key): prints `<no value>`
 *   null             nil: prints `<nil>`
 *   boolean, string  bool, string
 *   number           int when Number.isInteger, else float64 (JS cannot tell 2.0 from 2)
 *   bigint           int64 beyond 2^53
 *   array            a slice
 *   plain object     a Go map[string]interface{} (range and %v sort its keys),
 *                    unless tagged with `goStruct` (a struct: fields in insertion
 *                    order, a missing field is an error, %v prints `{a b}`)
 *   function         a method or func value; `.Name` on a function property calls it
 *
 * Tags live in WeakMaps so data objects are never mutated.
 */

const STRUCTS = new WeakMap<object, string>();
const MAPS = new WeakMap<object, { zero: unknown }>();

/**
 * Mark `obj` as a Go struct of type `typeName` (e.g. `*formatter.ContainerContext`).
 * A missing field then fails with `can't evaluate field X in type <typeName>`,
 * as Docker's formatters (ps, images, …) do; %v prints `{v1 v2}`.
 */
export function goStruct<T extends object>(obj: T, typeName = 'struct'): T {
  STRUCTS.set(obj, typeName);
  return obj;
}

/**
 * Mark `obj` as a typed Go map (e.g. Docker's `map[string]string` labels).
 * A missing key prints `<no value>` even under `missingKey: 'error'` (Docker's
 * inspect first executes on typed structs, where that is so), JSON encoding
 * sorts its keys as Go's json.Marshal does, and `index` of a missing key
 * yields `zero` (the element type's zero value: '' for map[string]string).
 */
export function goMap<T extends object>(obj: T, zero: unknown = null): T {
  MAPS.set(obj, { zero });
  return obj;
}

const NIL_SLICES = new WeakSet<object>();

/**
 * A typed nil slice (a struct's `[]string` field that is nil): `len` is 0,
 * it prints `[]`, ranges over nothing, and JSON-encodes as `null`, as Go
 * does. Docker's inspect runs templates on typed structs, where JSON's
 * `null` for such a field is this, not an untyped nil.
 */
export function goNilSlice(): unknown[] {
  const s: unknown[] = [];
  NIL_SLICES.add(s);
  return s;
}

export function isNilSlice(v: object): boolean {
  return NIL_SLICES.has(v);
}

export function structTypeName(v: object): string | undefined {
  return STRUCTS.get(v);
}

export function mapTag(v: object): { zero: unknown } | undefined {
  return MAPS.get(v);
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'bigint': return 'int';
    // Beyond int64 only a float64 can hold it.
    case 'number': return Number.isInteger(v) && Math.abs(v as number) < 2 ** 63 ? 'int' : 'float';
    case 'function': return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v) || ArrayBuffer.isView(v)) return 'slice';
      return STRUCTS.has(v) ? 'struct' : 'map';
    default: return 'invalid';
  }
}

/** The Go type name used in messages (`%T`, "wrong type for value; expected string; got int"). */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': return '<nil>';
    case 'nil': return '<nil>';
    case 'bool': return 'bool';
    case 'string': return 'string';
    case 'int': return typeof v === 'bigint' ? 'int64' : 'int';
    case 'float': return 'float64';
    case 'func': return 'func(...) interface {}';
    case 'slice': {
      const a = v as unknown[];
      if (a instanceof Uint8Array) return '[]uint8';
      return '[]interface {}';
    }
    case 'map': return 'map[string]interface {}';
    case 'struct': return STRUCTS.get(v as object) as string;
  }
}

/** Go's template truth: false, 0, nil, empty string/slice/map are false; structs are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil': return false;
    case 'bool': return v as boolean;
    case 'int':
    case 'float': return typeof v === 'bigint' ? v !== 0n : v !== 0;
    case 'string': return (v as string).length > 0;
    case 'slice': return (v as unknown[]).length > 0;
    case 'map': return Object.keys(v as object).length > 0;
    case 'struct':
    case 'func': return true;
  }
}

/** Keys of a map-like object in Go's map iteration order for templates (sorted). */
export function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A user-visible method: Go's Stringer / error interfaces. */
export function stringerOf(v: unknown): (() => unknown) | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const rec = v as { String?: unknown; Error?: unknown };
  if (typeof rec.Error === 'function' && rec.Error.length === 0) return rec.Error.bind(v) as () => unknown;
  if (typeof rec.String === 'function' && rec.String.length === 0) return rec.String.bind(v) as () => unknown;
  return undefined;
}

const encoder = new TextEncoder();

/** Go strings are UTF-8 bytes: `len "é"` is 2. */
export function byteLength(s: string): number {
  return encoder.encode(s).length;
}

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
