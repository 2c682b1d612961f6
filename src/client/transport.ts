/**
 * HTTP/1.1 to the daemon over a unix socket, plain TCP or TCP+TLS, plus the
 * hijack (HTTP Upgrade: tcp) used by attach and exec to turn the connection
 * into a raw bidirectional stream. Only `node:` APIs, so the CLI can run on
 * another runtime later.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import type { Endpoint, TlsFiles } from './host.ts';
import { DaemonUnreachableError, parseErrorBody } from './errors.ts';

export type QueryValue = string | number | boolean | undefined;
export interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, QueryValue>;
  /** A JSON value (serialised), a Buffer, or a stream piped as the body. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const CONNECT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const text = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function isReadable(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).pipe === 'function';
}

export class Transport {
  private readonly tlsOptions: https.RequestOptions | undefined;

  constructor(readonly endpoint: Endpoint, tls?: TlsFiles) {
    if (tls && endpoint.kind === 'tcp') {
      this.tlsOptions = {
        ca: tls.ca ? readFileSync(tls.ca) : undefined,
        cert: tls.cert ? readFileSync(tls.cert) : undefined,
        key: tls.key ? readFileSync(tls.key) : undefined,
        rejectUnauthorized: tls.verify,
      };
    }
  }

  private open(spec: RequestSpec, extraHeaders: Record<string, string>): http.ClientRequest {
    const headers: Record<string, string> = { 'User-Agent': 'Docker-Client/berth', ...spec.headers, ...extraHeaders };
    let payload: Buffer | undefined;
    if (spec.body !== undefined && !isReadable(spec.body)) {
      payload = Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(JSON.stringify(spec.body));
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const base: http.RequestOptions = { method: spec.method, path: spec.path + encodeQuery(spec.query), headers, signal: spec.signal };
    const ep = this.endpoint;
    const req =
      ep.kind === 'unix'
        ? http.request({ ...base, socketPath: ep.socketPath })
        : this.tlsOptions
          ? https.request({ ...base, ...this.tlsOptions, host: ep.host, port: ep.port })
          : http.request({ ...base, host: ep.host, port: ep.port });
    if (isReadable(spec.body)) spec.body.pipe(req);
    else req.end(payload);
    return req;
  }

  private connectError(err: unknown): unknown {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && CONNECT_ERRORS.has(code) ? new DaemonUnreachableError(this.endpoint.url, { cause: err }) : err;
  }

  /** Send a request; resolves with the response whatever its status. */
  request(spec: RequestSpec): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.open(spec, {});
      req.once('response', resolve);
      req.once('error', (err) => reject(this.connectError(err)));
    });
  }

  /**
   * Upgrade the connection to a raw stream (attach, exec start). Docker
   * answers 101 UPGRADED; an error status is read and thrown as ApiError.
   */
  hijack(spec: RequestSpec): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const req = this.open(spec, { Connection: 'Upgrade', Upgrade: 'tcp' });
      req.once('upgrade', (_res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.once('response', (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(parseErrorBody(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'))));
      });
      req.once('error', (err) => reject(this.connectError(err)));
    });
  }
}
