/**
 * One normalised service tree → the typed ServiceConfig of model.ts:
 * environment from `env_file` (in order, later files win) then `environment`
 * (which wins), a bare `VAR` taken from the project environment; labels,
 * sysctls and build args as mappings; command and entrypoint as word lists
 * (a string is split as a shell would); healthcheck durations, sizes,
 * extra_hosts (`host=ip`, sorted) and ulimits in their compose-go form.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { parseDotenv } from './dotenv.ts';
import { isDict, listOrDictToDict } from './merge.ts';
import type { DeployConfig, Healthcheck, ServiceConfig, Ulimit } from './model.ts';
import { shellSplit } from './shell-split.ts';
import { parseDuration, parseSize } from './units.ts';

type Dict = Record<string, unknown>;

export interface ServiceContext {
  /** Interpolation variables (process environment, then .env). */
  env: Record<string, string>;
  /** Read a file's text, undefined when it does not exist. */
  readFile: (path: string) => string | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

function stringMap(v: unknown, nullAs: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, e] of Object.entries(listOrDictToDict(v))) {
    if (e === null || e === undefined) {
      if (nullAs !== null) out[k] = nullAs;
    } else out[k] = str(e);
  }
  return out;
}

function wordList(v: unknown, key: string, name: string): string[] | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(str);
  try {
    return shellSplit(str(v));
  } catch (err) {
    throw new InvalidParameterError(`services.${name}.${key}: ${(err as Error).message}`);
  }
}

function resolveEnvironment(s: Dict, ctx: ServiceContext): Record<string, string | null> | undefined {
  const declared = listOrDictToDict(s['environment']);
  const explicit: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(declared)) explicit[k] = v === null || v === undefined ? (ctx.env[k] ?? null) : str(v);
  const fromFiles: Record<string, string> = {};
  for (const f of Array.isArray(s['env_file']) ? s['env_file'] : []) {
    const file = f as { path: string; required?: boolean; format?: string };
    const text = ctx.readFile(file.path);
    if (text === undefined) {
      if (file.required === false) continue;
      throw new InvalidParameterError(`env file ${file.path} not found: stat ${file.path}: no such file or directory`);
    }
    const lookup = (k: string) => ctx.env[k] ?? explicit[k] ?? fromFiles[k] ?? undefined;
    try {
      Object.assign(fromFiles, parseDotenv(text, { lookup, raw: file.format === 'raw' }));
    } catch (err) {
      throw new InvalidParameterError(`failed to read ${file.path}: ${(err as Error).message}`, { cause: err });
    }
  }
  const merged: Record<string, string | null> = { ...fromFiles, ...explicit };
  if (Object.keys(merged).length === 0 && s['environment'] === undefined && s['env_file'] === undefined) return undefined;
  return merged;
}

/** compose-go's HostsList: `host=ip`, `host:ip` or a mapping; several IPs by commas or a list; `[v6]` unbracketed; `host=ip` sorted. */
function extraHosts(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const out: string[] = [];
  const add = (host: string, ips: string[]) => {
    if (host === '' || /[:=]/.test(host)) throw new InvalidParameterError(`bad host name '${host}'`);
    for (const ip of ips) out.push(`${host}=${ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip}`);
  };
  if (isDict(v)) {
    for (const [h, ip] of Object.entries(v)) add(h, Array.isArray(ip) ? ip.map(str) : [str(ip)]);
  } else if (Array.isArray(v)) {
    for (const e of v.map(str)) {
      const eq = e.indexOf('=');
      const i = eq >= 0 ? eq : e.indexOf(':');
      if (i < 0) throw new InvalidParameterError(`invalid additional host, missing IP: ${e}`);
      add(e.slice(0, i), e.slice(i + 1).split(','));
    }
  }
  return out.sort();
}

function healthcheck(v: unknown): Healthcheck | undefined {
  if (!isDict(v)) return undefined;
  const h: Healthcheck = {};
  const test = v['test'];
  if (typeof test === 'string') h.test = ['CMD-SHELL', test];
  else if (Array.isArray(test)) h.test = test.map(str);
  for (const k of ['timeout', 'interval', 'start_period', 'start_interval'] as const) if (v[k] !== undefined) h[k] = parseDuration(str(v[k]));
  if (v['retries'] !== undefined) h.retries = Number(v['retries']);
  if (v['disable'] !== undefined) h.disable = v['disable'] === true;
  return h;
}

