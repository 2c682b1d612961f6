/** Container data routes: logs, top, stats, changes, export, archive (docker cp), commit, prune. */
import type { RouteContext, Router } from '../router.ts';
import { queryBool } from '../query.ts';
import { encodeLogLine } from '../streams/multiplex.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { parseEventTime } from './system.ts';

export function registerContainerDataRoutes(router: Router): void {
  router.add('GET', '/containers/{id}/logs', containerLogs);
}

function parseTail(value: string | null): number | 'all' {
  if (value === null || value === '' || value === 'all') return 'all';
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidParameterError(`invalid value for "tail": ${JSON.stringify(value)}`);
  return n < 0 ? 'all' : n;
}

async function containerLogs(ctx: RouteContext): Promise<unknown> {
  const stdout = queryBool(ctx.query, 'stdout');
  const stderr = queryBool(ctx.query, 'stderr');
  ctx.engine.containers.store.resolve(ctx.params.id!);
  if (!stdout && !stderr) throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
  const now = Date.now();
  const since = parseEventTime(ctx.query.get('since'), now);
  const until = parseEventTime(ctx.query.get('until'), now);
  const follow = queryBool(ctx.query, 'follow');
  const timestamps = queryBool(ctx.query, 'timestamps');
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
    if (!res.write(encodeLogLine(entry, { tty, timestamps }))) {
      await new Promise((r) => res.once('drain', r));
    }
  }
  res.end();
  return undefined;
}
