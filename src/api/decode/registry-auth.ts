/**
 * Registry credentials of a request, as dockerd takes them for push (and
 * pull): the `X-Registry-Auth` header, base64url JSON (an undecodable header
 * means no credentials, as dockerd); without the header, old clients' JSON
 * body; with neither, dockerd's 400 `Bad parameters and missing
 * X-Registry-Auth: EOF`.
 */
import type { RouteContext } from '../router.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { AuthConfig } from '../../wire/auth.ts';
import { decodeRegistryAuth } from '../../engine/distribution/auth-header.ts';

const FIELDS = ['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken'] as const;

/** The credentials in a JSON object (unknown fields and non-strings dropped; `auth` split into user and password). */
export function authConfigFrom(value: unknown): AuthConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const out: AuthConfig = {};
  for (const k of FIELDS) {
    const s = v[k];
    if (typeof s === 'string' && s !== '') out[k] = s;
  }
  if (out.auth && !out.username) {
    const plain = Buffer.from(out.auth, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i > 0) {
      out.username = plain.slice(0, i);
      out.password = plain.slice(i + 1);
    }
  }
  return out;
}


export async function registryAuth(ctx: RouteContext): Promise<AuthConfig> {
  const header = ctx.req.headers['x-registry-auth'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value) return decodeRegistryAuth(value);
  const chunks: Buffer[] = [];
  for await (const c of ctx.req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') throw new InvalidParameterError('Bad parameters and missing X-Registry-Auth: EOF');
  try {
    return authConfigFrom(JSON.parse(text));
  } catch (err) {
    throw new InvalidParameterError(`Bad parameters and missing X-Registry-Auth: ${(err as Error).message}`);
  }
}
