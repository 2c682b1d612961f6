/** Distribution routes (swagger tag "Distribution"): `GET /distribution/{name}/json`. */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import type { DistributionInspect } from '../../engine/distribution/inspect.ts';
import { decodeRegistryAuth, type AuthConfig } from '../../engine/distribution/auth-header.ts';

export interface DistributionBackend {
  inspect(name: string, auth: AuthConfig): Promise<DistributionInspect>;
}

export function registerDistributionRoutes(router: Router, backend: DistributionBackend): void {
  const add = routesOver(router, backend);
  add('GET', '/distribution/{name*}/json', distributionInspect);
}

async function distributionInspect(ctx: RouteContext, b: DistributionBackend): Promise<unknown> {
  const header = ctx.req.headers['x-registry-auth'];
  return b.inspect(ctx.params.name!, decodeRegistryAuth(Array.isArray(header) ? header[0] : header));
}