function ulimits(v: unknown): Record<string, Ulimit> | undefined {
  if (!isDict(v)) return undefined;
  const out: Record<string, Ulimit> = {};
  for (const [k, e] of Object.entries(v)) out[k] = isDict(e) ? { soft: Number(e['soft']), hard: Number(e['hard']) } : { single: Number(e) };
  return out;
}

function deploy(v: unknown): DeployConfig | undefined {
  if (!isDict(v)) return undefined;
  const d = { ...v } as DeployConfig & Dict;
  if (v['labels'] !== undefined) d.labels = stringMap(v['labels'], '');
  const res = v['resources'];
  if (isDict(res)) {
    const r: Dict = { ...res };
    for (const k of ['limits', 'reservations']) {
      const spec = res[k];
      if (!isDict(spec)) continue;
      const o: Dict = { ...spec };
      if (spec['cpus'] !== undefined) o['cpus'] = Number(spec['cpus']);
      if (spec['memory'] !== undefined) o['memory'] = parseSize(spec['memory'] as string);
      r[k] = o;
    }
    d.resources = r as DeployConfig['resources'];
  }
  const rp = v['restart_policy'];
  if (isDict(rp)) {
    const o: Dict = { ...rp };
    for (const k of ['delay', 'window']) if (rp[k] !== undefined) o[k] = parseDuration(str(rp[k]));
    d.restart_policy = o;
  }
  return d;
}

const SIZES = ['mem_limit', 'mem_reservation', 'memswap_limit', 'shm_size'] as const;

export function toServiceConfig(name: string, s: Dict, ctx: ServiceContext): ServiceConfig {
  const out: ServiceConfig = { ...(s as object), name } as ServiceConfig;
  const set = <K extends string>(k: K, v: unknown) => {
    if (v === undefined) delete out[k];
    else out[k] = v;
  };
  try {
    set('command', wordList(s['command'], 'command', name));
    set('entrypoint', wordList(s['entrypoint'], 'entrypoint', name));
    set('environment', resolveEnvironment(s, ctx));
    delete out['env_file'];
    if (s['labels'] !== undefined) set('labels', stringMap(s['labels'], ''));
    if (s['annotations'] !== undefined) set('annotations', stringMap(s['annotations'], ''));
    if (s['sysctls'] !== undefined) set('sysctls', stringMap(s['sysctls'], ''));
    set('extra_hosts', extraHosts(s['extra_hosts']));
    if (isDict(s['depends_on'])) {
      const deps: Record<string, unknown> = {};
      for (const [d, e] of Object.entries(s['depends_on'])) {
        const dep = isDict(e) ? e : {};
        deps[d] = { condition: dep['condition'] ?? 'service_started', restart: dep['restart'] === true, required: dep['required'] !== false };
      }
      set('depends_on', deps);
    }
    set('healthcheck', healthcheck(s['healthcheck']));
    set('ulimits', ulimits(s['ulimits']));
    set('deploy', deploy(s['deploy']));
    for (const k of SIZES) if (s[k] !== undefined) set(k, parseSize(s[k] as string));
    if (s['stop_grace_period'] !== undefined) set('stop_grace_period', parseDuration(str(s['stop_grace_period'])));
    if (s['expose'] !== undefined) set('expose', (s['expose'] as unknown[]).map(str));
    if (s['cpus'] !== undefined) set('cpus', Number(s['cpus']));
    if (isDict(s['build'])) {
      const b: Dict = { ...s['build'] };
      if (b['args'] !== undefined) {
        const args: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(listOrDictToDict(b['args']))) {
          if (v !== null && v !== undefined) args[k] = str(v);
          else if (ctx.env[k] !== undefined) args[k] = ctx.env[k] as string;
        }
        b['args'] = args;
      }
      if (b['labels'] !== undefined) b['labels'] = stringMap(b['labels'], '');
      if (b['extra_hosts'] !== undefined) b['extra_hosts'] = extraHosts(b['extra_hosts']);
      if (b['shm_size'] !== undefined) b['shm_size'] = parseSize(b['shm_size'] as string);
      set('build', b);
    }
    if (Array.isArray(s['volumes'])) {
      set('volumes', (s['volumes'] as Dict[]).map((v) => (isDict(v['tmpfs']) && v['tmpfs']['size'] !== undefined ? { ...v, tmpfs: { ...v['tmpfs'], size: parseSize(v['tmpfs']['size'] as string) } } : v)));
    }
  } catch (err) {
    if (err instanceof InvalidParameterError) throw err;
    throw new InvalidParameterError(`services.${name}: ${(err as Error).message}`, { cause: err });
  }
  return out;
}
