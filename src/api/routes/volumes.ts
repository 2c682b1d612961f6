/**
 * Volume routes (swagger tag "Volume"): decode → one engine call → encode.
 * Bodies are read as dockerd reads them: an empty one is its 400 "got EOF
 * while reading request body", a mistyped field its decoder's words.
 */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { VolumeFilters } from '../../engine/volumes/volume-filters.ts';
import type { VolumeCreateRequest, VolumePruneReport } from '../../engine/volumes/volume-service.ts';
import type { Volume, VolumeListResponse, VolumePruneResponse } from '../../wire/volume.ts';

/** What the volume routes need of the engine, in wire shapes. */
export interface VolumeBackend {
  list(filters: VolumeFilters): Volume[];
  inspect(name: string): Volume;
  create(request: VolumeCreateRequest): Promise<Volume>;
  remove(name: string, options: { force: boolean }): Promise<void>;
  prune(filters: VolumeFilters): Promise<VolumePruneReport>;
}

type Backend = VolumeBackend;

/**
 * API 1.42: "POST /volumes/prune now only prunes anonymous volumes by
 * default. The `all` filter can be used to prune all unused volumes".
 * Older clients keep the old behaviour, as dockerd adds `all=true` for them.
 */
const PRUNE_ANONYMOUS_ONLY_SINCE = 1.42;

export function registerVolumeRoutes(router: Router, backend: VolumeBackend): void {
  const add = routesOver(router, backend);
  add('GET', '/volumes', volumeList);
  add('POST', '/volumes/create', volumeCreate);
  add('POST', '/volumes/prune', volumePrune);
  add('GET', '/volumes/{name}', volumeInspect);
  add('DELETE', '/volumes/{name}', volumeDelete);
}

async function volumeList(ctx: RouteContext, b: Backend): Promise<VolumeListResponse> {
  return { Volumes: b.list(queryFilters(ctx.query)), Warnings: null };
}

async function volumeInspect(ctx: RouteContext, b: Backend): Promise<Volume> {
  return b.inspect(ctx.params.name!);
}

interface DecodedCreate {
  Name?: string | null;
  Driver?: string | null;
  DriverOpts?: Record<string, string | null> | null;
  Labels?: Record<string, string | null> | null;
}

/** Go's map[string]string: a null value decodes as "". */
function stringMap(map: Record<string, string | null> | null | undefined): Record<string, string> | null {
  if (map === null || map === undefined) return null;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v ?? '']));
}

async function volumeCreate(ctx: RouteContext, b: Backend): Promise<unknown> {
  let body: DecodedCreate | null;
  try {
    body = await ctx.bodyJson<DecodedCreate | null>('VolumeCreate', { required: true });
  } catch (err) {
    if (err instanceof SystemError && err.message === 'EOF') throw new InvalidParameterError('got EOF while reading request body', { cause: err });
    throw err;
  }
  const volume = await b.create({
    name: body?.Name ?? '',
    driver: body?.Driver ?? '',
    driverOpts: stringMap(body?.DriverOpts),
    labels: stringMap(body?.Labels),
  });
  ctx.json(201, volume);
  return undefined;
}

async function volumeDelete(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.remove(ctx.params.name!, { force: queryBool(ctx.query, 'force') });
  ctx.noContent();
  return undefined;
}

async function volumePrune(ctx: RouteContext, b: Backend): Promise<VolumePruneResponse> {
  const filters = new Map(queryFilters(ctx.query));
  if (ctx.version < PRUNE_ANONYMOUS_ONLY_SINCE) filters.set('all', [...new Set([...(filters.get('all') ?? []), 'true'])]);
  const report = await b.prune(filters);
  return { VolumesDeleted: report.volumesDeleted, SpaceReclaimed: report.spaceReclaimed };
}
