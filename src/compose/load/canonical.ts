/**
 * Short syntaxes into long ones, on the merged tree after each file (as
 * compose-go's transform.Canonical), and the folding of entries that share a
 * unique key (13-merge.md "Unique resources"; compose-go's EnforceUnicity):
 * the later entry replaces the earlier one in its place. Errors name the key
 * path (`services.web.ports.0: invalid containerPort: x`).
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { isDict, listOrDictToDict } from './merge.ts';
import { parsePortSpec, portKey } from './ports.ts';
import { parseVolumeSpec } from './volume-spec.ts';
import type { ServicePort } from './model.ts';

type Dict = Record<string, unknown>;

/** Without interpolation a short syntax may hold `${VAR}`: then (`lenient`) compose keeps what does not parse as written. */
function fail(path: string, err: unknown, raw: unknown, lenient: boolean): unknown {
  if (lenient) return raw;
  throw new InvalidParameterError(`${path}: ${(err as Error).message}`, { cause: err });
}

function canonicalPorts(v: unknown, path: string, lenient: boolean): unknown[] {
  const out: unknown[] = [];
  (Array.isArray(v) ? v : []).forEach((entry, i) => {
    if (typeof entry === 'number' || typeof entry === 'string') {
      try {
        out.push(...parsePortSpec(String(entry)));
      } catch (err) {
        out.push(fail(`${path}.${i}`, err, entry, lenient));
      }
    } else if (isDict(entry)) {
      const p: Dict = { ...entry };
      if (p['published'] !== undefined) p['published'] = String(p['published']);
      if (typeof p['target'] === 'string') p['target'] = Number(p['target']);
      out.push(p);
    } else out.push(entry);
  });
  return out;
}

function canonicalVolume(entry: unknown, path: string, lenient: boolean): unknown {
  if (typeof entry !== 'string') return entry;
  try {
    const v = parseVolumeSpec(entry);
    return { ...v, target: cleanTarget(v.target) };
  } catch (err) {
    return fail(path, err, entry, lenient);
  }
}

/** Go's path.Clean for a container path. */
export function cleanTarget(p: string): string {
  if (p === '') return '';
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!abs) parts.push('..');
    } else parts.push(seg);
  }
  const joined = parts.join('/');
  return abs ? `/${joined}` : joined || '.';
}

function canonicalService(svc: Dict, path: string, lenient: boolean): Dict {
  const s: Dict = { ...svc };
  if (typeof s['build'] === 'string') s['build'] = { context: s['build'] };
  if (typeof s['extends'] === 'string') s['extends'] = { service: s['extends'] };
  if (s['depends_on'] !== undefined) {
    const d = Array.isArray(s['depends_on']) ? Object.fromEntries(s['depends_on'].map((n) => [String(n), {}])) : { ...(s['depends_on'] as Dict) };
    for (const [k, e] of Object.entries(d)) d[k] = { condition: 'service_started', required: true, ...(isDict(e) ? e : {}) };
    s['depends_on'] = d;
  }
  if (s['env_file'] !== undefined) {
    const list = Array.isArray(s['env_file']) ? s['env_file'] : [s['env_file']];
    s['env_file'] = list.map((e) => (typeof e === 'string' ? { path: e, required: true } : { required: true, ...(e as Dict) }));
  }
  for (const k of ['dns', 'label_file', 'dns_search', 'tmpfs']) if (typeof s[k] === 'string') s[k] = [s[k]];
  // compose-go's OmitEmpty: empty dns entries are dropped.
  if (Array.isArray(s['dns'])) s['dns'] = s['dns'].filter((d) => d !== null && d !== '');
  if (Array.isArray(s['networks'])) s['networks'] = Object.fromEntries(s['networks'].map((n) => [String(n), null]));
  if (s['ports'] !== undefined) s['ports'] = canonicalPorts(s['ports'], `${path}.ports`, lenient);
  if (Array.isArray(s['volumes'])) s['volumes'] = s['volumes'].map((v, i) => canonicalVolume(v, `${path}.volumes.${i}`, lenient));
  for (const k of ['secrets', 'configs']) {
    if (Array.isArray(s[k])) s[k] = (s[k] as unknown[]).map((e) => (typeof e === 'string' ? { source: e } : e));
  }
  if (isDict(s['build']) && Array.isArray((s['build'] as Dict)['secrets'])) {
    const b = { ...(s['build'] as Dict) };
    b['secrets'] = (b['secrets'] as unknown[]).map((e) => (typeof e === 'string' ? { source: e } : e));
    s['build'] = b;
  }
  return enforceUnicity(s);
}

