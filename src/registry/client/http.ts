/**
 * The HTTP transport of the registry client: node:http(s) with keep-alive
 * agents (one that verifies TLS, one that does not, for insecure hosts), a
 * response returned as soon as its headers arrive (bodies are streams, never
 * buffered whole), and network failures described in Go's words as dockerd
 * prints them (`Get "https://h/v2/": dial tcp h: connect: connection refused`).
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: OutgoingHttpHeaders;
  /** A small body, or a stream (then set content-length or it goes chunked). */
  body?: Buffer | string | Readable;
  insecureTls?: boolean;
  /** No response headers within this time: abort (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
  httpsInsecure: new https.Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false }),
};

/** A network failure (no HTTP response): `retryable` for resets and timeouts. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly retryable: boolean,
    /** TLS trouble or a plain-HTTP server: dockerd falls back to the next endpoint. */
    readonly tls: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

function goMethod(method: string): string {
  return method[0]!.toUpperCase() + method.slice(1).toLowerCase();
}

let nameserver: string | undefined;

/** Go names the DNS server it asked: ` on 10.0.0.53:53` (the first of resolv.conf). */
function nameserverSuffix(): string {
  if (nameserver === undefined) {
    try {
      const m = /^\s*nameserver\s+(\S+)/m.exec(readFileSync('/etc/resolv.conf', 'utf8'));
      nameserver = m ? (m[1]!.includes(':') ? `[${m[1]}]:53` : `${m[1]}:53`) : '';
    } catch {
      nameserver = '';
    }
  }
  return nameserver ? ` on ${nameserver}` : '';
}

/** Describe a Node network error as Go's net/http does. */
export function describeNetError(method: string, url: string, err: NodeJS.ErrnoException): TransportError {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const addr = `${u.hostname}:${port}`;
  const prefix = `${goMethod(method)} "${url}"`;
  const code = err.code;
  const tls = typeof code === 'string' && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO' || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN');
  let detail: string;
  switch (code) {
    case 'ECONNREFUSED':
      detail = `dial tcp ${addr}: connect: connection refused`;
      break;
    case 'ENOTFOUND':
      detail = `dial tcp: lookup ${u.hostname}${nameserverSuffix()}: no such host`;
      break;
    case 'EAI_AGAIN':
      detail = `dial tcp: lookup ${u.hostname}: Temporary failure in name resolution`;
      break;
    case 'ECONNRESET':
      detail = `read tcp ${addr}: read: connection reset by peer`;
      break;
    case 'ETIMEDOUT':
      detail = `dial tcp ${addr}: i/o timeout`;
      break;
    case 'EHOSTUNREACH':
      detail = `dial tcp ${addr}: connect: no route to host`;
      break;
    case 'ENETUNREACH':
      detail = `dial tcp ${addr}: connect: network is unreachable`;
      break;
    default:
      detail = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' ? 'http: server gave HTTP response to HTTPS client' : err.message;
  }
  return new TransportError(`${prefix}: ${detail}`, code, code !== undefined && RETRYABLE.has(code), tls);
}

/** Send a request; resolves with the response once its headers are in. */
export function send(req: HttpRequest): Promise<IncomingMessage> {
  const u = new URL(req.url);
  const isHttps = u.protocol === 'https:';
  const mod = isHttps ? https : http;
  const agent = isHttps ? (req.insecureTls ? agents.httpsInsecure : agents.https) : agents.http;
  return new Promise((resolve, reject) => {
    const r = mod.request(u, { method: req.method, headers: req.headers, agent, signal: req.signal }, (res) => {
      r.setTimeout(0);
      resolve(res);
    });
    r.setTimeout(req.timeoutMs ?? 60_000, () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (err: NodeJS.ErrnoException) => reject(err.name === 'AbortError' ? err : describeNetError(req.method, req.url, err)));
    const body = req.body;
    if (body === undefined) r.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) r.end(body);
    else body.pipe(r);
  });
}

/** Read a (small) response body whole: manifests, tokens, error documents. Capped at `limit` bytes. */
export async function readBody(res: IncomingMessage, limit = 8 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of res) {
    n += (chunk as Buffer).length;
    if (n > limit) {
      res.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Drop a response body (so its socket can be reused). */
export function discard(res: IncomingMessage): void {
  res.resume();
}
