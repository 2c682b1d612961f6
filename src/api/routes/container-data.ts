/** Container data routes: logs, top, stats, changes, export, archive (docker cp), commit, prune. */
import { logDetails } from '../../engine/containers/log-attrs.ts';
import type { RouteContext, Router } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PATH_STAT_HEADER, encodePathStat } from '../encode/path-stat.ts';
import { encodeLogLine } from '../streams/multiplex.ts';
import { InvalidParameterError, NotImplementedError } from '../../util/errors.ts';
import { parseEventTime } from './system.ts';

export function registerContainerDataRoutes(router: Router): void {
  router.add('GET', '/containers/{id}/logs', containerLogs);
  router.add('GET', '/containers/{id}/top', containerTop);
  router.add('GET', '/containers/{id}/stats', containerStats);
  router.add('GET', '/containers/{id}/changes', containerChanges);
  router.add('GET', '/containers/{id}/export', containerExport);
  router.add('GET', '/containers/{id}/archive', containerArchive);
  router.add('HEAD', '/containers/{id}/archive', containerArchiveInfo);
  router.add('PUT', '/containers/{id}/archive', putContainerArchive);
  router.add('POST', '/commit', imageCommit);
  router.add('POST', '/containers/prune', containerPrune);
}

/** dockerd reads `tail` with strconv.Atoi and takes anything it cannot read, or a negative count, as all. */
function parseTail(value: string | null): number | 'all' {
  if (value === null || !/^[+-]?\d+$/.test(value)) return 'all';
  const n = Number(value);
  return n < 0 ? 'all' : n;
}

async function containerLogs(ctx: RouteContext): Promise<unknown> {
  const stdout = queryBool(ctx.query, 'stdout');
  const stderr = queryBool(ctx.query, 'stderr');
  const record = ctx.engine.containers.store.resolve(ctx.params.id!);
  if (!stdout && !stderr) throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
  if (record.hostConfig.LogConfig?.Type === 'none') throw new NotImplementedError('configured logging driver does not support reading');
  const now = Date.now();
  const since = parseEventTime(ctx.query.get('since'), now);
  const until = parseEventTime(ctx.query.get('until'), now);
  const follow = queryBool(ctx.query, 'follow');
  const timestamps = queryBool(ctx.query, 'timestamps');
  const details = queryBool(ctx.query, 'details') ? logDetails(record) : undefined;
  const { tty, entries } = ctx.engine.queries.logs(ctx.params.id!, {
    stdout,
    stderr,
    since: since === undefined || since === 0 ? undefined : since / 1000,
    until: until === undefined || until === 0 ? undefined : until / 1000,
    tail: parseTail(ctx.query.get('tail')),
    follow,
    signal: ctx.signal,
  });
  const res = ctx.res;
  res.writeHead(200, { 'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
  if (follow) res.flushHeaders();
  for await (const entry of entries) {
    if (!res.write(encodeLogLine(entry, { tty, timestamps, details }))) {
      await new Promise((r) => res.once('drain', r));
    }
  }
  res.end();
  return undefined;
}

async function containerTop(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.data.top(ctx.params.id!, ctx.query.get('ps_args') ?? undefined);
}

async function containerStats(ctx: RouteContext): Promise<unknown> {
  const stream = queryBool(ctx.query, 'stream', true);
  const oneShot = queryBool(ctx.query, 'one-shot');
  const id = ctx.params.id!;
  const first = await ctx.engine.data.stats(id);
  if (!stream) {
    if (oneShot || !ctx.engine.data.isRunning(id)) return first;
    // Like dockerd, a single (non-one-shot) sample carries a previous one so CPU % can be computed.
    await sleep(1000, ctx.signal);
    return ctx.engine.data.stats(id, first);
  }
  const res = ctx.res;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let previous = first;
  res.write(JSON.stringify(first) + '\n');
  while (!ctx.signal.aborted && ctx.engine.data.isRunning(id)) {
    await sleep(1000, ctx.signal);
    if (ctx.signal.aborted) break;
    previous = await ctx.engine.data.stats(id, previous);
    res.write(JSON.stringify(previous) + '\n');
  }
  res.end();
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

async function containerChanges(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.data.changes(ctx.params.id!);
}

async function pipeTar(ctx: RouteContext, stream: Readable): Promise<void> {
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(stream, ctx.res);
}

async function containerExport(ctx: RouteContext): Promise<unknown> {
  await pipeTar(ctx, ctx.engine.data.export(ctx.params.id!, ctx.signal));
  return undefined;
}

function archivePathParam(ctx: RouteContext): string {
  const path = ctx.query.get('path');
  if (!path) throw new InvalidParameterError('Bad parameters: you must choose a path');
  return path;
}

async function containerArchiveInfo(ctx: RouteContext): Promise<unknown> {
  const stat = await ctx.engine.data.statPath(ctx.params.id!, archivePathParam(ctx));
  ctx.res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
  ctx.res.end();
  return undefined;
}

async function containerArchive(ctx: RouteContext): Promise<unknown> {
  if (ctx.req.method === 'HEAD') return containerArchiveInfo(ctx);
  const { stat, stream } = await ctx.engine.data.archivePath(ctx.params.id!, archivePathParam(ctx), ctx.signal);
  ctx.res.setHeader(PATH_STAT_HEADER, encodePathStat(stat));
  await pipeTar(ctx, stream);
  return undefined;
}

async function putContainerArchive(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.data.extract(ctx.params.id!, archivePathParam(ctx), ctx.req, {
    noOverwriteDirNonDir: queryBool(ctx.query, 'noOverwriteDirNonDir'),
    copyUIDGID: queryBool(ctx.query, 'copyUIDGID'),
    signal: ctx.signal,
  });
  ctx.noContent(200);
  return undefined;
}

async function imageCommit(ctx: RouteContext): Promise<unknown> {
  const container = ctx.query.get('container');
  if (!container) throw new InvalidParameterError('No container specified');
  const config = await ctx.bodyJson<Record<string, unknown>>();
  const changes = ctx.query.getAll('changes').flatMap((c) => c.split('\n')).filter((c) => c.trim() !== '');
  const id = await ctx.engine.data.commit(container, {
    repo: ctx.query.get('repo') || undefined,
    tag: ctx.query.get('tag') || undefined,
    author: ctx.query.get('author') || undefined,
    comment: ctx.query.get('comment') || undefined,
    changes,
    pause: queryBool(ctx.query, 'pause', true),
    config: Object.keys(config).length ? config : undefined,
  });
  ctx.json(201, { Id: id });
  return undefined;
}

async function containerPrune(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.data.prune(queryFilters(ctx.query));
}