function canonicalResource(r: unknown, path: string, warnings: string[]): unknown {
  if (!isDict(r)) return r;
  const out: Dict = { ...r };
  const ext = out['external'];
  if (isDict(ext)) {
    out['external'] = true;
    if (ext['name'] !== undefined) {
      warnings.push(`${path}: external.name is deprecated. Please set name and external: true`);
      if (out['name'] !== undefined && out['name'] !== ext['name']) throw new InvalidParameterError(`${path}: name and external.name conflict; only use name`);
      out['name'] = ext['name'];
    }
  }
  return out;
}

export function canonicalize(model: Dict, warnings: string[], keepUnparsed = false): Dict {
  const out: Dict = { ...model };
  if (isDict(out['services'])) {
    const services: Dict = {};
    for (const [name, svc] of Object.entries(out['services'])) services[name] = isDict(svc) ? canonicalService(svc, `services.${name}`, keepUnparsed) : svc;
    out['services'] = services;
  }
  for (const top of ['networks', 'volumes', 'secrets', 'configs']) {
    if (!isDict(out[top])) continue;
    const res: Dict = {};
    for (const [k, r] of Object.entries(out[top] as Dict)) res[k] = canonicalResource(r, `${top}.${k}`, warnings);
    out[top] = res;
  }
  return out;
}

/** Fold entries with the same unique key; the later wins, in the earlier's place. */
function unique(list: unknown[], key: (e: unknown) => string): unknown[] {
  const out: unknown[] = [];
  const at = new Map<string, number>();
  for (const e of list) {
    const k = key(e);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(e);
    } else out[i] = e;
  }
  return out;
}

const byValue = (e: unknown) => (typeof e === 'string' ? e : JSON.stringify(e));
const byKeyPart = (e: unknown) => (typeof e === 'string' ? (e.split('=')[0] as string) : JSON.stringify(e));
const mountKey = (prefix: string) => (e: unknown) => {
  if (!isDict(e)) return byValue(e);
  return String(e['target'] ?? (prefix ? `${prefix}/${e['source']}` : `/${e['source']}`));
};

function enforceUnicity(s: Dict): Dict {
  const lists: [string, (e: unknown) => string][] = [
    ['ports', (e) => (isDict(e) ? portKey({ protocol: 'tcp', mode: 'ingress', ...(e as object) } as ServicePort) : byValue(e))],
    ['volumes', (e) => (isDict(e) ? String(e['target']) : byValue(e))],
    ['secrets', mountKey('/run/secrets')],
    ['configs', mountKey('')],
    ['env_file', (e) => (isDict(e) ? String(e['path']) : byValue(e))],
    ['cap_add', byValue],
    ['cap_drop', byValue],
    ['dns', byValue],
    ['dns_opt', byValue],
    ['dns_search', byValue],
    ['expose', byValue],
    ['links', byValue],
    ['profiles', byValue],
    ['tmpfs', byValue],
    ['devices', byValue],
    ['environment', byKeyPart],
    ['labels', byKeyPart],
  ];
  for (const [k, key] of lists) if (Array.isArray(s[k])) s[k] = unique(s[k] as unknown[], key);
  return s;
}

export { listOrDictToDict };
