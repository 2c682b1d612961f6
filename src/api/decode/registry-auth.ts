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
import { authConfigFrom, decodeRegistryAuth } from '../../engine/distribution/auth-header.ts';

export { authConfigFrom };


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
