/**
 * Registry credentials as the docker CLI keeps them: `auths` in
 * `<configDir>/config.json`, each `{ "auth": base64("user:pass") }` (or an
 * `identitytoken`) keyed by the registry's hostname, Docker Hub under
 * `https://index.docker.io/v1/`. Both CLIs read what the other wrote.
 *
 * Pure: the config text in, the new text out; the command modules do the I/O.
 * Keys are matched as docker's file store matches them: the exact key, else
 * any key whose hostname (`ConvertToHostname`) is the server's.
 */

/** Docker Hub's key in `auths` (registry.IndexServer). */
export const INDEX_SERVER = 'https://index.docker.io/v1/';
/** The hostname docker uses for Docker Hub references (registry.IndexName). */
export const INDEX_NAME = 'docker.io';

export type { AuthConfig } from '../../wire/auth.ts';
import type { AuthConfig } from '../../wire/auth.ts';

/** One entry of config.json's `auths`. */
export interface StoredAuth {
  auth?: string;
  email?: string;
  identitytoken?: string;
  [k: string]: unknown;
}

/** docker's credentials.ConvertToHostname: drop the scheme and any path. */
export function convertToHostname(server: string): string {
  let s = server;
  if (s.startsWith('http://')) s = s.slice('http://'.length);
  else if (s.startsWith('https://')) s = s.slice('https://'.length);
  const slash = s.indexOf('/');
  return slash === -1 ? s : s.slice(0, slash);
}

/** The key a registry's credentials live under: Docker Hub's URL, else the hostname. */
export function authKey(server: string): string {
  if (server === '' || server === INDEX_SERVER || server === INDEX_NAME || convertToHostname(server) === 'index.docker.io') return INDEX_SERVER;
  return convertToHostname(server);
}

/** The registry host of a reference as typed (`busybox` → docker.io, `127.0.0.1:5000/a` → `127.0.0.1:5000`). */
export function registryOfReference(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash === -1) return INDEX_NAME;
  const first = ref.slice(0, slash);
  if (!/[.:]/.test(first) && first !== 'localhost') return INDEX_NAME;
  return first === 'index.docker.io' ? INDEX_NAME : first;
}

function decodeAuth(auth: string): { username: string; password: string } | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function authsOf(config: Record<string, unknown>): Record<string, StoredAuth> {
  const auths = config['auths'];
  return typeof auths === 'object' && auths !== null ? (auths as Record<string, StoredAuth>) : {};
}

/**
 * The credentials stored for `server` (a hostname, a URL, or Docker Hub's
 * key), as docker's ResolveAuthConfig returns them: `{}` plus the server
 * address when nothing is stored.
 */
export function lookupAuth(config: Record<string, unknown>, server: string): AuthConfig {
  const key = authKey(server);
  const auths = authsOf(config);
  let found: [string, StoredAuth] | undefined = auths[key] ? [key, auths[key]] : undefined;
  if (!found && key !== INDEX_SERVER) {
    found = Object.entries(auths).find(([k]) => convertToHostname(k) === key);
  }
  if (!found) return {};
  const [k, entry] = found;
  const result: AuthConfig = {};
  const creds = typeof entry.auth === 'string' && entry.auth !== '' ? decodeAuth(entry.auth) : undefined;
  if (creds) {
    result.username = creds.username;
    result.password = creds.password;
  }
  if (typeof entry.email === 'string' && entry.email) result.email = entry.email;
  result.serveraddress = k;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken) result.identitytoken = entry.identitytoken;
  return result;
}

/** Fields in registry.AuthConfig's order, so the encoded JSON reads as docker's. */
const FIELD_ORDER: (keyof AuthConfig)[] = ['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken'];

/** X-Registry-Auth: base64url (with padding) of the JSON, as registry.EncodeAuthConfig. */
export function encodeAuthHeader(auth: AuthConfig): string {
  const ordered: Record<string, string> = {};
  for (const f of FIELD_ORDER) {
    const v = auth[f];
    if (v) ordered[f] = v;
  }
  return Buffer.from(JSON.stringify(ordered)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * config.json with `server`'s credentials set (an identity token replaces
 * the password, as docker stores it). Returns the new text (tab-indented, no
 * final newline, as docker writes it) and whether the entry changed.
 */
export function storeAuth(config: Record<string, unknown>, server: string, auth: { username: string; password?: string; identitytoken?: string }): { text: string; changed: boolean } {
  const key = authKey(server);
  const auths = { ...authsOf(config) };
  const entry: StoredAuth = { auth: Buffer.from(`${auth.username}:${auth.identitytoken ? '' : (auth.password ?? '')}`).toString('base64') };
  if (auth.identitytoken) entry.identitytoken = auth.identitytoken;
  const before = JSON.stringify(auths[key] ?? null);
  auths[key] = entry;
  const next = { ...config, auths };
  return { text: JSON.stringify(next, null, '\t'), changed: before !== JSON.stringify(entry) };
}

/**
 * config.json without `server`'s credentials: the key as given and, for a
 * registry other than Docker Hub, its hostname and `http(s)://` forms
 * (docker logout's backward-compatible erasures).
 */
export function eraseAuth(config: Record<string, unknown>, server: string): { text: string; hostname: string } {
  const isDefault = server === '';
  const address = isDefault ? INDEX_SERVER : server;
  const hostname = isDefault ? INDEX_SERVER : convertToHostname(address);
  const keys = isDefault ? [address] : [address, hostname, `http://${hostname}`, `https://${hostname}`];
  const auths = { ...authsOf(config) };
  for (const k of keys) delete auths[k];
  return { text: JSON.stringify({ ...config, auths }, null, '\t'), hostname };
}
