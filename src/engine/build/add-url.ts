/**
 * ADD's URL sources, downloaded as the classic builder does
 * (builder/dockerfile/copy.go downloadSource): a GET following redirects
 * (http-get.ts),
 * a status of 400 or more is an error carrying the body; the file is named
 * after the URL's last path segment (the URL as written, not where a
 * redirect led), else after Content-Disposition's filename, else it is
 * `__unnamed__` and the destination must name it (not end in '/'); it gets
 * mode 0600 and the Last-Modified time (the epoch without one), and is
 * never extracted. The content is hashed while it streams to disk and
 * checked against `--checksum` when given.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestMismatch, downloadFailed, downloadStatus } from './copy-errors.ts';
import { httpGet, type GetReply } from './http-get.ts';

export interface Download {
  /** The file's name in the image (`__unnamed__` when neither the URL nor the reply gives one). */
  name: string;
  /** False when the name is `__unnamed__`: the destination must then name the file. */
  named: boolean;
  /** Where it was written. */
  hostPath: string;
  /** `sha256:<hex>` of the content. */
  digest: string;
  /** Seconds since the epoch (Last-Modified, else 0). */
  mtime: number;
}

const UNNAMED = '__unnamed__';

export function isUrl(source: string): boolean {
  return source.startsWith('http://') || source.startsWith('https://');
}

/** The file name for a download, from the URL's path or the response's Content-Disposition; '' when neither has one. */
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
  return '';
}

/** Downloads `url` into the directory `dir` (created by the caller, empty). */
export interface DownloadOptions {
  instruction: 'COPY' | 'ADD';
  checksum?: string;
  onProgress?: (current: number, total: number) => void;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read (the daemon's environment). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** moby's progress.Reader: report every 512 KiB (or 1% of a known size, if less), at most every 100 ms, and at the end. */
function progressReporter(total: number, report?: (current: number, total: number) => void): { add(n: number): void; end(): void } {
  let current = 0;
  let lastUpdate = 0;
  let lastReport = 0;
  const every = total > 0 ? Math.min(512 * 1024, Math.floor(total / 100)) : 512 * 1024;
  return {
    add(n) {
      current += n;
      if (!report || current - lastUpdate <= every) return;
      lastUpdate = current;
      const now = Date.now();
      if (current === total || now - lastReport >= 100) {
        lastReport = now;
        report(current, total);
      }
    },
    end() {
      report?.(current, total);
    },
  };
}

export async function download(url: string, dir: string, options: DownloadOptions): Promise<Download> {
  const failed = (err: unknown): unknown => {
    if (options.signal?.aborted) return options.signal.reason ?? err;
    return downloadFailed(options.instruction, url, (err as Error).message, err);
  };
  let reply: GetReply;
  try {
    reply = await httpGet(url, { env: options.env, signal: options.signal });
  } catch (err) {
    throw failed(err);
  }
  if (reply.status >= 400) {
    const chunks: Buffer[] = [];
    try {
      for await (const c of reply.body) chunks.push(c as Buffer);
    } catch {
      // moby says ": error reading body" then; the status is what matters.
    }
    throw downloadStatus(options.instruction, url, reply.status, reply.statusText, Buffer.concat(chunks).toString('utf8'));
  }
  const disposition = reply.headers['content-disposition'];
  const name = downloadName(url, disposition ?? null) || UNNAMED;
  const hostPath = path.join(dir, name);
  const hash = createHash('sha256');
  const progress = progressReporter(reply.length, options.onProgress);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      progress.add(chunk.length);
      done(null, chunk);
    },
  });
  try {
    await pipeline(reply.body, tap, createWriteStream(hostPath, { mode: 0o600, flags: 'wx' }), { signal: options.signal });
  } catch (err) {
    throw failed(err);
  }
  progress.end();
  const digest = `sha256:${hash.digest('hex')}`;
  if (options.checksum !== undefined && digest !== options.checksum) throw digestMismatch(url, digest, options.checksum);
  const lastModified = Date.parse(String(reply.headers['last-modified'] ?? ''));
  const mtime = Number.isNaN(lastModified) ? 0 : Math.floor(lastModified / 1000);
  await chmod(hostPath, 0o600);
  await utimes(hostPath, mtime, mtime);
  return { name, named: name !== UNNAMED, hostPath, digest, mtime };
}
