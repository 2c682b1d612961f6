/**
 * Tree-level normalisation once every file is merged and validated, as
 * compose-go's Normalize and ResolveRelativePaths do: the implicit `default`
 * network, dependencies implied by `links`, `service:` namespaces and
 * `volumes_from`, build defaults, secret targets, port and bind defaults,
 * resource names (`<project>_<key>`, or the key itself when external),
 * relative paths made absolute against the project directory and `~` from HOME.
 */
import path from 'node:path';
import { isDict } from './merge.ts';

type Dict = Record<string, unknown>;

export interface NormalizeContext {
  projectName: string;
  workingDir: string;
  home: string | undefined;
}

/** Absolute path of a host path written in a file (`~` from HOME, relative to `base`). */
export function resolveHostPath(p: string, base: string, home: string | undefined): string {
  if (home && (p === '~' || p.startsWith('~/'))) return path.join(home, p.slice(1));
  return path.isAbsolute(p) ? p : path.resolve(base, p);
}

/** A build context that is not a local directory (git URL, remote, another service or image). */
function isRemoteContext(ctx: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|github\.com\/|[a-z][a-z0-9+.-]*:\/\/|service:|docker-image:)/i.test(ctx);
}

const DEP_STARTED = (restart: boolean) => ({ condition: 'service_started', restart, required: true });

/** Resolve relative paths of one file's tree against `base` (its directory); used per file for extends and include. */
export function resolvePaths(model: Dict, base: string, home: string | undefined): Dict {
  const out: Dict = { ...model };
  if (isDict(out['services'])) {
    const services: Dict = {};
    for (const [name, svc] of Object.entries(out['services'])) services[name] = isDict(svc) ? resolveServicePaths(svc, base, home) : svc;
    out['services'] = services;
  }
  for (const top of ['secrets', 'configs']) {
    if (!isDict(out[top])) continue;
    const res: Dict = {};
    for (const [k, r] of Object.entries(out[top] as Dict)) {
      res[k] = isDict(r) && typeof r['file'] === 'string' ? { ...r, file: resolveHostPath(r['file'], base, home) } : r;
    }
    out[top] = res;
  }
  return out;
}

function resolveServicePaths(svc: Dict, base: string, home: string | undefined): Dict {
  const s: Dict = { ...svc };
  const build = s['build'];
  if (isDict(build)) {
    const b: Dict = { ...build };
    const ctx = typeof b['context'] === 'string' ? b['context'] : '.';
    if (!isRemoteContext(ctx)) b['context'] = resolveHostPath(ctx, base, home);
    if (isDict(b['additional_contexts'])) {
      const ac: Dict = {};
      for (const [k, v] of Object.entries(b['additional_contexts'])) ac[k] = typeof v === 'string' && !isRemoteContext(v) ? resolveHostPath(v, base, home) : v;
      b['additional_contexts'] = ac;
    }
    s['build'] = b;
  }
  if (Array.isArray(s['env_file'])) {
    s['env_file'] = s['env_file'].map((e) => (isDict(e) && typeof e['path'] === 'string' ? { ...e, path: resolveHostPath(e['path'], base, home) } : e));
  }
  if (Array.isArray(s['label_file'])) s['label_file'] = s['label_file'].map((f) => (typeof f === 'string' ? resolveHostPath(f, base, home) : f));
  if (Array.isArray(s['volumes'])) {
    s['volumes'] = s['volumes'].map((v) => {
      if (!isDict(v) || v['type'] !== 'bind' || typeof v['source'] !== 'string') return v;
      return { ...v, source: resolveHostPath(v['source'], base, home) };
    });
  }
  if (isDict(s['extends']) && typeof s['extends']['file'] === 'string') {
    s['extends'] = { ...s['extends'], file: resolveHostPath(s['extends']['file'], base, home) };
  }
  return s;
}

function normalizeService(svc: Dict): Dict {
  const s: Dict = { ...svc };
  if (s['pull_policy'] === 'if_not_present') s['pull_policy'] = 'missing';
  if (isDict(s['build'])) {
    const b: Dict = { ...s['build'] };
    b['context'] ??= '.';
    if (b['dockerfile'] === undefined && b['dockerfile_inline'] === undefined) b['dockerfile'] = 'Dockerfile';
    s['build'] = b;
  }
  const deps: Dict = isDict(s['depends_on']) ? { ...s['depends_on'] } : {};
  for (const link of Array.isArray(s['links']) ? s['links'] : []) {
    const name = String(link).split(':')[0] as string;
    deps[name] ??= DEP_STARTED(true);
  }
  for (const ns of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
    const ref = s[ns];
    if (typeof ref === 'string' && ref.startsWith('service:')) deps[ref.slice('service:'.length)] ??= DEP_STARTED(true);
  }
  for (const from of Array.isArray(s['volumes_from']) ? s['volumes_from'] : []) {
    const f = String(from);
    if (!f.startsWith('container:')) deps[f.split(':')[0] as string] ??= DEP_STARTED(false);
  }
  if (Object.keys(deps).length > 0) s['depends_on'] = deps;
  if (Array.isArray(s['ports'])) s['ports'] = s['ports'].map((p) => (isDict(p) ? { mode: 'ingress', protocol: 'tcp', ...p } : p));
  if (Array.isArray(s['secrets'])) s['secrets'] = s['secrets'].map((e) => (isDict(e) && e['target'] === undefined ? { ...e, target: `/run/secrets/${e['source']}` } : e));
  if (Array.isArray(s['volumes'])) {
    s['volumes'] = s['volumes'].map((v) => (isDict(v) && isDict(v['bind']) && v['bind']['create_host_path'] === undefined ? { ...v, bind: { ...v['bind'], create_host_path: true } } : v));
  }
  if (s['provider'] === undefined && s['network_mode'] === undefined) {
    if (!isDict(s['networks']) || Object.keys(s['networks']).length === 0) s['networks'] = { default: null };
  }
  return s;
}

export function normalizeModel(model: Dict, ctx: NormalizeContext): Dict {
  const out: Dict = { ...model, name: ctx.projectName };
  const services: Dict = {};
  let usesDefault = false;
  for (const [name, svc] of Object.entries(isDict(out['services']) ? out['services'] : {})) {
    const s = normalizeService(isDict(svc) ? svc : {});
    if (isDict(s['networks']) && 'default' in s['networks']) usesDefault = true;
    services[name] = s;
  }
  out['services'] = services;
  const networks: Dict = isDict(out['networks']) ? { ...out['networks'] } : {};
  if (usesDefault && !('default' in networks)) networks['default'] = null;
  if (Object.keys(networks).length > 0) out['networks'] = networks;
  for (const top of ['networks', 'volumes', 'configs', 'secrets']) {
    if (!isDict(out[top])) continue;
    const res: Dict = {};
    for (const [key, r] of Object.entries(out[top] as Dict)) {
      const resource: Dict = isDict(r) ? { ...r } : {};
      if (resource['name'] === undefined) resource['name'] = resource['external'] === true ? key : `${ctx.projectName}_${key}`;
      res[key] = resource;
    }
    out[top] = res;
  }
  return out;
}
