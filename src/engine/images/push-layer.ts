/**
 * Pushing one layer's blob to a repository, as dockerd's v2 pusher does
 * (distribution/push_v2.go): a blob the repository is known to have is
 * checked with HEAD (`Layer already exists`); one another repository of the
 * same registry has is mounted (`POST …/uploads/?mount=&from=`, `Mounted
 * from a/b`); else it is uploaded (`Pushing` with sizes, then `Pushed`).
 *
 * The bytes sent are the compressed blob kept in the content store when
 * there is one (a pulled layer's own blob, or the gzip of an earlier push),
 * sent whole in one PUT (monolithic upload); otherwise the layer's tar is
 * gzipped once, kept, and streamed to the registry in one PATCH as it is
 * compressed, the digest given with the closing PUT (chunked upload).
 * What was learnt (blob, repository) goes into BlobSources.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { DiffId, Digest } from '../../oci/digest.ts';
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import type { Descriptor } from '../../oci/image.ts';
import type { ContentStore } from '../../store/content/content-store.ts';
import type { LayerStore } from '../../store/layers/layer-store.ts';
import type { RegistryClient } from '../../registry/client/registry-client.ts';
import { discard, readBody, send } from '../../registry/client/http.ts';
import { repositoryScope } from '../../registry/client/auth.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BlobSources } from './blob-sources.ts';

export interface LayerPushContext {
  client: RegistryClient;
  content: ContentStore;
  /** Where a layer's tar is read when no compressed blob is kept (`openTar`). */
  layers: LayerStore;
  sources: BlobSources;
  /** The full name of the target repository: `127.0.0.1:5000/a/b`. */
  repository: string;
  /** The registry host (`127.0.0.1:5000`): mounts come only from repositories there. */
  registry: string;
  progress: ProgressSink;
}

/** Bytes between two `Pushing` messages (dockerd's progress reader updates about as often). */
const PROGRESS_STEP = 512 * 1024;

