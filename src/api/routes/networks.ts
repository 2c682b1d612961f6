/**
 * Network routes (swagger tag "Network"): decode → one engine call → encode.
 * Bodies are read as dockerd reads them: an empty one is its 400 "got EOF
 * while reading request body", a mistyped field its decoder's words.
 */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryFilters } from '../query.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { BodyOperation } from '../decode/schemas.generated.ts';
import type { NetworkService } from '../../engine/network/network-service.ts';
import type { ContainerNetworking } from '../../engine/network/container-networking.ts';
import type { EndpointSettingsRequest, NetworkCreateRequest } from '../../wire/network.ts';

/** What the network routes need: the network service's verbs, and connect/disconnect from the container side. */
export type NetworkBackend = Pick<NetworkService, 'create' | 'inspect' | 'remove' | 'prune'> & {
  list: NetworkService['listWire'];
} & ContainerNetworking;

type Backend = NetworkBackend;

export function registerNetworkRoutes(router: Router, backend: NetworkBackend): void {
  const add = routesOver(router, backend);
  add('GET', '/networks', networkList);
  add('POST', '/networks/create', networkCreate);
  add('POST', '/networks/prune', networkPrune);
  add('GET', '/networks/{id}', networkInspect);
  add('DELETE', '/networks/{id}', networkDelete);
  add('POST', '/networks/{id}/connect', networkConnect);
  add('POST', '/networks/{id}/disconnect', networkDisconnect);
}

/** A body dockerd requires: nothing at all is its 400 (not the 500 "EOF" of the container routes). */
async function requiredBody<T>(ctx: RouteContext, op: BodyOperation): Promise<T> {
  try {
    return await ctx.bodyJson<T>(op, { required: true });
  } catch (err) {
    if (err instanceof SystemError && err.message === 'EOF') throw new InvalidParameterError('got EOF while reading request body', { cause: err });
    throw err;
  }
}

async function networkList(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.list(queryFilters(ctx.query));
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** `verbose` as dockerd reads it here: strconv.ParseBool, strictly, and its error a 400. */
function verboseParam(q: URLSearchParams): boolean {
  const v = q.get('verbose') ?? '';
  if (v === '' || GO_FALSE.includes(v)) return false;
  if (GO_TRUE.includes(v)) return true;
  throw new InvalidParameterError(`invalid value for verbose: ${v}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

async function networkInspect(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.inspect(ctx.params.id!, { scope: ctx.query.get('scope') ?? undefined, verbose: verboseParam(ctx.query) });
}

async function networkCreate(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await requiredBody<NetworkCreateRequest>(ctx, 'NetworkCreate');
  ctx.json(201, await b.create(body));
  return undefined;
}

async function networkDelete(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.remove(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

async function networkPrune(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.prune(queryFilters(ctx.query));
}

/** The decoded EndpointConfig with Go's nulls (zero values) left out. */
interface DecodedEndpoint {
  IPAMConfig?: { IPv4Address?: string | null; IPv6Address?: string | null; LinkLocalIPs?: string[] | null } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string | null;
  DriverOpts?: Record<string, string> | null;
}

function endpointRequest(e: DecodedEndpoint | null | undefined): EndpointSettingsRequest | undefined {
  if (!e) return undefined;
  const out: EndpointSettingsRequest = { Links: e.Links ?? null, Aliases: e.Aliases ?? null, DriverOpts: e.DriverOpts ?? null };
  if (e.MacAddress) out.MacAddress = e.MacAddress;
  const ipam = e.IPAMConfig;
  if (ipam) {
    out.IPAMConfig = {};
    if (ipam.IPv4Address) out.IPAMConfig.IPv4Address = ipam.IPv4Address;
    if (ipam.IPv6Address) out.IPAMConfig.IPv6Address = ipam.IPv6Address;
    if (ipam.LinkLocalIPs) out.IPAMConfig.LinkLocalIPs = ipam.LinkLocalIPs;
  }
  return out;
}

async function networkConnect(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await requiredBody<{ Container?: string | null; EndpointConfig?: DecodedEndpoint | null }>(ctx, 'NetworkConnect');
  await b.connect(ctx.params.id!, body.Container ?? '', endpointRequest(body.EndpointConfig));
  ctx.res.writeHead(200).end();
  return undefined;
}

async function networkDisconnect(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await requiredBody<{ Container?: string | null; Force?: boolean | null }>(ctx, 'NetworkDisconnect');
  await b.disconnect(ctx.params.id!, body.Container ?? '', body.Force ?? false);
  ctx.res.writeHead(200).end();
  return undefined;
}
