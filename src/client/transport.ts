/**
 * How the client talks to the daemon: HTTP/1.1 over a unix socket, plain
 * TCP or TCP+TLS, plus the hijack (HTTP Upgrade: tcp) that attach and exec
 * use to turn the connection into a raw bidirectional stream.
 *
 * Two implementations: NodeTransport (node:http, everywhere) and
 * BunTransport (fetch and Bun.connect, for the compiled CLI on a unix
 * socket: Bun's node:http costs about 20 ms of start-up and first request
 * that its native calls do not). `openTransport` picks one.
 */
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint, TlsFiles } from './host.ts';

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

/** A reply read whole (JSON calls). Header names are lower case. */
export interface TextResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A reply whose body is streamed. */
export type StreamResponse = Readable & { statusCode?: number; headers: IncomingHttpHeaders };

/** The raw connection after an upgrade: bytes both ways. */
export interface RawConn {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  write(data: Buffer | string): unknown;
  /** Half-close: no more writes (stdin ended). */
  end(): unknown;
  destroy(): unknown;
}

export interface Transport {
  readonly endpoint: Endpoint;
  requestText(spec: RequestSpec): Promise<TextResponse>;
  /** Send a request; resolves with the response whatever its status. */
  request(spec: RequestSpec): Promise<StreamResponse>;
  /** Upgrade the connection; an error status is read and thrown as ApiError. */
  hijack(spec: RequestSpec): Promise<RawConn>;
}

export const CONNECT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

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

export function isReadable(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).pipe === 'function';
}

/** Request headers and the serialised body (undefined for none or a stream). */
export function prepareBody(spec: RequestSpec, extra: Record<string, string>): { headers: Record<string, string>; payload: Buffer | undefined } {
  const headers: Record<string, string> = { 'User-Agent': 'Docker-Client/berth', ...spec.headers, ...extra };
  let payload: Buffer | undefined;
  if (spec.body !== undefined && !isReadable(spec.body)) {
    payload = Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(JSON.stringify(spec.body));
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  return { headers, payload };
}

/** The transport for `endpoint`: Bun's native one on a unix socket under Bun, else node:http. */
export async function openTransport(endpoint: Endpoint, tls?: TlsFiles): Promise<Transport> {
  if (endpoint.kind === 'unix' && typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined') {
    const { BunTransport } = await import('./bun-transport.ts');
    return new BunTransport(endpoint);
  }
  const { NodeTransport } = await import('./node-transport.ts');
  return new NodeTransport(endpoint, tls);
}
