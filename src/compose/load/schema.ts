/**
 * Validation against compose-spec.json (draft-07) with ajv, reported as
 * docker compose v2 reports it: the single most specific error (the deepest
 * instance path, an unknown key counting one deeper), in compose-go's words
 * (`services.web additional properties 'foo' not allowed`, `services.web.ports
 * must be a array`), prefixed `validating <file>:`. compose-go uses
 * santhosh-tekuri/jsonschema; the translation of ajv's error kinds to that
 * library's texts is here. The validator is generated ahead of time from
 * compose-spec.json by ajv (scripts/gen-compose-validator.mjs).
 */
import type { ErrorObject } from 'ajv';
import { InvalidParameterError } from '../../util/errors.ts';
import { validate } from './compose-spec-validator.js';

/** Validate a merged model; throws `validating <file>: <message>`. */
export function validateSchema(model: unknown, filename: string): void {
  if (validate(model)) return;
  throw new InvalidParameterError(`validating ${filename}: ${describeErrors(validate.errors ?? [], model)}`);
}

/** The value an error is about (ajv's `verbose` would carry it, at the cost of a larger validator). */
function dataAt(model: unknown, e: ErrorObject): unknown {
  let v = model;
  for (const k of pathOf(e)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function pathOf(e: ErrorObject): string[] {
  if (e.instancePath === '') return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function specificity(e: ErrorObject): number {
  return pathOf(e).length + (e.keyword === 'additionalProperties' ? 1 : 0);
}

/** santhosh-tekuri's quote(): Go %q with single quotes outside. */
function quote(s: string): string {
  const q = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${q}'`;
}

function display(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v !== null && typeof v === 'object') return 'value';
  return String(v);
}

function humanType(types: string[]): string {
  const names = types.map((t) => (t === 'object' ? 'mapping' : t));
  if (names.length === 1) return names[0] as string;
  names.sort();
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function isSummary(e: ErrorObject): boolean {
  if (e.keyword === 'if') return true;
  if (e.keyword === 'oneOf' || e.keyword === 'anyOf') return (e.params as { passingSchemas?: unknown }).passingSchemas == null;
  return false;
}

export function describeErrors(errors: ErrorObject[], model: unknown): string {
  const leaves = errors.filter((e) => !isSummary(e));
  const pool = leaves.length > 0 ? leaves : errors;
  let best: ErrorObject | undefined;
  for (const e of pool) if (!best || specificity(e) > specificity(best)) best = e;
  if (!best) return 'validation failed';
  // santhosh reports all unknown keys (or missing ones) of one object in a single error.
  const siblings = pool.filter((e) => e.keyword === best.keyword && e.instancePath === best.instancePath && e.schemaPath === best.schemaPath);
  const path = pathOf(best).join('.');
  const text = message(best, siblings, dataAt(model, best));
  return path ? `${path} ${text}` : text;
}

function message(e: ErrorObject, siblings: ErrorObject[], data: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `must be a ${humanType(String(p['type']).split(','))}`;
    case 'additionalProperties':
      return `additional properties ${siblings.map((s) => quote(String((s.params as { additionalProperty: string }).additionalProperty))).join(', ')} not allowed`;
    case 'required': {
      const missing = siblings.map((s) => quote(String((s.params as { missingProperty: string }).missingProperty)));
      return missing.length === 1 ? `missing property ${missing[0]}` : `missing properties ${missing.join(', ')}`;
    }
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]) ?? [];
      return allowed.length === 1 ? `value must be ${display(allowed[0])}` : `value must be one of ${allowed.map(display).join(', ')}`;
    }
    case 'const':
      return `value must be ${display(p['allowedValue'])}`;
    case 'minimum':
      return `must be greater than or equal to ${p['limit']}`;
    case 'maximum':
      return `must be less than or equal to ${p['limit']}`;
    case 'pattern':
      return `${quote(String(data))} does not match pattern ${quote(String(p['pattern']))}`;
    case 'minItems':
      return `minItems: got ${(data as unknown[]).length}, want ${p['limit']}`;
    case 'maxItems':
      return `maxItems: got ${(data as unknown[]).length}, want ${p['limit']}`;
    case 'minLength':
      return `minLength: got ${[...String(data)].length}, want ${p['limit']}`;
    case 'maxLength':
      return `maxLength: got ${[...String(data)].length}, want ${p['limit']}`;
    case 'minProperties':
      return `minProperties: got ${Object.keys(data as object).length}, want ${p['limit']}`;
    case 'maxProperties':
      return `maxProperties: got ${Object.keys(data as object).length}, want ${p['limit']}`;
    case 'uniqueItems':
      return `items at ${p['j']} and ${p['i']} are equal`;
    case 'oneOf': {
      const passing = p['passingSchemas'];
      return Array.isArray(passing) ? `oneOf failed, subschemas ${passing[0]}, ${passing[1]} matched` : 'oneOf failed, none matched';
    }
    case 'anyOf':
      return 'anyOf failed';
    case 'not':
      return 'not failed';
    case 'propertyNames':
      return `invalid propertyName ${quote(String(p['propertyName']))}`;
    case 'dependencies':
    case 'dependentRequired':
      return `properties ${quote(String(p['missingProperty']))} required, if ${quote(String(p['property']))} exists`;
    case 'false schema':
      return 'false schema';
    default:
      return e.message ?? 'validation failed';
  }
}
