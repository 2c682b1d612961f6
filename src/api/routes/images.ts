/**
 * Image routes (swagger tag "Image"): decode → one ImageService call → encode.
 * Names may contain slashes, hence the greedy `{name*}` params. Streams
 * (load, import) answer 200 at once and report later failures in the stream,
 * as dockerd does.
 */
import type { Readable } from 'node:stream';
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import { JsonMessageWriter } from '../streams/json-lines.ts';
import { toJsonMessage } from '../streams/progress-messages.ts';
import { InvalidParameterError, NotImplementedError, asError } from '../../util/errors.ts';
import type { ImageService } from '../../engine/images/image-service.ts';
import type { Puller } from '../../engine/distribution/pull.ts';
import { registryAuth } from '../decode/registry-auth.ts';
import { decodeRegistryAuth } from '../../engine/distribution/auth-header.ts';

/** What the image routes need of the engine. */
export type ImageBackend = Pick<ImageService, 'list' | 'inspect' | 'history' | 'tag' | 'remove' | 'prune' | 'load' | 'save' | 'import' | 'bootstrap' | 'push'> & {
  pull: Puller['pull'];
};

type Backend = ImageBackend;

export function registerImageRoutes(router: Router, backend: ImageBackend): void {
  const add = routesOver(router, backend);
  add('GET', '/images/json', imageList);
  add('POST', '/images/load', imageLoad);
  add('GET', '/images/get', imageGetAll);
  add('POST', '/images/create', imageCreate);
  add('POST', '/images/prune', imagePrune);
  add('POST', '/images/bootstrap', imageBootstrap);
  add('GET', '/images/{name*}/json', imageInspect);
  add('GET', '/images/{name*}/history', imageHistory);
  add('GET', '/images/{name*}/get', imageGet);
  add('POST', '/images/{name*}/tag', imageTag);
  add('POST', '/images/{name*}/push', imagePush);
  add('DELETE', '/images/{name*}', imageDelete);
}

async function imageList(ctx: RouteContext, b: Backend): Promise<unknown> {
  const filters = queryFilters(ctx.query);
  // Before API 1.41 the reference filter was also spelled `filter=` (a plain query parameter).
  const legacy = ctx.query.get('filter');
  if (legacy) filters.set('reference', [...(filters.get('reference') ?? []), legacy]);
  const list = b.list({ all: queryBool(ctx.query, 'all'), filters });
  if (queryBool(ctx.query, 'shared-size')) return list.map((s) => ({ ...s, SharedSize: 0 }));
  return list;
}

async function imageInspect(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.inspect(ctx.params.name!);
}

async function imageHistory(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.history(ctx.params.name!);
}

async function imageTag(ctx: RouteContext, b: Backend): Promise<unknown> {
  const repo = ctx.query.get('repo') ?? '';
  if (repo === '') throw new InvalidParameterError('repository name must have at least one component');
  await b.tag(ctx.params.name!, repo, ctx.query.get('tag') ?? undefined);
  ctx.noContent(201);
  return undefined;
}

async function imageDelete(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.remove(ctx.params.name!, { force: queryBool(ctx.query, 'force'), noprune: queryBool(ctx.query, 'noprune') });
}

async function imagePrune(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.prune({ filters: queryFilters(ctx.query) });
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
  const writer = new JsonMessageWriter(ctx.res, start, ctx.signal);
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

async function imageLoad(ctx: RouteContext, b: Backend): Promise<unknown> {
  // Docker sends the same "Loaded image" lines whether quiet or not (quiet only hides progress bars).
  return progressStream(ctx, async (w) => {
    await b.load(ctx.req as Readable, (event) => w.write(toJsonMessage(event)));
  });
}

async function sendTar(ctx: RouteContext, b: Backend, names: string[]): Promise<unknown> {
  const stream = b.save(names); // resolves names first: 404 before any byte
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  for await (const chunk of stream) {
    if (!ctx.res.write(chunk)) await new Promise((r) => ctx.res.once('drain', r));
  }
  ctx.res.end();
  return undefined;
}

async function imageGet(ctx: RouteContext, b: Backend): Promise<unknown> {
  return sendTar(ctx, b, [ctx.params.name!]);
}

async function imageGetAll(ctx: RouteContext, b: Backend): Promise<unknown> {
  return sendTar(ctx, b, ctx.query.getAll('names'));
}

async function imageCreate(ctx: RouteContext, b: Backend): Promise<unknown> {
  const fromSrc = ctx.query.get('fromSrc');
  const fromImage = ctx.query.get('fromImage');
  // dockerd: a non-empty fromImage pulls (fromSrc is then ignored).
  if (fromImage) {
    const header = ctx.req.headers['x-registry-auth'];
    const request = {
      fromImage,
      tag: ctx.query.get('tag') ?? '',
      platform: ctx.query.get('platform') ?? '',
      auth: decodeRegistryAuth(Array.isArray(header) ? header[0] : header),
    };
    // Errors before the first message (a bad reference, a manifest not found, no credentials) are HTTP errors, as dockerd's.
    return progressStream(ctx, (w) => b.pull(request, (event) => w.write(toJsonMessage(event))), { lateHeaders: true });
  }
  if (fromSrc === null) throw new InvalidParameterError('fromImage or fromSrc is required');
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
      const id = await b.import(source, options, (event) => w.write(toJsonMessage(event)));
      await w.status(id);
    },
    { lateHeaders: true },
  );
}

/**
 * Berth's `image bootstrap`: busybox, or debian[:SUITE[-slim]] (query
 * `mirror`, `debug`). A name it cannot build is answered before the stream
 * starts (an HTTP error); later failures go into the stream.
 */
async function imageBootstrap(ctx: RouteContext, b: Backend): Promise<unknown> {
  const name = ctx.query.get('name') ?? 'busybox';
  // A client that goes away stops the build (mmdebstrap is stopped, what it made swept).
  const options = { mirror: ctx.query.get('mirror') || undefined, debug: queryBool(ctx.query, 'debug'), signal: ctx.signal };
  return progressStream(
    ctx,
    async (w) => {
      const id = await b.bootstrap(name, options, (event) => w.write(toJsonMessage(event)));
      await w.stream(`Bootstrapped image: ${name.includes(':') ? name : `${name}:latest`}\n`);
      await w.status(id);
    },
    { lateHeaders: true },
  );
}

/**
 * `docker push`: credentials from X-Registry-Auth or, for old clients, the
 * body (dockerd refuses a request with neither). Errors once the stream
 * started (a missing tag included, as dockerd) go into the stream.
 */
async function imagePush(ctx: RouteContext, b: Backend): Promise<unknown> {
  const auth = await registryAuth(ctx);
  return progressStream(ctx, async (w) => {
    await b.push(ctx.params.name!, ctx.query.get('tag') ?? '', auth, (event) => w.write(toJsonMessage(event)));
  });
}
