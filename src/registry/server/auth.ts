/**
 * Access control: none, htpasswd basic auth, or bearer tokens issued by the
 * registry's own token endpoint (the scheme of distribution's `token` auth:
 * a 401 carries `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, the
 * client fetches `GET <realm>?service=…&scope=repository:<name>:pull,push`
 * with its basic credentials and retries with `Authorization: Bearer`).
 *
 * Users come from an htpasswd file with bcrypt entries (`htpasswd -B`).
 * A token is a JWT signed with HMAC-SHA256 by a secret of the server; its
 * `access` claim lists the actions granted per repository. A user who
 * authenticates is granted what it asks for; anonymous users get nothing
 * (or pull, with `anonymousPull`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { InvalidParameterError } from '../../util/errors.ts';

export type Action = 'pull' | 'push' | 'delete';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** What a request needs: nothing more than being allowed in (`/v2/`), or actions on a repository. */
export interface Need {
  name?: string;
  actions: Action[];
}

export type AuthResult = { ok: true; user?: string } | { ok: false; challenge: string; denied?: boolean };

export interface Authenticator {
  check(authorization: string | undefined, need: Need, host: string, secure: boolean): Promise<AuthResult>;
  /** The token endpoint (token auth only): the JSON answer, or a challenge when credentials are wrong. */
  issueToken?(authorization: string | undefined, query: URLSearchParams): Promise<{ status: number; body: unknown; challenge?: string }>;
}

/** htpasswd file → user → hash. Lines `user:hash`; blank lines and `#` comments ignored. */
export function parseHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) users.set(line.slice(0, i), line.slice(i + 1));
  }
  return users;
}

/** Basic credentials of an `Authorization` header, or undefined. */
export function parseBasic(authorization: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

/** `repository:a/b:pull,push` → Access (the scope grammar of the token spec). */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

export function formatScope(need: Need): string | undefined {
  return need.name === undefined ? undefined : `repository:${need.name}:${need.actions.join(',')}`;
}

class Users {
  private cache: { text: string; users: Map<string, string> } | undefined;
  constructor(private readonly file: string) {
    // Fail at start, not on the first request, when the file cannot be read.
    try {
      this.load();
    } catch (err) {
      throw new InvalidParameterError(`cannot read htpasswd file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private load(): Map<string, string> {
    // Re-read when the file changes (as distribution does), so users can be added while serving.
    const text = readFileSync(this.file, 'utf8');
    if (this.cache?.text === text) return this.cache.users;
    const users = parseHtpasswd(text);
    this.cache = { text, users };
    return users;
  }

  async verify(user: string, password: string): Promise<boolean> {
    const hash = this.load().get(user);
    if (hash === undefined) return false;
    if (!hash.startsWith('$2')) return false; // only bcrypt, as distribution
    return bcrypt.compare(password, hash);
  }
}

export function htpasswdAuth(file: string, realm: string): Authenticator {
  const users = new Users(file);
  const challenge = `Basic realm="${realm}"`;
  return {
    async check(authorization) {
      const creds = parseBasic(authorization);
      if (!creds || !(await users.verify(creds.user, creds.password))) return { ok: false, challenge };
      return { ok: true, user: creds.user };
    },
  };
}

export interface TokenOptions {
  htpasswd: string;
  /** The realm URL in challenges; default `<scheme>://<host>/token` of the request. */
  realm?: string;
  service: string;
  issuer: string;
  /** HMAC key; a random one per process when not given (tokens then die with the server). */
  secret?: string;
  /** Token lifetime in seconds (default 300). */
  expiration?: number;
  anonymousPull?: boolean;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signJwt(claims: Record<string, unknown>, key: Buffer): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The claims of a JWT signed with `key`, or undefined when the signature does not verify. */
export function verifyJwt(token: string, key: Buffer): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const want = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try {
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
    if (head.alg !== 'HS256') return undefined;
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // not JSON: not one of ours
    return undefined;
  }
}

/** Does an `access` claim grant `need`? `*` grants every action. */
export function grants(access: Access[], need: Need): boolean {
  if (need.name === undefined) return true;
  return need.actions.every((a) => access.some((x) => x.type === 'repository' && x.name === need.name && (x.actions.includes(a) || x.actions.includes('*'))));
}

export function tokenAuth(opts: TokenOptions): Authenticator {
  const users = new Users(opts.htpasswd);
  const key = opts.secret ? Buffer.from(opts.secret) : randomBytes(32);
  const ttl = opts.expiration ?? 300;
  const challengeFor = (need: Need, host: string, secure: boolean, error?: string) => {
    const realm = opts.realm ?? `${secure ? 'https' : 'http'}://${host}/token`;
    const scope = formatScope(need);
    let c = `Bearer realm="${realm}",service="${opts.service}"`;
    if (scope) c += `,scope="${scope}"`;
    if (error) c += `,error="${error}"`;
    return c;
  };
  return {
    async check(authorization, need, host, secure) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) {
        if (opts.anonymousPull && need.actions.every((a) => a === 'pull')) return { ok: true };
        return { ok: false, challenge: challengeFor(need, host, secure) };
      }
      const claims = verifyJwt(m[1]!, key);
      const now = Math.floor(Date.now() / 1000);
      if (!claims || claims['iss'] !== opts.issuer || claims['aud'] !== opts.service || typeof claims['exp'] !== 'number' || claims['exp'] < now) {
        return { ok: false, challenge: challengeFor(need, host, secure, 'invalid_token') };
      }
      const access = Array.isArray(claims['access']) ? (claims['access'] as Access[]) : [];
      if (!grants(access, need)) return { ok: false, challenge: challengeFor(need, host, secure, 'insufficient_scope'), denied: true };
      return { ok: true, user: typeof claims['sub'] === 'string' ? claims['sub'] : undefined };
    },
    async issueToken(authorization, query) {
      const creds = parseBasic(authorization);
      let subject = '';
      if (creds) {
        if (!(await users.verify(creds.user, creds.password))) {
          return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, challenge: `Basic realm="${opts.service}"` };
        }
        subject = creds.user;
      }
      const access: Access[] = [];
      for (const s of query.getAll('scope').flatMap((v) => v.split(' '))) {
        const a = parseScope(s);
        if (!a || a.type !== 'repository') continue;
        const allowed = subject ? a.actions : opts.anonymousPull ? a.actions.filter((x) => x === 'pull') : [];
        if (allowed.length) access.push({ ...a, actions: allowed });
      }
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt({ iss: opts.issuer, sub: subject, aud: opts.service, iat: now, nbf: now - 1, exp: now + ttl, jti: randomBytes(8).toString('hex'), access }, key);
      return { status: 200, body: { token, access_token: token, expires_in: ttl, issued_at: new Date(now * 1000).toISOString() } };
    },
  };
}
