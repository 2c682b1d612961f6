/**
 * A GET as Go's net/http client makes it for the classic builder's ADD
 * (http.Get): redirects followed (10 at most), `Accept-Encoding: gzip` sent
 * and a gzip reply decoded transparently (its length then unknown), and
 * failures worded as Go words them (`dial tcp 127.0.0.1:1: connect:
 * connection refused`). node:http rather than fetch: fetch refuses the
 * ports the Fetch standard blocks (1, 6000, 6667…), which Docker reaches.
 * An idle connection (no headers, or no body data, for a minute) fails.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface GetReply {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** -1 when unknown (no Content-Length, or decoded). */
  length: number;
  body: Readable;
}

/** A failure of the request itself (no reply), in Go's words, without the `Get "url": ` prefix. */
export class GetFailedError extends Error {}

const MAX_REDIRECTS = 10;
const IDLE_TIMEOUT_MS = 60_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function dialWords(url: URL, err: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): string {
  const at = err.address !== undefined ? `${err.address}:${err.port ?? ''}` : url.host;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${at}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${err.hostname ?? url.hostname}: no such host`;
    case 'ETIMEDOUT':
      return `dial tcp ${at}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${at}: connect: no route to host`;
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    default:
      return err.message;
  }
}

function once(url: URL, signal?: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { signal, headers: { 'Accept-Encoding': 'gzip', 'User-Agent': 'Go-http-client/1.1' } }, resolve);
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new GetFailedError('net/http: timeout awaiting response headers')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal?.aborted) reject(signal.reason ?? err);
      else reject(err instanceof GetFailedError ? err : new GetFailedError(dialWords(url, err)));
    });
  });
}

/** GETs `address`, following redirects; a reply of any status is returned (its body to read or discard). */
export async function httpGet(address: string, signal?: AbortSignal): Promise<GetReply> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new GetFailedError('invalid URL');
  }
  for (let redirects = 0; ; redirects++) {
    const res = await once(url, signal);
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode ?? 0) && location) {
      res.resume();
      if (redirects === MAX_REDIRECTS) throw new GetFailedError(`stopped after ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    // Body data must keep coming: a stalled transfer fails instead of hanging the build.
    res.socket.setTimeout(IDLE_TIMEOUT_MS, () => res.destroy(new GetFailedError('net/http: request canceled (Client.Timeout or context cancellation while reading body)')));
    let body: Readable = res;
    let length = Number.parseInt(res.headers['content-length'] ?? '', 10);
    if ((res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      const gunzip = createGunzip();
      res.on('error', (err) => gunzip.destroy(err));
      body = res.pipe(gunzip);
      length = Number.NaN;
    }
    return { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, length: Number.isNaN(length) ? -1 : length, body };
  }
}
