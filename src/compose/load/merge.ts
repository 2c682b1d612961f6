/**
 * Merging compose files (13-merge.md): mappings merged key by key, sequences
 * appended, with compose-go's exceptions: `command`, `entrypoint` and
 * `healthcheck.test` replaced; list-or-mapping fields (environment, labels,
 * sysctls, build args…) merged by key; `build`, `depends_on` and service
 * `networks` merged in their long form; `logging` options replaced when the
 * driver changes; a ulimit replaced. `!reset` and `!override` paths remove
 * what the earlier files gave first. Entries sharing a unique key (ports,
 * volumes, secrets, configs) are folded later, once in canonical form
 * (`enforceUnicity` in canonical.ts). Pure: returns new values.
 */
import type { Path } from './yaml-source.ts';

type Dict = Record<string, unknown>;
type Merger = (base: unknown, over: unknown, path: string[]) => unknown;

export function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A list (`KEY=VALUE`, `KEY`) or mapping as a mapping; `sep` splits list items. */
export function listOrDictToDict(v: unknown, sep = '='): Dict {
  if (isDict(v)) return { ...v };
  const out: Dict = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i < 0) out[s] = null;
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
  }
  return out;
}

const override: Merger = (_b, o) => o;
const byKey: Merger = (b, o) => ({ ...listOrDictToDict(b), ...listOrDictToDict(o) });
const extraHosts: Merger = (b, o) => {
  // Short list entries are `host:ip` or `host=ip`; one host may map to several addresses, so keep lists.
  const toList = (v: unknown): string[] =>
    isDict(v) ? Object.entries(v).flatMap(([h, ip]) => (Array.isArray(ip) ? ip.map((x) => `${h}=${x}`) : [`${h}=${ip ?? ''}`])) : Array.isArray(v) ? v.map(String) : [];
  return [...new Set([...toList(b), ...toList(o)])];
};
const toDependsOn = (v: unknown): Dict => (Array.isArray(v) ? Object.fromEntries(v.map((s) => [String(s), { condition: 'service_started', required: true }])) : isDict(v) ? v : {});
const toNetworks = (v: unknown): Dict => (Array.isArray(v) ? Object.fromEntries(v.map((s) => [String(s), null])) : isDict(v) ? v : {});
const toBuild = (v: unknown): Dict => (typeof v === 'string' ? { context: v } : isDict(v) ? v : {});
const logging: Merger = (b, o, p) => {
  if (!isDict(b) || !isDict(o)) return o ?? b;
  if (b['driver'] !== undefined && o['driver'] !== undefined && b['driver'] !== o['driver']) return o;
  return mergeValue(b, o, p, true);
};
const ulimit: Merger = (b, o, p) => (isDict(b) && isDict(o) ? mergeValue(b, o, p, true) : o);
const ipamConfig: Merger = (b, o) => {
  const list = [...(Array.isArray(b) ? b : [])];
  for (const c of Array.isArray(o) ? o : []) {
    const i = list.findIndex((x) => isDict(x) && isDict(c) && x['subnet'] === c['subnet']);
    if (i >= 0) list[i] = { ...(list[i] as Dict), ...(c as Dict) };
    else list.push(c);
  }
  return list;
};

const SPECIALS: [string, Merger][] = [
  ['networks.*.ipam.config', ipamConfig],
  ['networks.*.labels', byKey],
  ['volumes.*.labels', byKey],
  ['services.*.annotations', byKey],
  ['services.*.build', (b, o, p) => mergeValue(toBuild(b), toBuild(o), p, true)],
  ['services.*.build.args', byKey],
  ['services.*.build.additional_contexts', byKey],
  ['services.*.build.extra_hosts', extraHosts],
  ['services.*.build.labels', byKey],
  ['services.*.command', override],
  ['services.*.depends_on', (b, o, p) => mergeValue(toDependsOn(b), toDependsOn(o), p, true)],
  ['services.*.deploy.labels', byKey],
  ['services.*.entrypoint', override],
  ['services.*.environment', byKey],
  ['services.*.extra_hosts', extraHosts],
  ['services.*.healthcheck.test', override],
  ['services.*.labels', byKey],
  ['services.*.volumes.*.volume.labels', byKey],
  ['services.*.logging', logging],
  ['services.*.networks', (b, o, p) => mergeValue(toNetworks(b), toNetworks(o), p, true)],
  ['services.*.sysctls', byKey],
  ['services.*.ulimits.*', ulimit],
];
const SPECIAL_PATTERNS = SPECIALS.map(([p, m]) => ({ parts: p.split('.'), merger: m }));

function specialFor(path: string[]): Merger | undefined {
  for (const { parts, merger } of SPECIAL_PATTERNS) {
    if (parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i])) return merger;
  }
  return undefined;
}

function mergeValue(base: unknown, over: unknown, path: string[], skipSpecial = false): unknown {
  const special = skipSpecial ? undefined : specialFor(path);
  if (special) return special(base, over, path);
  if (over === null || over === undefined) return base;
  if (isDict(base) && isDict(over)) {
    const out: Dict = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeValue(out[k], v, [...path, k]) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over];
  return over;
}

/** Remove `path` from a tree (returns a new tree; missing paths leave it as is). */
export function removePath(tree: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (Array.isArray(tree) && typeof head === 'number') {
    if (rest.length === 0) return tree.filter((_, i) => i !== head);
    return tree.map((v, i) => (i === head ? removePath(v, rest) : v));
  }
  if (isDict(tree) && typeof head === 'string' && head in tree) {
    const out = { ...tree };
    if (rest.length === 0) delete out[head];
    else out[head] = removePath(out[head], rest);
    return out;
  }
  return tree;
}

/** Merge `over` (a later file) into `base`; `resets` and `overrides` are the later file's tagged paths. */
export function mergeFiles(base: Dict, over: Dict, tags: { resets?: Path[]; overrides?: Path[] } = {}): Dict {
  let b: unknown = base;
  for (const p of [...(tags.resets ?? []), ...(tags.overrides ?? [])]) b = removePath(b, p);
  return mergeValue(b ?? {}, over, []) as Dict;
}

/** Merge two service definitions (extends): the same rules under `services.<name>`. */
export function mergeServices(base: Dict, over: Dict): Dict {
  return mergeValue(base, over, ['services', '_']) as Dict;
}
