/** Container routes: decode → one engine call → encode. */
import type { RouteContext, Router } from '../router.ts';
import { queryBool, queryFilters, queryInt } from '../query.ts';
import { decodeCreateBody } from '../decode/container-create.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { UpdateConfig, WaitCondition } from '../../engine/containers/container-service.ts';
import { pipeAttach } from '../streams/attach.ts';
import { attachDetachKeys } from '../streams/detach-keys.ts';
import { notRunning } from '../../engine/containers/errors.ts';

export function registerContainerRoutes(router: Router): void {
  router.add('POST', '/containers/create', containerCreate);
  router.add('GET', '/containers/json', containerList);
  router.add('GET', '/containers/{id}/json', containerInspect);
  router.add('POST', '/containers/{id}/start', containerStart);
  router.add('POST', '/containers/{id}/stop', containerStop);
  router.add('POST', '/containers/{id}/restart', containerRestart);
  router.add('POST', '/containers/{id}/kill', containerKill);
  router.add('POST', '/containers/{id}/pause', containerPause);
  router.add('POST', '/containers/{id}/unpause', containerUnpause);
  router.add('POST', '/containers/{id}/wait', containerWait);
  router.add('DELETE', '/containers/{id}', containerDelete);
  router.add('POST', '/containers/{id}/rename', containerRename);
  router.add('POST', '/containers/{id}/update', containerUpdate);
  router.add('POST', '/containers/{id}/attach', containerAttach);
  router.add('POST', '/containers/{id}/resize', containerResize);
}

async function containerCreate(ctx: RouteContext): Promise<unknown> {
  const body = decodeCreateBody(await ctx.bodyJson<unknown>());
  const name = ctx.query.get('name') ?? undefined;
  const platform = ctx.query.get('platform') || undefined;
  const created = await ctx.engine.containers.create({ name: name || undefined, config: body.config, hostConfig: body.hostConfig, platform });
  ctx.json(201, created);
  return undefined;
}

async function containerList(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.queries.list({
    all: queryBool(ctx.query, 'all'),
    limit: queryInt(ctx.query, 'limit'),
    size: queryBool(ctx.query, 'size'),
    filters: queryFilters(ctx.query),
  });
}

async function containerInspect(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.queries.inspect(ctx.params.id!, { size: queryBool(ctx.query, 'size') });
}

async function containerStart(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.start(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

function stopOptions(ctx: RouteContext): { timeout?: number; signal?: string } {
  const timeout = queryInt(ctx.query, 't');
  const signal = ctx.query.get('signal') ?? undefined;
  return { timeout, signal: signal || undefined };
}

async function containerStop(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.stop(ctx.params.id!, stopOptions(ctx));
  ctx.noContent();
  return undefined;
}

async function containerRestart(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.restart(ctx.params.id!, stopOptions(ctx));
  ctx.noContent();
  return undefined;
}

async function containerKill(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.kill(ctx.params.id!, ctx.query.get('signal') || 'SIGKILL');
  ctx.noContent();
  return undefined;
}

async function containerPause(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.pause(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

async function containerUnpause(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.unpause(ctx.params.id!);
  ctx.noContent();
  return undefined;
}

const CONDITIONS = new Set(['not-running', 'next-exit', 'removed']);

async function containerWait(ctx: RouteContext): Promise<unknown> {
  const condition = ctx.query.get('condition') || 'not-running';
  if (!CONDITIONS.has(condition)) throw new InvalidParameterError(`invalid condition: "${condition}"`);
  // Resolve first so an unknown container is a plain 404, then answer the
  // headers at once (clients start waiting before they start the container).
  ctx.engine.containers.store.resolve(ctx.params.id!);
  const result = ctx.engine.containers.wait(ctx.params.id!, condition as WaitCondition, ctx.signal);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.flushHeaders();
  try {
    ctx.res.end(JSON.stringify(await result) + '\n');
  } catch (err) {
    ctx.res.end(JSON.stringify({ StatusCode: -1, Error: { Message: (err as Error).message } }) + '\n');
  }
  return undefined;
}

async function containerDelete(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.remove(ctx.params.id!, { force: queryBool(ctx.query, 'force'), volumes: queryBool(ctx.query, 'v') });
  ctx.noContent();
  return undefined;
}

async function containerRename(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.rename(ctx.params.id!, ctx.query.get('name') ?? '');
  ctx.noContent();
  return undefined;
}

async function containerUpdate(ctx: RouteContext): Promise<unknown> {
  const body = await ctx.bodyJson<unknown>();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidParameterError('invalid update: the body must be a JSON object');
  return ctx.engine.containers.update(ctx.params.id!, body as UpdateConfig);
}

async function containerResize(ctx: RouteContext): Promise<unknown> {
  const record = ctx.engine.containers.store.resolve(ctx.params.id!);
  const h = queryInt(ctx.query, 'h') ?? 0;
  const w = queryInt(ctx.query, 'w') ?? 0;
  if (record.state.status !== 'running') throw notRunning(record.id);
  await ctx.engine.runtime.resize(record.id, h, w);
  return undefined;
}

async function containerAttach(ctx: RouteContext): Promise<unknown> {
  // dockerd refuses bad detach keys first, even for a container that does not exist.
  const detachKeys = attachDetachKeys(ctx.query.get('detachKeys'));
  const record = ctx.engine.containers.store.resolve(ctx.params.id!);
  const want = {
    stdin: queryBool(ctx.query, 'stdin'),
    stdout: queryBool(ctx.query, 'stdout'),
    stderr: queryBool(ctx.query, 'stderr'),
    tty: Boolean(record.config.Tty),
    detachKeys: record.config.Tty ? detachKeys : [],
  };
  if (!queryBool(ctx.query, 'stream') && !queryBool(ctx.query, 'logs')) {
    throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
  }
  const running = record.state.status === 'running' || record.state.status === 'paused';
  const abort = new AbortController();
  // The log offset is taken before the client is answered, so output of a start it sends next is never missed.
  const { entries } = await ctx.engine.queries.attachOutput(record.id, {
    stdout: want.stdout,
    stderr: want.stderr,
    signal: abort.signal,
    replay: queryBool(ctx.query, 'logs'),
    follow: queryBool(ctx.query, 'stream'),
  });
  const socket = ctx.hijack(want.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  ctx.engine.events.publish('container', 'attach', record.id, ctx.engine.containers.eventAttributes(record));
  const streams = want.stdin ? ctx.engine.containers.attach.attach(record.id, running, abort.signal).catch(() => undefined) : undefined;
  await pipeAttach(socket, want, { output: entries, streams, abort });
  return undefined;
}
