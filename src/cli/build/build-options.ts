/**
 * `berth build`'s flags turned into the request's values, as the docker
 * CLI computes them (pure: environment, config and file reads passed in).
 */
import type { ConfigFile } from '../config.ts';
import { lookupAuth } from '../registry/credentials.ts';

/** Go's json.Marshal of a map: keys sorted. */
export function sortedRecord<T>(m: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) as T;
  return out;
}

/**
 * --build-arg values (opts.ValidateEnv then ConvertKVStringsToMapWithNil):
 * `K=V` as given, `K` takes the CLI's environment value when set and is
 * sent as null (the daemon's environment) otherwise.
 */
export function parseBuildArgs(values: string[], env: Record<string, string | undefined>): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq >= 0) m.set(v.slice(0, eq), v.slice(eq + 1));
    else m.set(v, env[v] !== undefined ? env[v] : null);
  }
  return m;
}

const PROXY_KEYS: [string, string][] = [
  ['HTTP_PROXY', 'httpProxy'],
  ['HTTPS_PROXY', 'httpsProxy'],
  ['NO_PROXY', 'noProxy'],
  ['FTP_PROXY', 'ftpProxy'],
  ['ALL_PROXY', 'allProxy'],
];

/** configfile.ParseProxyConfig: config.json's `proxies` (for this daemon's host, else `default`) as build args not already set, upper and lower case. */
export function addProxyArgs(args: Map<string, string | null>, config: ConfigFile, host: string): void {
  const proxies = config['proxies'];
  if (typeof proxies !== 'object' || proxies === null) return;
  const table = proxies as Record<string, Record<string, unknown> | undefined>;
  const entry = table[host] ?? table['default'];
  if (!entry) return;
  for (const [key, field] of PROXY_KEYS) {
    const value = entry[field];
    if (typeof value !== 'string' || value === '') continue;
    if (!args.has(key)) args.set(key, value);
    if (!args.has(key.toLowerCase())) args.set(key.toLowerCase(), value);
  }
}

/** --label values (ConvertKVStringsToMap): `K=V`, or `K` for an empty value. */
export function parseLabels(values: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    m.set(eq >= 0 ? v.slice(0, eq) : v, eq >= 0 ? v.slice(eq + 1) : '');
  }
  return m;
}

export interface SecretSpec {
  id: string;
  src?: string;
  env?: string;
}

/** `--secret id=…[,src=…|source=…][,env=…][,type=file|env]` as buildx parses it. */
export function parseSecretSpec(raw: string): SecretSpec {
  let type = 'file';
  const spec: SecretSpec = { id: '' };
  for (const field of raw.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new Error(`invalid field '${field}' must be a key=value pair`);
    const key = field.slice(0, eq).toLowerCase();
    const value = field.slice(eq + 1);
    if (key === 'type') {
      if (value !== 'file' && value !== 'env') throw new Error(`unsupported secret type "${value}"`);
      type = value;
    } else if (key === 'id') spec.id = value;
    else if (key === 'source' || key === 'src') spec.src = value;
    else if (key === 'env') spec.env = value;
    else throw new Error(`unexpected key '${key}' in '${field}'`);
  }
  if (type === 'env' && !spec.env) {
    spec.env = spec.src;
    delete spec.src;
  }
  if (spec.id === '') throw new Error('secret missing ID');
  return spec;
}

/** A secret's bytes (buildkit's secretsprovider: neither src nor env means the env var named by the id if set, else the file of that name). */
export function readSecret(spec: SecretSpec, env: Record<string, string | undefined>, readFile: (p: string) => Buffer): Buffer {
  let { src, env: name } = spec;
  if (!src && !name) {
    if (env[spec.id] !== undefined) name = spec.id;
    else src = spec.id;
  }
  if (name) {
    const v = env[name];
    if (v === undefined) throw new Error(`secret ${spec.id}: environment variable ${name} is not set`);
    return Buffer.from(v);
  }
  try {
    return readFile(src ?? '');
  } catch (err) {
    throw new Error(`failed to stat ${src}: ${(err as Error).message}`);
  }
}

/** Berth's X-Berth-Build-Secrets: base64 of JSON {id: base64(content)}. */
export function encodeSecretsHeader(secrets: Map<string, Buffer>): string {
  const obj: Record<string, string> = {};
  for (const [id, content] of secrets) obj[id] = content.toString('base64');
  return Buffer.from(JSON.stringify(obj)).toString('base64');
}

/**
 * X-Registry-Config as the docker CLI sends it: every stored credential
 * (GetAllCredentials) keyed by its config.json key, base64url of the JSON.
 */
export function encodeRegistryConfig(config: ConfigFile): string {
  const auths = config['auths'];
  const out: Record<string, Record<string, string>> = {};
  if (typeof auths === 'object' && auths !== null) {
    for (const key of Object.keys(auths).sort()) {
      const a = lookupAuth(config, key);
      const entry: Record<string, string> = {};
      if (a.username) entry['username'] = a.username;
      if (a.password) entry['password'] = a.password;
      entry['serveraddress'] = key;
      if (a.identitytoken) entry['identitytoken'] = a.identitytoken;
      out[key] = entry;
    }
  }
  return Buffer.from(JSON.stringify(out)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
