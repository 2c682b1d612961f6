/**
 * The registry's configuration: from flags and an optional file (YAML or
 * JSON; a JSON file is YAML too). Our own keys, and distribution's for the
 * same things so a `config.yml` of `registry:2` mostly works:
 *
 *   addr: 127.0.0.1:5000          # or http.addr
 *   root: /var/lib/berth-registry # or storage.filesystem.rootdirectory
 *   tls: { certificate: cert.pem, key: key.pem }        # or http.tls
 *   auth:
 *     htpasswd: { realm: Registry, path: /etc/htpasswd }
 *     token: { htpasswd: /etc/htpasswd, service: berth-registry, issuer: berth-registry,
 *              realm: https://host/token, secret: …, expiration: 300, anonymousPull: false }
 *   delete: { enabled: true }       # or storage.delete.enabled
 *   maxConcurrentRequests: 0        # above it: 429 TOOMANYREQUESTS (0: no limit)
 *   uploadPurgeAge: 604800          # gc: seconds after which an idle upload is stale
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidParameterError } from '../../util/errors.ts';
import type { TokenOptions } from './auth.ts';

export interface RegistryConfig {
  addr: string;
  root: string;
  tls?: { certificate: string; key: string };
  auth?: { htpasswd?: { realm: string; path: string }; token?: TokenOptions };
  deleteEnabled: boolean;
  maxConcurrentRequests: number;
  uploadPurgeAge: number;
}

export const DEFAULT_ADDR = '127.0.0.1:5000';
export const DEFAULT_ROOT = '/var/lib/berth-registry';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parse a config file's text; relative paths are resolved against `dir`. */
export function parseRegistryConfig(text: string, dir: string): Partial<RegistryConfig> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InvalidParameterError(`invalid registry configuration: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const c = obj(doc);
  const http = obj(c['http']);
  const storage = obj(c['storage']);
  const auth = obj(c['auth']);
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const out: Partial<RegistryConfig> = {};
  const addr = str(c['addr']) ?? str(http['addr']);
  if (addr) out.addr = addr;
  const root = abs(str(c['root']) ?? str(obj(storage['filesystem'])['rootdirectory']));
  if (root) out.root = root;
  const tls = obj(c['tls'] ?? http['tls']);
  const cert = abs(str(tls['certificate']));
  const key = abs(str(tls['key']));
  if (cert && key) out.tls = { certificate: cert, key };
  else if (cert || key) throw new InvalidParameterError('invalid registry configuration: tls needs both certificate and key');
  const ht = obj(auth['htpasswd']);
  const tok = obj(auth['token']);
  if (Object.keys(tok).length > 0) {
    const file = abs(str(tok['htpasswd']) ?? str(tok['path']));
    if (!file) throw new InvalidParameterError('invalid registry configuration: auth.token needs htpasswd');
    out.auth = {
      token: {
        htpasswd: file,
        realm: str(tok['realm']),
        service: str(tok['service']) ?? 'berth-registry',
        issuer: str(tok['issuer']) ?? 'berth-registry',
        secret: str(tok['secret']),
        expiration: typeof tok['expiration'] === 'number' ? tok['expiration'] : undefined,
        anonymousPull: tok['anonymousPull'] === true,
      },
    };
  } else if (Object.keys(ht).length > 0) {
    const file = abs(str(ht['path']));
    if (!file) throw new InvalidParameterError('invalid registry configuration: auth.htpasswd needs path');
    out.auth = { htpasswd: { realm: str(ht['realm']) ?? 'Registry Realm', path: file } };
  }
  const del = obj(c['delete'] ?? storage['delete']);
  if (typeof del['enabled'] === 'boolean') out.deleteEnabled = del['enabled'];
  if (typeof c['maxConcurrentRequests'] === 'number') out.maxConcurrentRequests = c['maxConcurrentRequests'];
  if (typeof c['uploadPurgeAge'] === 'number') out.uploadPurgeAge = c['uploadPurgeAge'];
  return out;
}

export function loadRegistryConfig(file: string): Partial<RegistryConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidParameterError(`cannot read registry configuration ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseRegistryConfig(text, path.dirname(path.resolve(file)));
}

/** Flags over file over defaults. */
export function resolveRegistryConfig(flags: Partial<RegistryConfig>, file?: Partial<RegistryConfig>): RegistryConfig {
  const pick = <K extends keyof RegistryConfig>(k: K): RegistryConfig[K] | undefined => flags[k] ?? file?.[k];
  return {
    addr: pick('addr') ?? DEFAULT_ADDR,
    root: pick('root') ?? DEFAULT_ROOT,
    tls: pick('tls'),
    auth: pick('auth'),
    deleteEnabled: pick('deleteEnabled') ?? true,
    maxConcurrentRequests: pick('maxConcurrentRequests') ?? 0,
    uploadPurgeAge: pick('uploadPurgeAge') ?? 7 * 24 * 3600,
  };
}
