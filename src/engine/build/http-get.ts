/**
 * A GET as Go's net/http client makes it for the classic builder's ADD
 * (http.Get): redirects followed (10 at most), `Accept-Encoding: gzip` sent
 * and a gzip reply decoded transparently (its length then unknown), and
 * failures worded as Go words them (`dial tcp 127.0.0.1:1: connect:
 * connection refused`). node:http rather than fetch: fetch refuses the
 * ports the Fetch standard blocks (1, 6000, 6667…), which Docker reaches.
 * An idle connection (no headers, or no body data, for a minute) fails.
 * The daemon's HTTP_PROXY / HTTPS_PROXY / NO_PROXY apply (http-proxy.ts):
 * a plain request through the proxy, https through a CONNECT tunnel.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { createGunzip } from 'node:zlib';
import { proxyFor } from './http-proxy.ts';

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

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

/** An https connection to `url`'s host through an HTTP CONNECT tunnel of `proxy`. */
function tunnel(url: URL, proxy: URL, signal?: AbortSignal): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const client = proxy.protocol === 'https:' ? https : http;
    const authority = `${url.hostname}:${url.port || 443}`;
    const req = client.request({
      method: 'CONNECT',
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: authority,
      headers: { Host: authority, ...proxyAuthorization(proxy) },
      signal,
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new GetFailedError('proxyconnect tcp: i/o timeout')));
    req.on('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new GetFailedError(`proxyconnect tcp: ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      // Handed over once the handshake is done, so that its failure is this call's, not an unheard socket error.
      const secure = tls.connect({ socket, servername: net.isIP(url.hostname) ? undefined : url.hostname });
      const failed = (err: NodeJS.ErrnoException) => {
        secure.destroy();
        socket.destroy();
        reject(signal?.aborted ? signal.reason ?? err : new GetFailedError(err.code === 'ECONNRESET' ? 'tls: handshake failure' : err.message));
      };
      secure.once('error', failed);
      secure.once('secureConnect', () => {
        secure.off('error', failed);
        resolve(secure);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(signal?.aborted ? signal.reason ?? err : new GetFailedError(`proxyconnect tcp: ${dialWords(proxy, err)}`)));
    req.end();
  });
}

async function once(url: URL, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<http.IncomingMessage> {
  const proxy = proxyFor(url, env);
  if (proxy && !['http:', 'https:'].includes(proxy.protocol)) throw new GetFailedError(`proxyconnect tcp: unsupported proxy scheme ${proxy.protocol.replace(/:$/, '')}`);
  const headers = { 'Accept-Encoding': 'gzip', 'User-Agent': 'Go-http-client/1.1' };
  let options: http.RequestOptions;
  let client: typeof http | typeof https = url.protocol === 'https:' ? https : http;
  if (!proxy) {
    options = { headers, signal };
  } else if (url.protocol === 'https:') {
    const socket = await tunnel(url, proxy, signal);
    options = { headers, signal, agent: false, createConnection: () => socket };
  } else {
    // A plain-http request goes to the proxy whole: the absolute URL as the request target.
    client = proxy.protocol === 'https:' ? https : http;
    options = {
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: url.href,
      headers: { ...headers, Host: url.host, ...proxyAuthorization(proxy) },
      signal,
    };
  }
  return new Promise((resolve, reject) => {
    const req = proxy && url.protocol !== 'https:' ? client.get(options, resolve) : client.get(url, options, resolve);
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new GetFailedError('net/http: timeout awaiting response headers')));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal?.aborted) reject(signal.reason ?? err);
      else if (err instanceof GetFailedError) reject(err);
      else reject(new GetFailedError(proxy ? `proxyconnect tcp: ${dialWords(proxy, err)}` : dialWords(url, err)));
    });
  });
}

/** GETs `address`, following redirects; a reply of any status is returned (its body to read or discard). */
export async function httpGet(address: string, options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<GetReply> {
  const { signal, env = process.env } = options;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new GetFailedError('invalid URL');
  }
  for (let redirects = 0; ; redirects++) {
    const res = await once(url, env, signal);
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
