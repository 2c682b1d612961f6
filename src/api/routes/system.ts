/** System routes: ping, version, info, df, events. */
import { parseTimeOption } from '../../util/timestamp.ts';
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { MAX_API_VERSION, MIN_API_VERSION } from '../version.ts';
import { queryFilters } from '../query.ts';
import type { EngineEvent, EventsService } from '../../engine/events/events-service.ts';
import type { DiskUsageObject, SystemService } from '../../engine/system/system-service.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { AuthConfig, SystemAuthResponse } from '../../wire/auth.ts';
import type { BuildCache } from '../../wire/build.ts';
import { authConfigFrom } from '../decode/registry-auth.ts';

/** What the system routes need of the engine: its facts and its event feed. */
export type SystemBackend = Pick<SystemService, 'version' | 'info' | 'dataUsage'> &
  Pick<EventsService, 'subscribe'> & {
    /** `POST /auth`: the image service's registry login. */
    login(auth: AuthConfig): Promise<SystemAuthResponse>;
  };

type Backend = SystemBackend;

export function registerSystemRoutes(router: Router, backend: SystemBackend): void {
  const add = routesOver(router, backend);
  router.add('GET', '/_ping', systemPing);
  router.add('HEAD', '/_ping', systemPing);
  add('GET', '/version', systemVersion);
  add('GET', '/info', systemInfo);
  add('GET', '/system/df', systemDataUsage);
  add('GET', '/events', systemEvents);
  add('POST', '/auth', systemAuth);
}

async function systemPing(ctx: RouteContext): Promise<unknown> {
  ctx.res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Builder-Version': '1',
  });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
  return undefined;
}

async function systemVersion(ctx: RouteContext, b: Backend): Promise<unknown> {
  const v = b.version();
  return {
    ...v,
    Components: [
      {
        Name: 'Engine',
        Version: v.Version,
        Details: {
          ApiVersion: MAX_API_VERSION,
          Arch: v.Arch,
          BuildTime: v.BuildTime,
          Experimental: 'false',
          GitCommit: v.GitCommit,
          GoVersion: v.GoVersion,
          KernelVersion: v.KernelVersion,
          MinAPIVersion: MIN_API_VERSION,
          Os: v.Os,
        },
      },
    ],
    ApiVersion: MAX_API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
  };
}

async function systemInfo(_ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.info();
}

/** API 1.42: "GET /system/df now accepts a `type` query parameter" (container, image, volume, build-cache). */
const DF_TYPE_SINCE = 1.42;
const DF_TYPES: readonly DiskUsageObject[] = ['container', 'image', 'volume', 'build-cache'];

/**
 * API 1.42: "The `BuildCache.Parent` field … is deprecated and is now
 * omitted" (`Parents` instead), and "Removed the `BuilderSize` field":
 * older clients get both back.
 */
const BUILD_CACHE_PARENTS_SINCE = 1.42;

async function systemDataUsage(ctx: RouteContext, b: Backend): Promise<unknown> {
  const requested = ctx.query.getAll('type');
  if (ctx.version < DF_TYPE_SINCE || !ctx.query.has('type')) return withOldBuildCache(ctx, await b.dataUsage());
  for (const t of requested) {
    if (!(DF_TYPES as readonly string[]).includes(t)) throw new InvalidParameterError(`unknown object type: ${t}`);
  }
  return b.dataUsage(new Set(requested as DiskUsageObject[]));
}

function withOldBuildCache<T extends { BuildCache: BuildCache[] | null }>(ctx: RouteContext, usage: T): unknown {
  if (ctx.version >= BUILD_CACHE_PARENTS_SINCE) return usage;
  const cache = usage.BuildCache ?? [];
  const old = cache.map(({ ID, Parents, ...rest }) => ({ ID, Parent: Parents?.[0] ?? '', ...rest }));
  return { ...usage, BuildCache: old, BuilderSize: cache.reduce((sum, c) => sum + c.Size, 0) };
}

const EVENT_FILTERS = new Set(['type', 'event', 'container', 'image', 'label', 'volume', 'network', 'daemon', 'scope']);

function eventMatches(e: EngineEvent, filters: Map<string, string[]>): boolean {
  const attr = e.Actor.Attributes;
  for (const [key, values] of filters) {
    let ok: boolean;
    switch (key) {
      case 'type': ok = values.includes(e.Type); break;
      case 'event': ok = values.some((v) => e.Action === v || e.Action.startsWith(`${v}:`)); break;
      case 'container': ok = e.Type === 'container' && values.some((v) => e.Actor.ID.startsWith(v) || attr.name === v); break;
      case 'image': ok = values.some((v) => attr.image === v || e.Actor.ID === v || (e.Type === 'image' && attr.name === v)); break;
      case 'label': ok = values.every((v) => { const i = v.indexOf('='); return i < 0 ? v in attr : attr[v.slice(0, i)] === v.slice(i + 1); }); break;
      case 'volume': case 'network': case 'daemon': ok = e.Type === key && values.some((v) => e.Actor.ID === v || attr.name === v); break;
      case 'scope': ok = values.includes('local'); break;
      default: ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

async function systemEvents(ctx: RouteContext, b: Backend): Promise<unknown> {
  const now = Date.now();
  const since = parseTimeOption(ctx.query.get('since'), now);
  const until = parseTimeOption(ctx.query.get('until'), now);
  const filters = queryFilters(ctx.query);
  // Checked before the stream starts: a bad key is the client's 400, never a throw inside publish().
  for (const key of filters.keys()) if (!EVENT_FILTERS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  const res = ctx.res;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  const inWindow = (e: EngineEvent) => {
    const ms = e.timeNano / 1e6;
    return (since === undefined || ms >= since) && (until === undefined || ms <= until);
  };
  const send = (e: EngineEvent) => {
    if (inWindow(e) && eventMatches(e, filters)) res.write(JSON.stringify(e) + '\n');
  };
  const { past, unsubscribe } = b.subscribe(send);
  try {
    if (since !== undefined) for (const e of past) send(e);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      if (until !== undefined) setTimeout(resolve, Math.max(0, until - Date.now()));
    });
  } finally {
    unsubscribe();
  }
  res.end();
  return undefined;
}

/** `docker login`: dockerd answers `{"IdentityToken":"","Status":"Login Succeeded"}` in that field order. */
async function systemAuth(ctx: RouteContext, b: Backend): Promise<unknown> {
  const auth = authConfigFrom(await ctx.bodyJson<unknown>(undefined, { required: true }));
  const result = await b.login(auth);
  return { IdentityToken: result.IdentityToken ?? '', Status: result.Status };
}
