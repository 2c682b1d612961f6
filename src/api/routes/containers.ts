/** Container routes: decode → one engine call → encode. */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryBool, queryFilters, queryInt } from '../query.ts';
import { decodeCreateBody } from '../decode/container-create.ts';
import { InvalidParameterError, NotFoundError } from '../../util/errors.ts';
import type { UpdateConfig, WaitCondition } from '../../wire/container.ts';
import { pipeAttach } from '../streams/attach.ts';
import type { ContainerService } from '../../engine/containers/container-service.ts';
import type { CreateRequest } from '../../engine/containers/container-create.ts';
import type { ContainerQueries } from '../../engine/containers/container-queries.ts';
import type { ContainerIO } from '../../engine/containers/container-io.ts';
import { attachDetachKeys } from '../streams/detach-keys.ts';

/** What the container routes need of the engine: the lifecycle verbs, inspect and list, attach, resize and wait. */
export type ContainerBackend = Pick<ContainerService, 'create' | 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'remove' | 'rename' | 'update' | 'removeLink'> &
  Pick<ContainerQueries, 'list' | 'inspect'> &
  Pick<ContainerIO, 'attach' | 'resize' | 'wait'>;

type Backend = ContainerBackend;

export function registerContainerRoutes(router: Router, backend: ContainerBackend): void {
  const add = routesOver(router, backend);
  add('POST', '/containers/create', containerCreate);
  add('GET', '/containers/json', containerList);
  add('GET', '/containers/{id}/json', containerInspect);
  add('POST', '/containers/{id}/start', containerStart);
  add('POST', '/containers/{id}/stop', containerStop);
  add('POST', '/containers/{id}/restart', containerRestart);
  add('POST', '/containers/{id}/kill', containerKill);
  add('POST', '/containers/{id}/pause', containerPause);
  add('POST', '/containers/{id}/unpause', containerUnpause);
  add('POST', '/containers/{id}/wait', containerWait);
  add('DELETE', '/containers/{id}', containerDelete);
  // `docker rm --link /parent/alias` names the link by its path.
  add('DELETE', '/containers/{parent}/{alias}', containerDelete);
  add('POST', '/containers/{id}/rename', containerRename);
  add('POST', '/containers/{id}/update', containerUpdate);
  add('POST', '/containers/{id}/attach', containerAttach);
  add('POST', '/containers/{id}/resize', containerResize);
}

async function containerCreate(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = decodeCreateBody(await ctx.bodyJson<unknown>(undefined, { required: true }));
  const name = ctx.query.get('name') ?? undefined;
  const platform = ctx.query.get('platform') || undefined;
  const endpointsConfig = (body.networkingConfig as { EndpointsConfig?: CreateRequest['endpointsConfig'] } | undefined)?.EndpointsConfig ?? undefined;
  const created = await b.create({ name: name || undefined, config: body.config, hostConfig: body.hostConfig, platform, endpointsConfig });
  ctx.json(201, created);
  return undefined;
}

async function containerList(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.list({
    all: queryBool(ctx.query, 'all'),
    limit: queryInt(ctx.query, 'limit'),
    size: queryBool(ctx.query, 'size'),
    filters: queryFilters(ctx.query),
  });
}

async function containerInspect(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.inspect(ctx.params.id!, { size: queryBool(ctx.query, 'size') });
}

async function containerStart(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.start(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

function stopOptions(ctx: RouteContext): { timeout?: number; signal?: string } {
  const timeout = queryInt(ctx.query, 't');
  const signal = ctx.query.get('signal') ?? undefined;
  return { timeout, signal: signal || undefined };
}

async function containerStop(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.stop(ctx.params.id!, stopOptions(ctx));
  ctx.noContent();
  return undefined;
}

async function containerRestart(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.restart(ctx.params.id!, stopOptions(ctx));
  ctx.noContent();
  return undefined;
}

async function containerKill(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.kill(ctx.params.id!, ctx.query.get('signal') || 'SIGKILL');
  ctx.noContent();
  return undefined;
}

async function containerPause(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.pause(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

async function containerUnpause(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.unpause(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

const CONDITIONS = new Set(['not-running', 'next-exit', 'removed']);

async function containerWait(ctx: RouteContext, b: Backend): Promise<unknown> {
  const condition = ctx.query.get('condition') || 'not-running';
  if (!CONDITIONS.has(condition)) throw new InvalidParameterError(`invalid condition: "${condition}"`);
  // The container is resolved first (an unknown one is a plain 404), then the
  // headers go at once: clients start waiting before they start the container.
  const { result } = b.wait(ctx.params.id!, condition as WaitCondition, ctx.signal);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.flushHeaders();
  try {
    ctx.res.end(JSON.stringify(await result) + '\n');
  } catch (err) {
    ctx.res.end(JSON.stringify({ StatusCode: -1, Error: { Message: (err as Error).message } }) + '\n');
  }
  return undefined;
}

async function containerDelete(ctx: RouteContext, b: Backend): Promise<unknown> {
  const linkName = ctx.params.parent ? `${ctx.params.parent}/${ctx.params.alias}` : ctx.params.id!;
  if (queryBool(ctx.query, 'link')) {
    await b.removeLink(linkName);
    ctx.noContent();
    return undefined;
  }
  if (ctx.params.parent) throw new NotFoundError(`No such container: ${linkName}`);
  await b.remove(ctx.params.id!, { force: queryBool(ctx.query, 'force'), volumes: queryBool(ctx.query, 'v') });
  ctx.noContent();
  return undefined;
}

async function containerRename(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.rename(ctx.params.id!, ctx.query.get('name') ?? '');
  ctx.noContent();
  return undefined;
}

async function containerUpdate(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.update(ctx.params.id!, await ctx.bodyJson<UpdateConfig>('ContainerUpdate'));
}

async function containerResize(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.resize(ctx.params.id!, queryInt(ctx.query, 'h', 400) ?? 0, queryInt(ctx.query, 'w', 400) ?? 0);
  return undefined;
}

async function containerAttach(ctx: RouteContext, b: Backend): Promise<unknown> {
  // dockerd refuses bad detach keys first, even for a container that does not exist.
  const detachKeys = attachDetachKeys(ctx.query.get('detachKeys'));
  const want = { stdin: queryBool(ctx.query, 'stdin'), stdout: queryBool(ctx.query, 'stdout'), stderr: queryBool(ctx.query, 'stderr') };
  const abort = new AbortController();
  const session = await b.attach(ctx.params.id!, {
    ...want,
    logs: queryBool(ctx.query, 'logs'),
    stream: queryBool(ctx.query, 'stream'),
    signal: abort.signal,
  });
  const socket = ctx.hijack(session.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  await pipeAttach(socket, { ...want, tty: session.tty, detachKeys: session.tty ? detachKeys : [] }, { output: session.output, streams: session.stdin, abort });
  return undefined;
}
