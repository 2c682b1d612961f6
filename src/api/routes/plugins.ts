/**
 * Plugin routes (swagger tag "Plugin"). Berth has no managed plugins: the
 * list is empty, as a dockerd with none installed answers it, so `docker
 * plugin ls` prints an empty table.
 */
import type { RouteContext, Router } from '../router.ts';
import { queryFilters } from '../query.ts';
import { InvalidParameterError } from '../../util/errors.ts';

/** The filters dockerd's plugin list accepts. */
const PLUGIN_FILTERS = new Set(['capability', 'enabled']);

export function registerPluginRoutes(router: Router): void {
  router.add('GET', '/plugins', pluginList);
}

/** `GET /plugins`: the filters checked as dockerd 20.10 checks them, then the (empty) list. */
async function pluginList(ctx: RouteContext): Promise<unknown> {
  const filters = queryFilters(ctx.query);
  for (const key of filters.keys()) if (!PLUGIN_FILTERS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  // `enabled` needs one value that is exactly "true" or "false" (none at all is no filter).
  const enabled = filters.get('enabled') ?? [];
  if (enabled.length > 0 && !enabled.some((v) => v === 'true' || v === 'false')) {
    throw new InvalidParameterError(`Invalid filter 'enabled=[${enabled.join(' ')}]'`);
  }
  return [];
}
