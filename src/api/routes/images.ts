/**
 * Image routes (swagger tag "Image"): decode → one ImageService call → encode.
 * Names may contain slashes, hence the greedy `{name*}` params. Streams
 * (load, import) answer 200 at once and report later failures in the stream,
 * as dockerd does.
 */
import type { Readable } from 'node:stream';
import type { Router, RouteContext } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import { JsonMessageWriter } from '../streams/json-lines.ts';
import { toJsonMessage } from '../streams/progress-messages.ts';
import { InvalidParameterError, NotImplementedError, asError } from '../../util/errors.ts';

export function registerImageRoutes(router: Router): void {
  router.add('GET', '/images/json', imageList);
  router.add('POST', '/images/load', imageLoad);
  router.add('GET', '/images/get', imageGetAll);
  router.add('POST', '/images/create', imageCreate);
  router.add('POST', '/images/prune', imagePrune);
  router.add('POST', '/images/bootstrap', imageBootstrap);
  router.add('GET', '/images/{name*}/json', imageInspect);
  router.add('GET', '/images/{name*}/history', imageHistory);
  router.add('GET', '/images/{name*}/get', imageGet);
  router.add('POST', '/images/{name*}/tag', imageTag);
  router.add('DELETE', '/images/{name*}', imageDelete);
}

async function imageList(ctx: RouteContext): Promise<unknown> {
  const filters = queryFilters(ctx.query);
  // Before API 1.41 the reference filter was also spelled `filter=` (a plain query parameter).
  const legacy = ctx.query.get('filter');
  if (legacy) filters.set('reference', [...(filters.get('reference') ?? []), legacy]);
  const list = ctx.engine.images.list({ all: queryBool(ctx.query, 'all'), filters });
  if (queryBool(ctx.query, 'shared-size')) return list.map((s) => ({ ...s, SharedSize: 0 }));
  return list;
}

async function imageInspect(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.images.inspect(ctx.params.name!);
}

async function imageHistory(ctx: RouteContext): Promise<unknown> {
  return ctx.engine.images.history(ctx.params.name!);
}

async function imageTag(ctx: RouteContext): Promise<unknown> {
  const repo = ctx.query.get('repo') ?? '';
  if (repo === '') throw new InvalidParameterError('repository name must have at least one component');
  await ctx.engine.images.tag(ctx.params.name!, repo, ctx.query.get('tag') ?? undefined);
  ctx.noContent(201);
  return undefined;
}

// A container removed a moment ago may still hold the image's layers in its
// rootfs mount: its release is waited for before layers are deleted.

async function imageDelete(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.released();
  return ctx.engine.images.remove(ctx.params.name!, { force: queryBool(ctx.query, 'force'), noprune: queryBool(ctx.query, 'noprune') });
}

async function imagePrune(ctx: RouteContext): Promise<unknown> {
  await ctx.engine.containers.released();
  return ctx.engine.images.prune({ filters: queryFilters(ctx.query) });
}

/**
 * Run `work` writing a JSON progress stream; errors after the 200 go into
 * the stream. With `lateHeaders` the 200 is sent with the first message, so
 * a failure before any output is an ordinary HTTP error (dockerd's import:
 * its WriteFlusher not yet flushed).
 */
async function progressStream(ctx: RouteContext, work: (w: JsonMessageWriter) => Promise<void>, options: { lateHeaders?: boolean } = {}): Promise<undefined> {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  };
  if (!options.lateHeaders) start();
  const writer = new JsonMessageWriter(ctx.res, start);
  try {
    await work(writer);
  } catch (err) {
    if (!started) throw err;
    await writer.error(asError(err).message).catch(() => undefined); // client gone: nothing to tell
  }
  start();
  ctx.res.end();
  return undefined;
}

async function imageLoad(ctx: RouteContext): Promise<unknown> {
  // Docker sends the same "Loaded image" lines whether quiet or not (quiet only hides progress bars).
  return progressStream(ctx, async (w) => {
    await ctx.engine.images.load(ctx.req as Readable, (event) => w.write(toJsonMessage(event)));
  });
}

async function sendTar(ctx: RouteContext, names: string[]): Promise<unknown> {
  const stream = ctx.engine.images.save(names); // resolves names first: 404 before any byte
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  for await (const chunk of stream) {
    if (!ctx.res.write(chunk)) await new Promise((r) => ctx.res.once('drain', r));
  }
  ctx.res.end();
  return undefined;
}

async function imageGet(ctx: RouteContext): Promise<unknown> {
  return sendTar(ctx, [ctx.params.name!]);
}

async function imageGetAll(ctx: RouteContext): Promise<unknown> {
  return sendTar(ctx, ctx.query.getAll('names'));
}

async function imageCreate(ctx: RouteContext): Promise<unknown> {
  const fromSrc = ctx.query.get('fromSrc');
  if (fromSrc === null) throw new NotImplementedError('pulling images (fromImage) is not implemented by this route');
  const options = {
    repo: ctx.query.get('repo') ?? '',
    tag: ctx.query.get('tag') ?? '',
    changes: ctx.query.getAll('changes'),
    message: ctx.query.get('message') ?? '',
    platform: ctx.query.get('platform') ?? '',
  };
  // Bad changes and a URL that cannot be fetched fail before the first message: an ordinary HTTP error (dockerd's).
  const source = fromSrc === '-' ? { stream: ctx.req as Readable } : { url: fromSrc };
  return progressStream(
    ctx,
    async (w) => {
      const id = await ctx.engine.images.import(source, options, (event) => w.write(toJsonMessage(event)));
      await w.status(id);
    },
    { lateHeaders: true },
  );
}

async function imageBootstrap(ctx: RouteContext): Promise<unknown> {
  const name = ctx.query.get('name') ?? 'busybox';
  if (!/^busybox(:[\w][\w.-]*)?$/.test(name)) throw new NotImplementedError(`cannot bootstrap ${name}: only busybox is supported`);
  return progressStream(ctx, async (w) => {
    const id = await ctx.engine.images.bootstrapBusybox(name);
    await w.stream(`Bootstrapped image: ${name.includes(':') ? name : `${name}:latest`}\n`);
    await w.status(id);
  });
}
