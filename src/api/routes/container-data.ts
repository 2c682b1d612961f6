/** Container data routes: logs, top, stats, changes, export, archive (docker cp), commit, prune. */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PATH_STAT_HEADER, encodePathStat } from '../encode/path-stat.ts';
import { encodeLogLine } from '../streams/multiplex.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { ContainerData } from '../../engine/containers/container-data.ts';
import type { ContainerIO } from '../../engine/containers/container-io.ts';

/** What the container data routes need of the engine: a container's files, snapshots and streams. */
export type ContainerDataBackend = Pick<ContainerData, 'top' | 'changes' | 'export' | 'statPath' | 'archivePath' | 'extract' | 'commit' | 'prune'> &
  Pick<ContainerIO, 'logs' | 'stats' | 'statsStream'>;

type Backend = ContainerDataBackend;

export function registerContainerDataRoutes(router: Router, backend: ContainerDataBackend): void {
  const add = routesOver(router, backend);
  add('GET', '/containers/{id}/logs', containerLogs);
  add('GET', '/containers/{id}/top', containerTop);
  add('GET', '/containers/{id}/stats', containerStats);
  add('GET', '/containers/{id}/changes', containerChanges);
  add('GET', '/containers/{id}/export', containerExport);
  add('GET', '/containers/{id}/archive', containerArchive);
  add('HEAD', '/containers/{id}/archive', containerArchiveInfo);
  add('PUT', '/containers/{id}/archive', putContainerArchive);
  add('POST', '/commit', imageCommit);
  add('POST', '/containers/prune', containerPrune);
}

/** dockerd reads `tail` with strconv.Atoi and takes anything it cannot read, or a negative count, as all. */
function parseTail(value: string | null): number | 'all' {
  if (value === null || !/^[+-]?\d+$/.test(value)) return 'all';
  const n = Number(value);
  return n < 0 ? 'all' : n;
}

async function containerLogs(ctx: RouteContext, b: Backend): Promise<unknown> {
  const follow = queryBool(ctx.query, 'follow');
  const timestamps = queryBool(ctx.query, 'timestamps');
  const { tty, details, entries } = b.logs(ctx.params.id!, {
    stdout: queryBool(ctx.query, 'stdout'),
    stderr: queryBool(ctx.query, 'stderr'),
    since: ctx.query.get('since') ?? undefined,
    until: ctx.query.get('until') ?? undefined,
    tail: parseTail(ctx.query.get('tail')),
    follow,
    details: queryBool(ctx.query, 'details'),
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

async function containerTop(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.top(ctx.params.id!, ctx.query.get('ps_args') ?? undefined);
}

async function containerStats(ctx: RouteContext, b: Backend): Promise<unknown> {
  const id = ctx.params.id!;
  if (!queryBool(ctx.query, 'stream', true)) return b.stats(id, { oneShot: queryBool(ctx.query, 'one-shot'), signal: ctx.signal });
  const res = ctx.res;
  // The headers wait for the first sample: an unknown container is a plain 404.
  for await (const sample of b.statsStream(id, ctx.signal)) {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(JSON.stringify(sample) + '\n');
  }
  res.end();
  return undefined;
}

async function containerChanges(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.changes(ctx.params.id!);
}

async function pipeTar(ctx: RouteContext, stream: Readable): Promise<void> {
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(stream, ctx.res);
}

async function containerExport(ctx: RouteContext, b: Backend): Promise<unknown> {
  await pipeTar(ctx, await b.export(ctx.params.id!, ctx.signal));
  return undefined;
}

function archivePathParam(ctx: RouteContext): string {
  const path = ctx.query.get('path');
  if (!path) throw new InvalidParameterError('Bad parameters: you must choose a path');
  return path;
}

async function containerArchiveInfo(ctx: RouteContext, b: Backend): Promise<unknown> {
  const stat = await b.statPath(ctx.params.id!, archivePathParam(ctx));
  ctx.res.writeHead(200, { [PATH_STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
  ctx.res.end();
  return undefined;
}

async function containerArchive(ctx: RouteContext, b: Backend): Promise<unknown> {
  if (ctx.req.method === 'HEAD') return containerArchiveInfo(ctx, b);
  const { stat, stream } = await b.archivePath(ctx.params.id!, archivePathParam(ctx), ctx.signal);
  ctx.res.setHeader(PATH_STAT_HEADER, encodePathStat(stat));
  await pipeTar(ctx, stream);
  return undefined;
}

async function putContainerArchive(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.extract(ctx.params.id!, archivePathParam(ctx), ctx.req, {
    noOverwriteDirNonDir: queryBool(ctx.query, 'noOverwriteDirNonDir'),
    copyUIDGID: queryBool(ctx.query, 'copyUIDGID'),
    signal: ctx.signal,
  });
  ctx.noContent(200);
  return undefined;
}

async function imageCommit(ctx: RouteContext, b: Backend): Promise<unknown> {
  const container = ctx.query.get('container');
  if (!container) throw new InvalidParameterError('No container specified');
  const config = await ctx.bodyJson<Record<string, unknown>>('ImageCommit');
  const changes = ctx.query.getAll('changes').flatMap((c) => c.split('\n')).filter((c) => c.trim() !== '');
  const id = await b.commit(container, {
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

async function containerPrune(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.prune(queryFilters(ctx.query));
}
