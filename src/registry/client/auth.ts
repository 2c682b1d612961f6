/**
 * Registry authentication as the docker daemon does it (docker/distribution's
 * registry/client/auth): the `WWW-Authenticate` challenge of a 401 says the
 * scheme. `Basic`: the credentials on every request. `Bearer`: a token from
 * the challenge's realm for the `service` and the scopes wanted
 * (`repository:library/busybox:pull`), fetched with GET and basic
 * credentials, or with the OAuth2 POST (`grant_type=refresh_token`) when the
 * credentials carry an identity token; a registry token (`registrytoken`)
 * is used as the bearer token itself. Tokens are reused until they expire
 * (`expires_in`, at least 60 s as in docker/distribution), keyed by realm,
 * service and scopes, across requests and repositories of one Authenticator.
 *
 * Credentials come from the `X-Registry-Auth` header: base64url JSON
 * (`username`, `password`, `auth`, `identitytoken`, `registrytoken`,
 * `serveraddress`); a header that does not decode means no credentials, as
 * in dockerd.
 */
import { send, readBody, TransportError } from './http.ts';
import { UnauthorizedError } from '../../util/errors.ts';

export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64(`user:pass`), as config.json stores it. */
  auth?: string;
  email?: string;
  serveraddress?: string;
  /** An OAuth2 refresh token, from a login against a token server. */
  identitytoken?: string;
  /** A bearer token to send as is. */
  registrytoken?: string;
}

/** The credentials in a JSON object (unknown fields and non-strings dropped; `auth` split into user and password). */
export function authConfigFrom(value: unknown): AuthConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const cfg: AuthConfig = {};
  for (const k of ['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken'] as const) {
    const s = v[k];
    if (typeof s === 'string' && s !== '') cfg[k] = s;
  }
  if (cfg.auth && !cfg.username) {
    const plain = Buffer.from(cfg.auth, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i > 0) {
      cfg.username = plain.slice(0, i);
      cfg.password = plain.slice(i + 1);
    }
  }
  return cfg;
}

/** Decode `X-Registry-Auth` (base64url or std base64 JSON); anything invalid is no credentials. */
export function decodeRegistryAuth(header: string | undefined): AuthConfig {
  if (!header) return {};
  try {
    const text = Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return authConfigFrom(JSON.parse(text) as unknown);
  } catch {
    return {};
  }
}

/** Encode credentials for `X-Registry-Auth` (what the docker CLI sends). */
export function encodeRegistryAuth(cfg: AuthConfig): string {
  return Buffer.from(JSON.stringify(cfg)).toString('base64url');
}

export interface Challenge {
  /** Lower-case: `bearer`, `basic`. */
  scheme: string;
  params: Record<string, string>;
}

/** Parse `WWW-Authenticate` values (several challenges, quoted params with escapes). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    const s = value;
    const skipWs = (): void => {
      while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    };
    const token = (): string => {
      const start = i;
      while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
      return s.slice(start, i);
    };
    while (i < s.length) {
      skipWs();
      while (s[i] === ',') {
        i++;
        skipWs();
      }
      const scheme = token();
      if (!scheme) break;
      const ch: Challenge = { scheme: scheme.toLowerCase(), params: {} };
      out.push(ch);
      for (;;) {
        skipWs();
        const save = i;
        const key = token();
        skipWs();
        if (!key || s[i] !== '=') {
          i = save;
          break;
        }
        i++;
        skipWs();
        let val = '';
        if (s[i] === '"') {
          i++;
          while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length) i++;
            val += s[i];
            i++;
          }
          i++;
        } else {
          val = token();
        }
        ch.params[key.toLowerCase()] = val;
        skipWs();
        if (s[i] === ',') {
          // A comma separates params, or ends this challenge if a new scheme follows.
          const after = i + 1;
          i = after;
          skipWs();
          const look = i;
          const next = token();
          skipWs();
          const isParam = next !== '' && s[i] === '=';
          i = look;
          if (!isParam) break;
          continue;
        }
        break;
      }
    }
  }
  return out;
}

/** `repository:<path>:<actions>` (`pull`, `pull,push`). */
export function repositoryScope(path: string, actions: readonly string[]): string {
  return `repository:${path}:${actions.join(',')}`;
}

interface CachedToken {
  token: string;
  expires: number;
}

export interface AuthenticatorOptions {
  insecureTls?: boolean;
  userAgent?: string;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Ask the token server for a refresh token too (`offline_token=true`,
   * `client_id=docker`), as dockerd's login does: it becomes the IdentityToken.
   */
  offlineToken?: boolean;
}