export function shortLayerId(diffId: string): string {
  return diffId.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * Uploads in flight by repository and blob (or layer): as dockerd's upload
 * manager, one upload of a given blob to a given repository at a time, the
 * other pushes waiting for it (two tags of one image pushed at once, as
 * Compose does). Two uploads of the same digest racing into one repository
 * can fail on the registry's side ("digest invalid").
 */
const uploading = new Map<string, Promise<unknown>>();

/** `fn` run once for `key` at a time; a caller arriving meanwhile gets its result (and runs it itself if it failed). */
export async function sharedUpload<T>(key: string, fn: () => Promise<T>, onShared?: () => unknown): Promise<T> {
  const running = uploading.get(key) as Promise<T> | undefined;
  if (running) {
    const settled = await running.then((value) => ({ value }), () => undefined);
    if (settled) {
      await onShared?.();
      return settled.value;
    }
    return sharedUpload(key, fn, onShared);
  }
  const run = fn();
  uploading.set(key, run);
  try {
    return await run;
  } finally {
    if (uploading.get(key) === run) uploading.delete(key);
  }
}

/** Push a layer (its tar is the content blob named by its DiffID); returns the manifest descriptor. */
export function pushLayer(ctx: LayerPushContext, diffId: DiffId): Promise<Descriptor> {
  const id = shortLayerId(diffId);
  return sharedUpload(`${ctx.repository} ${diffId}`, () => pushLayerNow(ctx, diffId), () => ctx.progress({ kind: 'layer', id, action: 'Layer already exists' }));
}

async function pushLayerNow(ctx: LayerPushContext, diffId: DiffId): Promise<Descriptor> {
  const id = shortLayerId(diffId);
  const known = ctx.sources.get(diffId);
  // 1. Blobs this repository is known to have.
  for (const blob of known) {
    if (!blob.repositories.includes(ctx.repository)) continue;
    if ((await ctx.client.headBlob(blob.digest)) !== undefined) return exists(ctx, diffId, id, blob);
    await ctx.sources.forget(diffId, blob.digest, ctx.repository);
  }
  // 2. Cross-repository mounts from other repositories of the same registry.
  for (const blob of known) {
    for (const repo of blob.repositories) {
      if (repo === ctx.repository || !repo.startsWith(`${ctx.registry}/`)) continue;
      const from = repo.slice(ctx.registry.length + 1);
      if (await tryMount(ctx, blob.digest, from)) {
        await ctx.sources.add(diffId, blob, ctx.repository);
        await ctx.progress({ kind: 'layer', id, action: `Mounted from ${from}` });
        return descriptor(blob);
      }
    }
  }
  // 3. A compressed blob kept in the content store: maybe the registry has it anyway; else send it as it is.
  for (const blob of known) {
    if (!(await ctx.content.has(blob.digest))) continue;
    if ((await ctx.client.headBlob(blob.digest)) !== undefined) return exists(ctx, diffId, id, blob);
    await uploadKept(ctx, id, blob);
    await ctx.sources.add(diffId, blob, ctx.repository);
    await ctx.progress({ kind: 'layer', id, action: 'Pushed' });
    return descriptor(blob);
  }
  // 4. Compress the tar once, keeping the result, while uploading it.
  const blob = await uploadCompressing(ctx, id, diffId);
  await ctx.sources.add(diffId, blob, ctx.repository);
  await ctx.progress({ kind: 'layer', id, action: 'Pushed' });
  return descriptor(blob);
}

async function exists(ctx: LayerPushContext, diffId: DiffId, id: string, blob: { digest: Digest; mediaType: string; size: number }): Promise<Descriptor> {
  await ctx.sources.add(diffId, blob, ctx.repository);
  await ctx.progress({ kind: 'layer', id, action: 'Layer already exists' });
  return descriptor(blob);
}

function descriptor(blob: { digest: Digest; mediaType: string; size: number }): Descriptor {
  return { mediaType: blob.mediaType, size: blob.size, digest: blob.digest };
}

function location(res: IncomingMessage): string {
  const loc = res.headers.location;
  if (!loc) throw new Error('registry answered an upload without a Location');
  return loc;
}

/** `loc` with `digest=` added to its query (the closing PUT of an upload). */
function withDigest(client: RegistryClient, loc: string, digest: Digest): string {
  const u = new URL(client.url(loc));
  u.searchParams.set('digest', digest);
  return u.toString();
}

/**
 * POST a mount; true when the registry mounted it (201), false when it
 * opened an upload instead (cancelled) or refused. The token asked for
 * covers the source repository too (`repository:<from>:pull`), as dockerd's.
 */
async function tryMount(ctx: LayerPushContext, digest: Digest, from: string): Promise<boolean> {
  const c = ctx.client;
  const q = new URLSearchParams({ mount: digest, from });
  const headers: Record<string, string> = { 'user-agent': 'berth (linux)', 'docker-distribution-api-version': 'registry/2.0' };
  if (c.auth.hasChallenge(c.endpoint.url)) {
    const scopes = [repositoryScope(c.repository, ['pull', 'push']), repositoryScope(from, ['pull'])];
    const authz = await c.auth.authorization(c.endpoint.url, scopes, c.endpoint.insecureTls).catch(() => undefined);
    if (authz) headers.authorization = authz;
  }
  const res = await send({ method: 'POST', url: c.url(`blobs/uploads/?${q.toString()}`), headers, insecureTls: c.endpoint.insecureTls });
  discard(res);
  if (res.statusCode === 201) return true;
  const loc = res.headers.location;
  if (res.statusCode === 202 && loc) {
    const del = await c.request('DELETE', c.url(loc), { accept: [400, 404, 405] }).catch(() => undefined);
    if (del) discard(del);
  }
  return false;
}

/** Open an upload session: its Location. */
async function startUpload(ctx: LayerPushContext): Promise<string> {
  const res = await ctx.client.request('POST', 'blobs/uploads/', { accept: [] });
  discard(res);
  return location(res);
}

/** Counts bytes through a stream and reports `Pushing` every PROGRESS_STEP bytes. */
async function* counted(source: AsyncIterable<Buffer>, report: (n: number) => void | Promise<void>, onChunk?: (chunk: Buffer) => Promise<void>): AsyncGenerator<Buffer> {
  let n = 0;
  let last = -PROGRESS_STEP;
  for await (const chunk of source) {
    if (onChunk) await onChunk(chunk);
    n += chunk.length;
    if (n - last >= PROGRESS_STEP) {
      last = n;
      await report(n);
    }
    yield chunk;
  }
  await report(n);
}

/** Monolithic upload of a blob the content store has: POST, then one PUT with the bytes and the digest. */
export async function uploadKept(ctx: LayerPushContext, id: string, blob: { digest: Digest; size: number }): Promise<void> {
  const loc = await startUpload(ctx);
  const report = (n: number) => ctx.progress({ kind: 'layer', id, action: 'Pushing', current: n, total: blob.size });
  const body = Readable.from(counted(await ctx.content.readStream(blob.digest), report));
  const res = await ctx.client.request('PUT', withDigest(ctx.client, loc, blob.digest), {
    body,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
  });
  await readBody(res).catch(() => undefined);
}

/**
 * Gzip the layer's tar into the content store and, in the same pass, into
 * one PATCH of a new upload; the closing PUT names the digest.
 */
async function uploadCompressing(ctx: LayerPushContext, id: string, diffId: DiffId): Promise<{ digest: Digest; mediaType: string; size: number }> {
  const total = await ctx.layers.tarSize(diffId);
  const loc = await startUpload(ctx);
  const writer = await ctx.content.openWriter();
  const tar = await ctx.layers.openTar(diffId);
  const gzip = createGzip();
  try {
    tar.on('error', (err) => gzip.destroy(err));
    tar.pipe(gzip);
    // Progress counts the tar read (dockerd's progress reader sits before the compressor), the total is the tar's size.
    let read = 0;
    let last = -PROGRESS_STEP;
    tar.on('data', (chunk: Buffer | string) => {
      read += chunk.length;
    });
    const report = async () => {
      if (read - last < PROGRESS_STEP && read < total) return;
      last = read;
      await ctx.progress({ kind: 'layer', id, action: 'Pushing', current: read, total });
    };
    const body = Readable.from(counted(gzip, report, (chunk) => writer.write(chunk)));
    const patch = await ctx.client.request('PATCH', ctx.client.url(loc), { body, headers: { 'content-type': 'application/octet-stream' } });
    discard(patch);
    const next = location(patch);
    const blob = await writer.commit();
    const kept = { digest: blob.digest, mediaType: MEDIA_TYPE.dockerLayerGzip, size: blob.size };
    // Kept before the closing PUT: a retry after a failure from here on sends these bytes again, not a new compression.
    await ctx.sources.add(diffId, kept);
    const put = await ctx.client.request('PUT', withDigest(ctx.client, next, blob.digest), { headers: { 'content-length': '0' } });
    discard(put);
    return kept;
  } finally {
    // A failed upload leaves neither the file open nor the compressor running.
    tar.destroy();
    gzip.destroy();
    await writer.abort();
  }
}
