/**
 * The distribution API's operations (spec.md "Endpoints"), one function per
 * route and method, over a `RegistryStorage`. Each gets a parsed request and
 * answers through `Reply`; errors are thrown as `RegistryError`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import { RegistryError } from './errors.ts';
import { checkManifest, referrerDescriptor } from './manifest-check.ts';
import { checkDigest, isValidName, isValidTag, paginate, parseContentRange, parseCount, parseRangeHeader, uploadRange } from './protocol.ts';
import type { RegistryStorage } from './registry-storage.ts';

/** The largest manifest accepted (distribution's default is 4 MiB too). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  storage: RegistryStorage;
  deleteEnabled: boolean;
  /** May the caller pull from `name` (for cross-repository mounts)? */
  mayPull(name: string): Promise<boolean>;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body !== undefined && !res.hasHeader('Content-Length')) res.setHeader('Content-Length', Buffer.byteLength(body));
  if (body === undefined && !res.hasHeader('Content-Length')) res.setHeader('Content-Length', 0);
  res.statusCode = status;
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function requireName(name: string): void {
  if (!isValidName(name)) throw new RegistryError('NAME_INVALID', 'invalid repository name', { name });
}

/** Only sha256 is stored: another well-formed algorithm is UNSUPPORTED, garbage DIGEST_INVALID (both 400). */
function requireDigest(digest: string): void {
  const c = checkDigest(digest);
  if (c === 'unsupported') throw new RegistryError('UNSUPPORTED', `unsupported digest algorithm: ${digest}`, undefined, 400);
  if (c === 'invalid') throw new RegistryError('DIGEST_INVALID', 'invalid digest', { digest });
}

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > limit) throw new RegistryError('SIZE_INVALID', `manifest larger than ${limit} bytes`, undefined, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

// ------------------------------------------------------------- manifests

async function resolveManifest(c: Ctx, name: string, reference: string): Promise<string> {
  if (reference.includes(':')) {
    requireDigest(reference);
    return reference;
  }
  if (!isValidTag(reference)) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { tag: reference });
  const digest = await c.storage.resolveTag(name, reference);
  if (!digest) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { tag: reference });
  return digest;
}

export async function getManifest(c: Ctx, name: string, reference: string): Promise<void> {
  const digest = await resolveManifest(c, name, reference);
  const record = await c.storage.getRevision(name, digest);
  if (!record) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { reference });
  const headers = { 'Content-Type': record.mediaType, 'Docker-Content-Digest': digest, ETag: `"${digest}"`, 'Content-Length': record.size };
  if (c.req.method === 'HEAD') return send(c.res, 200, headers);
  const body = await c.storage.readBlobBytes(digest);
  send(c.res, 200, headers, body);
}

export async function putManifest(c: Ctx, name: string, reference: string): Promise<void> {
  const byDigest = reference.includes(':');
  if (byDigest) requireDigest(reference);
  else if (!isValidTag(reference)) throw new RegistryError('MANIFEST_INVALID', 'invalid tag', { tag: reference });
  const body = await readLimited(c.req, MAX_MANIFEST_BYTES);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (byDigest && digest !== reference) throw new RegistryError('DIGEST_INVALID', undefined, { expected: reference, actual: digest });
  const m = checkManifest(body, c.req.headers['content-type']);
  const missing: string[] = [];
  for (const b of m.blobs) if ((await c.storage.statBlob(name, b)) === undefined) missing.push(b);
  for (const d of m.manifests) if (!(await c.storage.getRevision(name, d))) missing.push(d);
  if (missing.length > 0) throw new RegistryError('MANIFEST_BLOB_UNKNOWN', undefined, { digests: missing });
  // The manifest's own bytes are durable before anything links to them.
  await c.storage.putBlobBytes(digest, body);
  await c.storage.putManifest(
    name,
    digest,
    { mediaType: m.mediaType, size: body.length, ...(m.subject ? { subject: m.subject } : {}), ...(m.artifactType ? { artifactType: m.artifactType } : {}) },
    byDigest ? undefined : reference,
    m.subject ? referrerDescriptor(m, digest, body.length) : undefined,
  );
  const headers: Record<string, string> = { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest };
  if (m.subject) headers['OCI-Subject'] = m.subject;
  send(c.res, 201, headers);
}

export async function deleteManifest(c: Ctx, name: string, reference: string): Promise<void> {
  if (!c.deleteEnabled) throw new RegistryError('UNSUPPORTED');
  if (!reference.includes(':')) {
    if (!isValidTag(reference) || !(await c.storage.deleteTag(name, reference))) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { tag: reference });
    return send(c.res, 202, {});
  }
  requireDigest(reference);
  if (!(await c.storage.deleteManifest(name, reference))) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { digest: reference });
  send(c.res, 202, {});
}

// ------------------------------------------------------------------ blobs

export async function getBlob(c: Ctx, name: string, digest: string): Promise<void> {
  requireDigest(digest);
  const size = await c.storage.statBlob(name, digest);
  if (size === undefined) throw new RegistryError('BLOB_UNKNOWN', undefined, { digest });
  const base = { 'Docker-Content-Digest': digest, ETag: `"${digest}"`, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'Cache-Control': 'max-age=31536000' };
  const range = parseRangeHeader(c.req.headers.range, size);
  if (range === 'unsatisfiable') return send(c.res, 416, { ...base, 'Content-Range': `bytes */${size}` });
  const status = range ? 206 : 200;
  const headers: Record<string, string | number> = { ...base, 'Content-Length': range ? range.end - range.start + 1 : size };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  for (const [k, v] of Object.entries(headers)) c.res.setHeader(k, v);
  c.res.statusCode = status;
  if (c.req.method === 'HEAD' || size === 0 || (range && range.end < range.start)) {
    c.res.end();
    return;
  }
  await pipeline(c.storage.readBlob(digest, range), c.res);
}