/**
 * Answers challenges for one set of credentials; keeps tokens and the last
 * challenge per registry base URL, so later requests authorise up front.
 */
export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly challenges = new Map<string, Challenge>();
  /** The refresh token a token server gave back (docker login with identity tokens). */
  refreshToken?: string;

  constructor(
    readonly credentials: AuthConfig = {},
    private readonly opts: AuthenticatorOptions = {},
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Remember the challenge a registry answered with (from a 401 or the `/v2/` ping). */
  noteChallenge(baseUrl: string, header: string | string[] | undefined): Challenge | undefined {
    const all = parseChallenges(header);
    const ch = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
    if (ch) this.challenges.set(baseUrl, ch);
    return ch;
  }

  /** The registry wants basic auth and there are no credentials (docker/distribution: "no basic auth credentials"). */
  lacksBasicCredentials(baseUrl: string): boolean {
    return this.challenges.get(baseUrl)?.scheme === 'basic' && !this.credentials.username;
  }

  hasChallenge(baseUrl: string): boolean {
    return this.challenges.has(baseUrl);
  }

  /** The Authorization header for a request to `baseUrl` needing `scopes`, or undefined when none is known. */
  async authorization(baseUrl: string, scopes: readonly string[], insecureTls = this.opts.insecureTls): Promise<string | undefined> {
    const ch = this.challenges.get(baseUrl);
    if (!ch) return undefined;
    const c = this.credentials;
    if (ch.scheme === 'basic') {
      if (c.username === undefined) return undefined;
      return `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`;
    }
    if (c.registrytoken) return `Bearer ${c.registrytoken}`;
    const realm = ch.params.realm;
    if (!realm) return undefined;
    const service = ch.params.service ?? '';
    const wanted = [...new Set([...scopes, ...(ch.params.scope ? ch.params.scope.split(' ') : [])])].sort();
    const key = `${realm}\n${service}\n${wanted.join(' ')}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expires > this.now()) return `Bearer ${cached.token}`;
    const got = await this.fetchToken(realm, service, wanted, insecureTls);
    this.tokens.set(key, got);
    return `Bearer ${got.token}`;
  }

  private async fetchToken(realm: string, service: string, scopes: string[], insecureTls: boolean | undefined): Promise<CachedToken> {
    const c = this.credentials;
    const refresh = c.identitytoken ?? this.refreshToken;
    let res;
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'berth' };
    try {
      if (refresh) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, service, client_id: 'docker' });
        if (scopes.length) form.set('scope', scopes.join(' '));
        res = await send({ method: 'POST', url: realm, insecureTls, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      } else {
        const u = new URL(realm);
        if (service) u.searchParams.set('service', service);
        for (const s of scopes) u.searchParams.append('scope', s);
        if (c.username !== undefined && c.username !== '') {
          headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`;
          // docker/distribution asks for a refresh token when it may keep one
          u.searchParams.set('account', c.username);
          if (this.opts.offlineToken) {
            u.searchParams.set('client_id', 'docker');
            u.searchParams.set('offline_token', 'true');
          }
        }
        res = await send({ method: 'GET', url: u.toString(), insecureTls, headers });
      }
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw err;
    }
    const body = await readBody(res, 1 << 20);
    if (res.statusCode !== 200) {
      const text = body.toString('utf8').trim();
      let detail = text;
      try {
        const j = JSON.parse(text) as { details?: string; errors?: { code?: string; message?: string }[] };
        if (j.errors?.length) detail = j.errors.map((e) => `${(e.code ?? '').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`).join(', ');
        else if (j.details) detail = j.details;
      } catch {
        // not JSON: keep the text
      }
      // docker/distribution: "unauthorized: authentication required" / "failed to fetch token: …"
      throw new UnauthorizedError(res.statusCode === 401 ? detail || 'unauthorized: authentication required' : `token request failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
    }
    const j = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string; expires_in?: number; issued_at?: string; refresh_token?: string };
    const token = j.token || j.access_token;
    if (!token) throw new UnauthorizedError('authorization server did not include a token in the response');
    if (j.refresh_token) this.refreshToken = j.refresh_token;
    const ttl = Math.max(j.expires_in ?? 60, 60);
    const issued = j.issued_at ? Date.parse(j.issued_at) : NaN;
    const start = Number.isFinite(issued) ? issued : this.now();
    return { token, expires: start + ttl * 1000 - 5000 };
  }
}
