/**
 * ADD's URL sources, downloaded as the classic builder does
 * (builder/dockerfile/copy.go downloadSource): a GET following redirects,
 * a status of 400 or more is an error carrying the body; the file is named
 * after the URL's last path segment (the URL as written, not where a
 * redirect led), else after Content-Disposition's filename, else
 * `__unnamed__` (BuildKit's name; the classic builder fails there); it gets
 * mode 0600 and the Last-Modified time (the epoch without one), and is
 * never extracted. The content is hashed while it streams to disk and
 * checked against `--checksum` when given.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestMismatch, downloadFailed, downloadStatus } from './copy-errors.ts';

export interface Download {
  /** The file's name in the image. */
  name: string;
  /** Where it was written. */
  hostPath: string;
  /** `sha256:<hex>` of the content. */
  digest: string;
  /** Seconds since the epoch (Last-Modified, else 0). */
  mtime: number;
}

/** No response headers within this long: the server is not answering. */
const HEADERS_TIMEOUT_MS = 60_000;
/** No body data for this long: the transfer has stalled. */
const IDLE_TIMEOUT_MS = 60_000;

export function isUrl(source: string): boolean {
  return source.startsWith('http://') || source.startsWith('https://');
}

/** The file name for a download, from the URL's path or the response's Content-Disposition. */
export function downloadName(url: string, contentDisposition: string | null): string {
  let pathname = '';
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    // An unparsable URL fails at fetch; no name from it.
  }
  if (pathname !== '' && !pathname.endsWith('/')) {
    const base = path.posix.basename(pathname);
    if (base !== '' && base !== '.' && base !== '..') return base;
  }
  const m = contentDisposition ? /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentDisposition) : null;
  const filename = m ? (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1') : '';
  if (filename !== '' && !filename.endsWith('/')) {
    const base = path.posix.basename(filename);
    if (base !== '' && base !== '.' && base !== '..') return base;
  }
  return '__unnamed__';
}

/** Downloads `url` into the directory `dir` (created by the caller, empty). */
export async function download(url: string, dir: string, options: { checksum?: string; signal?: AbortSignal; instruction: 'COPY' | 'ADD' }): Promise<Download> {
  const headersTimer = new AbortController();
  const timer = setTimeout(() => headersTimer.abort(new Error('timeout awaiting response headers')), HEADERS_TIMEOUT_MS);
  const idle = new AbortController();
  const signal = AbortSignal.any([headersTimer.signal, idle.signal, ...(options.signal ? [options.signal] : [])]);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw downloadFailed(options.instruction, url, cause?.message ?? (err as Error).message, err);
  } finally {
    clearTimeout(timer);
  }
  if (response.status >= 400) {
    const body = await response.text().catch(() => '');
    throw downloadStatus(options.instruction, url, response.status, response.statusText, body);
  }
  const name = downloadName(url, response.headers.get('content-disposition'));
  const hostPath = path.join(dir, name);
  const hash = createHash('sha256');
  let idleTimer = setTimeout(() => idle.abort(new Error('timeout reading body')), IDLE_TIMEOUT_MS);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => idle.abort(new Error('timeout reading body')), IDLE_TIMEOUT_MS);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    const body = response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(body, tap, createWriteStream(hostPath, { mode: 0o600, flags: 'wx' }), { signal });
  } catch (err) {
    throw downloadFailed(options.instruction, url, (err as Error).message, err);
  } finally {
    clearTimeout(idleTimer);
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (options.checksum !== undefined && digest !== options.checksum) throw digestMismatch(url, digest, options.checksum);
  const lastModified = Date.parse(response.headers.get('last-modified') ?? '');
  const mtime = Number.isNaN(lastModified) ? 0 : Math.floor(lastModified / 1000);
  await chmod(hostPath, 0o600);
  await utimes(hostPath, mtime, mtime);
  return { name, hostPath, digest, mtime };
}
