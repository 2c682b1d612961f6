/**
 * Checks a control route's JSON body against the Engine API contract
 * (`schemas.generated.ts`, made from the v1.43 swagger) the way dockerd's Go
 * decoder would take it, before anything reaches the engine:
 *
 * 1. `canonicalize` rebuilds the body from the fields the contract knows:
 *    field names match case-insensitively (as Go's do), unknown fields are
 *    dropped and `map[string]struct{}` values emptied (Go ignores both), so
 *    nothing the engine stores can be deeper or stranger than the contract.
 *    On the way, integers are held to Go's rules (digits only, in the Go
 *    type's range: `1e3`, `1.5` and `1e300` are refused).
 * 2. ajv's validators, compiled from the same schemas at generation time
 *    (`validators.generated.ts`), check every type.
 * 3. The first error in document order (Go stops at the first) is worded as
 *    Go's UnmarshalTypeError: "json: cannot unmarshal number into Go struct
 *    field ContainerConfigWrapper.Labels of type string".
 */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { moveLiteral, numberLiteral } from './json-text.ts';
import { BODY_SCHEMAS, type BodyOperation } from './schemas.generated.ts';
import * as VALIDATORS from './validators.generated.ts';

/**
 * dockerd 20.10 words a type error with Go's message alone, and answers 500
 * for create, update and commit (its decoder's error is untyped there), 400
 * for exec; later dockerd (moby's `loadJSON`) answers 400 and prefixes
 * "invalid JSON: ". Berth answers as the reference engine, 20.10.
 */
const TYPE_ERROR_PREFIX = '';
const UNTYPED_DECODE_ERRORS: ReadonlySet<string> = new Set(['ContainerCreate', 'ContainerUpdate', 'ImageCommit']);

interface Schema {
  readonly type?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema;
  readonly items?: Schema;
  readonly goInt?: string;
  readonly 'x-go-type'?: string;
  readonly 'x-go-struct'?: string;
  readonly 'x-go-strslice'?: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go integer types: their [min, max]. */
const INT_RANGES: Record<string, [bigint, bigint]> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  'time.Duration': [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  'fs.FileMode': [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uint: [0n, 2n ** 64n - 1n],
};

/**
 * Go's strconv.ParseInt/ParseUint on the number's source text. A valid
 * 64-bit value beyond 2^53 is stored as the nearest double that prints back
 * inside the range (2^63 rounds to a double that would print as 2^63, which
 * the docker CLI could not decode).
 */
function goIntValid(goType: string, data: number, holder: object, key: string | number): boolean {
  const literal = numberLiteral(holder, key) ?? String(data);
  if (!/^-?\d+$/.test(literal)) return false;
  const range = INT_RANGES[goType] ?? INT_RANGES.int64!;
  if (range[0] === 0n && literal.startsWith('-')) return false;
  const n = BigInt(literal);
  if (n < range[0] || n > range[1]) return false;
  const limit = range[1] === 2n ** 64n - 1n ? 2 ** 64 - 2048 : 2 ** 63 - 1024;
  if (Math.abs(data) > limit) (holder as Json)[key] = Math.sign(data) * limit;
  return true;
}

interface Validator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string }> | null;
}

/** Go's json field matching: the exact name, else a case-insensitive one. */
function fieldOf(schema: Schema, key: string): string | undefined {
  const props = schema.properties!;
  if (Object.hasOwn(props, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(props).find((k) => k.toLowerCase() === lower);
}

/**
 * The body rebuilt from what the contract knows (see the header); the paths
 * of integers Go would refuse are added to `bad`.
 */
function canonicalize(value: unknown, schema: Schema, path: string[], bad: string[][]): unknown {
  if (schema['x-go-strslice']) return value;
  const put = (from: object, key: string | number, out: Json | unknown[], field: string | number, child: Schema) => {
    const v = canonicalize((from as Json)[key], child, [...path, String(field)], bad);
    Object.defineProperty(out, field, { value: v, enumerable: true, writable: true, configurable: true });
    moveLiteral(from, key, out, field);
    if (child.goInt && typeof v === 'number' && !goIntValid(child.goInt, v, out, field)) bad.push([...path, String(field)]);
  };
  if (schema.properties && isObject(value)) {
    const out: Json = {};
    for (const key of Object.keys(value)) {
      const field = fieldOf(schema, key);
      if (field !== undefined) put(value, key, out, field, schema.properties[field]!);
    }
    return out;
  }
  if (schema.additionalProperties && isObject(value)) {
    const out: Json = {};
    for (const key of Object.keys(value)) put(value, key, out, key, schema.additionalProperties);
    return out;
  }
  if (schema.items && Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) put(value, i, out, i, schema.items);
    return out;
  }
  return value;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Positions of an instance path's segments in the body, to order errors as Go meets them. */
function documentOrder(root: unknown, path: string[]): number[] {
  const out: number[] = [];
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v)) {
      out.push(Number(seg));
      v = v[Number(seg)];
    } else if (isObject(v)) {
      out.push(Object.keys(v).indexOf(seg));
      v = v[seg];
    } else break;
  }
  return out;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const segments = (e: { instancePath: string }) => (e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));

const NUMERIC_GO = /^(u?int\d*|float\d+|time\.Duration|fs\.FileMode)$/;

/** Go's UnmarshalTypeError for the value at `path`: the innermost struct, the field path, the Go type. */
function goTypeError(rootSchema: Schema, body: unknown, path: string[]): string {
  let schema = rootSchema;
  let value = body;
  let holder: unknown;
  let key: string | number | undefined;
  let struct: string | undefined;
  const fields: string[] = [];
  for (const seg of path) {
    if (schema['x-go-strslice']) break;
    holder = value;
    if (schema.properties) {
      struct = schema['x-go-struct'];
      fields.push(seg);
      schema = schema.properties[seg]!;
    } else if (schema.additionalProperties) schema = schema.additionalProperties;
    else if (schema.items) schema = schema.items;
    key = Array.isArray(value) ? Number(seg) : seg;
    value = (value as Json)[seg];
  }
  const goType = schema['x-go-type'] ?? 'interface {}';
  let kind = jsonKind(value);
  if (kind === 'number' && NUMERIC_GO.test(goType)) {
    kind = `number ${(holder !== undefined && key !== undefined && numberLiteral(holder as object, key)) || String(value)}`;
  }
  if (struct === undefined) return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${kind} into Go struct field ${struct}.${fields.join('.')} of type ${goType}`;
}

/**
 * The body of `op` as the engine may take it (canonical field names, unknown
 * fields dropped), or dockerd's refusal in its words.
 */
export function decodeBody(op: BodyOperation, body: unknown): unknown {
  const schema = BODY_SCHEMAS[op] as Schema;
  const bad: string[][] = [];
  const value = canonicalize(body, schema, [], bad);
  const validate = VALIDATORS[op] as Validator;
  if (validate(value) && bad.length === 0) return value;
  const paths = [...bad, ...(validate.errors ?? []).map(segments)];
  const errors = paths.map((path) => ({ path, order: documentOrder(value, path) }));
  errors.sort((a, b) => compareOrder(a.order, b.order));
  const first = errors[0];
  const message = TYPE_ERROR_PREFIX + goTypeError(schema, value, first?.path ?? []);
  throw UNTYPED_DECODE_ERRORS.has(op) ? new SystemError(message) : new InvalidParameterError(message);
}