export async function deleteBlob(c: Ctx, name: string, digest: string): Promise<void> {
  if (!c.deleteEnabled) throw new RegistryError('UNSUPPORTED');
  requireDigest(digest);
  if (!(await c.storage.unlinkBlob(name, digest))) throw new RegistryError('BLOB_UNKNOWN', undefined, { digest });
  send(c.res, 202, { 'Docker-Content-Digest': digest });
}

// ---------------------------------------------------------------- uploads

function uploadHeaders(name: string, id: string, size: number): Record<string, string> {
  return { Location: `/v2/${name}/blobs/uploads/${id}`, Range: uploadRange(size), 'Docker-Upload-UUID': id };
}

function blobCreated(c: Ctx, name: string, digest: string): void {
  send(c.res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
}

export async function startUpload(c: Ctx, name: string): Promise<void> {
  const mount = c.query.get('mount');
  const from = c.query.get('from');
  if (mount !== null) {
    requireDigest(mount);
    if (from && isValidName(from) && (await c.mayPull(from)) && (await c.storage.statBlob(from, mount)) !== undefined) {
      await c.storage.linkBlob(name, mount);
      return blobCreated(c, name, mount);
    }
    // spec: a registry that cannot mount starts an ordinary upload (202).
  }
  const digest = c.query.get('digest');
  if (digest !== null && mount === null) {
    requireDigest(digest);
    await c.storage.uploads.putMonolithic(name, digest, c.req);
    return blobCreated(c, name, digest);
  }
  const id = await c.storage.uploads.start(name);
  send(c.res, 202, uploadHeaders(name, id, 0));
}

export async function uploadStatus(c: Ctx, name: string, id: string): Promise<void> {
  const size = await c.storage.uploads.size(name, id);
  send(c.res, 204, uploadHeaders(name, id, size));
}

export async function patchUpload(c: Ctx, name: string, id: string): Promise<void> {
  await c.storage.uploads.serialize(id, async () => {
    const header = c.req.headers['content-range'];
    let start: number | undefined;
    if (header !== undefined) {
      const r = parseContentRange(header);
      if (!r) throw new RegistryError('BLOB_UPLOAD_INVALID', 'invalid Content-Range', undefined, 416);
      const len = c.req.headers['content-length'];
      if (len !== undefined && Number(len) !== r.end - r.start + 1) throw new RegistryError('BLOB_UPLOAD_INVALID', 'Content-Range does not match Content-Length', undefined, 416);
      start = r.start;
    }
    const size = await c.storage.uploads.append(name, id, c.req, start);
    send(c.res, 202, uploadHeaders(name, id, size));
  });
}

export async function putUpload(c: Ctx, name: string, id: string): Promise<void> {
  await c.storage.uploads.serialize(id, async () => {
    const digest = c.query.get('digest');
    if (digest === null) {
      await c.storage.uploads.size(name, id);
      throw new RegistryError('DIGEST_INVALID', 'digest missing');
    }
    requireDigest(digest);
    const header = c.req.headers['content-range'];
    let start: number | undefined;
    if (header !== undefined) {
      const r = parseContentRange(header);
      if (!r) throw new RegistryError('BLOB_UPLOAD_INVALID', 'invalid Content-Range', undefined, 416);
      start = r.start;
    }
    await c.storage.uploads.append(name, id, c.req, start);
    try {
      await c.storage.uploads.finish(name, id, digest);
    } catch (err) {
      // A wrong digest ends the upload (as distribution): the client starts over.
      if (err instanceof RegistryError && err.code === 'DIGEST_INVALID') await c.storage.uploads.delete(id);
      throw err;
    }
    blobCreated(c, name, digest);
  });
}

export async function cancelUpload(c: Ctx, name: string, id: string): Promise<void> {
  await c.storage.uploads.serialize(id, async () => {
    await c.storage.uploads.size(name, id);
    await c.storage.uploads.delete(id);
    send(c.res, 204, {});
  });
}

// ------------------------------------------------------- tags, referrers

function pageQuery(c: Ctx): { n: number | undefined; last: string | undefined } {
  const n = parseCount(c.query.get('n'));
  if (Number.isNaN(n)) throw new RegistryError('UNSUPPORTED', 'invalid n', undefined, 400);
  return { n, last: c.query.get('last') ?? undefined };
}

export async function listTags(c: Ctx, name: string): Promise<void> {
  const { n, last } = pageQuery(c);
  if (!(await c.storage.repoExists(name))) throw new RegistryError('NAME_UNKNOWN', undefined, { name });
  const page = paginate(await c.storage.listTags(name), n, last);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (page.next !== undefined) headers['Link'] = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page.next)}>; rel="next"`;
  send(c.res, 200, headers, JSON.stringify({ name, tags: page.items }));
}

export async function listCatalog(c: Ctx): Promise<void> {
  const { n, last } = pageQuery(c);
  const page = paginate(await c.storage.listRepositories(), n, last);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (page.next !== undefined) headers['Link'] = `</v2/_catalog?n=${n}&last=${encodeURIComponent(page.next)}>; rel="next"`;
  send(c.res, 200, headers, JSON.stringify({ repositories: page.items }));
}

export async function listReferrers(c: Ctx, name: string, digest: string): Promise<void> {
  requireDigest(digest);
  const artifactType = c.query.get('artifactType');
  let manifests = await c.storage.listReferrers(name, digest);
  const headers: Record<string, string> = { 'Content-Type': MEDIA_TYPE.ociIndex };
  if (artifactType !== null) {
    manifests = manifests.filter((m) => m.artifactType === artifactType);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  send(c.res, 200, headers, JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE.ociIndex, manifests }));
}

