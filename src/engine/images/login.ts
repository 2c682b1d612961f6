/**
 * `POST /auth` (docker login): check credentials against a registry's `/v2/`
 * as dockerd's loginV2 does. The registry's challenge says how: `Basic`, the
 * credentials on `GET /v2/`; `Bearer`, a token from its realm (no scope),
 * then `GET /v2/` with it. A refresh token the token server hands out comes
 * back as the IdentityToken. Wrong credentials are a 401 in dockerd's words
 * (`login attempt to http://h/v2/ failed with status: 401 Unauthorized`).
 */
import { Authenticator, type AuthConfig } from '../../registry/client/auth.ts';
import { DOCKER_IO, DOCKER_IO_INDEX, resolveEndpoints, type RegistryHostsConfig } from '../../registry/client/endpoints.ts';
import { discard, send } from '../../registry/client/http.ts';
import { RegistryClient } from '../../registry/client/registry-client.ts';
import { UnauthorizedError } from '../../util/errors.ts';

export interface LoginResult {
  Status: string;
  IdentityToken: string;
}

/** The registry host a login's `serveraddress` names (`http://h:5000/` → `h:5000`; empty or the index → docker.io). */
export function loginRegistry(serverAddress: string | undefined): string {
  if (!serverAddress || serverAddress === DOCKER_IO_INDEX) return DOCKER_IO;
  const host = serverAddress.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_IO : host;
}

export async function registryLogin(auth: AuthConfig, registry: RegistryHostsConfig): Promise<LoginResult> {
  const host = loginRegistry(auth.serveraddress);
  const endpoints = await resolveEndpoints(host, registry, { push: true });
  const authenticator = new Authenticator(auth, { offlineToken: true });
  const client = await RegistryClient.connect(endpoints, '', authenticator);
  const base = client.endpoint.url;
  const url = `${base}/v2/`;
  let authorization: string | undefined;
  try {
    authorization = authenticator.hasChallenge(base) ? await authenticator.authorization(base, [], client.endpoint.insecureTls) : undefined;
  } catch (err) {
    // dockerd fetches the token inside the request's transport: Go's url.Error names the /v2/ request.
    if (err instanceof UnauthorizedError) throw new UnauthorizedError(`Get "${url}": ${err.message}`, { cause: err });
    throw err;
  }
  const res = await send({ method: 'GET', url, insecureTls: client.endpoint.insecureTls, headers: authorization ? { authorization } : {} });
  discard(res);
  if (res.statusCode !== 200) {
    throw new UnauthorizedError(`login attempt to ${url} failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd());
  }
  return { Status: 'Login Succeeded', IdentityToken: authenticator.refreshToken ?? '' };
}
