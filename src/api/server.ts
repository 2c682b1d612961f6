/**
 * The Engine API HTTP server: decodes the version prefix, routes, and turns
 * every thrown error into Docker's `{"message": …}` body with the status from
 * `errors.ts`. Handles HTTP Upgrade (hijack) for attach and exec.
 */
import https from 'node:https';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BerthError, InvalidParameterError, SystemError, asError } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { RequestTooLargeError, statusOf } from './errors.ts';
import { decodeBody } from './decode/body-validator.ts';
import { parseJsonText } from './decode/json-text.ts';
import type { BodyOperation } from './decode/schemas.generated.ts';
import { MAX_API_VERSION, splitVersion } from './version.ts';
import type { RouteContext, Router } from './router.ts';

export const SERVER_NAME = 'Berth/0.1.0 (linux)';

/**
 * The largest JSON body a control route reads. dockerd sets none; the
 * largest legitimate one (a create with a long Env or many Mounts) is a few
 * hundred kilobytes, and without a bound one request could hold the daemon's memory.
 */
export const MAX_JSON_BODY = 16 * 1024 * 1024;

const bodyTooLarge = () => new RequestTooLargeError(`request body too large: the limit is ${MAX_JSON_BODY} bytes`);

function commonHeaders(res: ServerResponse): void {
  res.setHeader('Api-Version', MAX_API_VERSION);
  res.setHeader('Server', SERVER_NAME);
  res.setHeader('Ostype', 'linux');
  res.setHeader('Docker-Experimental', 'false');
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status = statusOf(err);
  const e = asError(err);
  if (status === 500 && !(e instanceof BerthError)) log.error('request failed', { err: e });
  else if (status === 500) log.warn('request failed', { msg: e.message });
  if (res.headersSent) {
    // A stream already began: the only thing left is to cut it.
    res.destroy(e);
    return;
  }
  if (status === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  const body = JSON.stringify({ message: e.message }) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The body of an upgraded request: Node hands over the socket right after
 * the headers, so its Content-Length bytes are read from the socket itself,
 * and whatever follows (the client's stdin) is put back for the stream.
 */
function readUpgradedBody(req: IncomingMessage, socket: Duplex): Promise<Buffer> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_JSON_BODY) return Promise.reject(bodyTooLarge());
  if (!length) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have < length) return;
      socket.off('data', onData);
      socket.off('error', reject);
      socket.pause();
      const all = Buffer.concat(chunks);
      if (all.length > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/**
 * A control route's JSON body, refused past `MAX_JSON_BODY` bytes before it
 * is all in memory (a declared length is refused at once). Streaming routes
 * (load, import, archive) never come here: they read the request themselves.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_JSON_BODY) throw bodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY) throw bodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The API server: plain HTTP (for unix sockets), or HTTPS when `tls` is
 * given (TCP; with `requestCert` and a CA, only clients holding a
 * certificate that CA signed get through the handshake).
 */
export function createApiServer(router: Router, tls?: https.ServerOptions): http.Server {
  // Go's http.Server reads up to 1 MiB of request line and headers (DefaultMaxHeaderBytes); Node's
  // 16 KiB default would answer a long (bad) name or ID with a bare 400 instead of dockerd's JSON error.
  const options = { keepAliveTimeout: 60_000, maxHeaderSize: 1 << 20 };
  const server = tls ? https.createServer({ ...tls, ...options }) : http.createServer(options);

  const handle = async (req: IncomingMessage, res: ServerResponse, upgraded: Duplex | undefined): Promise<void> => {
    commonHeaders(res);
    const abort = new AbortController();
    const socket = upgraded ?? req.socket;
    const onClose = () => abort.abort();
    socket.once('close', onClose);
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let hijacked = false;
    try {
      const url = new URL(req.url ?? '/', 'http://berth');
      const { version, path } = splitVersion(url.pathname);
      const matched = router.match(req.method ?? 'GET', path);
      if (matched === 'not-found') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'page not found' }) + '\n');
        return;
      }
      const ctx: RouteContext = {
        req,
        res,
        params: matched.params,
        query: url.searchParams,
        version: Number(version),
        signal: abort.signal,
        json(status, value) {
          const body = JSON.stringify(value) + '\n';
          res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        },
        noContent(status = 204) {
          // An empty 200/201 says its length, as Go's server does, rather than an empty chunked body.
          res.writeHead(status, status === 204 || status === 304 ? {} : { 'Content-Length': 0 });
          res.end();
        },
        async bodyJson<T>(operation?: BodyOperation, options?: { required?: boolean }) {
          const body = upgraded ? await readUpgradedBody(req, upgraded) : await readBody(req);
          if (body.length === 0 && options?.required) throw new SystemError('EOF');
          if (body.length === 0) return {} as T;
          let value: unknown;
          try {
            value = parseJsonText(body.toString('utf8'));
          } catch (err) {
            // Current dockerd's words for a body that is not JSON ("invalid JSON: invalid character …").
            throw new InvalidParameterError(`invalid JSON: ${asError(err).message}`, { cause: err });
          }
          return (operation ? (decodeBody(operation, value) ?? {}) : value) as T;
        },
        hijack(contentType = 'application/vnd.docker.raw-stream') {
          hijacked = true;
          if (upgraded) {
            upgraded.write(
              `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nApi-Version: ${MAX_API_VERSION}\r\nServer: ${SERVER_NAME}\r\n\r\n`,
            );
            return upgraded;
          }
          const raw = req.socket;
          raw.allowHalfOpen = true;
          raw.on('error', (err) => log.debug('hijacked connection failed', { err: err.message }));
          res.detachSocket(raw);
          raw.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nApi-Version: ${MAX_API_VERSION}\r\nServer: ${SERVER_NAME}\r\n\r\n`);
          return raw;
        },
      };
      const result = await matched.handler(ctx);
      if (hijacked || res.headersSent || res.writableEnded) return;
      if (result === undefined) ctx.noContent();
      else ctx.json(200, result);
    } catch (err) {
      if (hijacked) {
        log.warn('hijacked stream failed', { err: asError(err).message });
        socket.destroy();
      } else sendError(res, err);
    } finally {
      socket.off('close', onClose);
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res, undefined);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The client half-closes when its stdin ends (the docker CLI shuts down the TCP
    // write side, under TLS too); the output must still flow. A TLS socket would
    // otherwise end its own side at the client's FIN.
    (socket as import('node:net').Socket).allowHalfOpen = true;
    // Node's HTTP server no longer watches an upgraded socket: a client that resets it must not take the daemon down.
    socket.on('error', (err) => log.debug('hijacked connection failed', { err: err.message }));
    if (head.length > 0) socket.unshift(head);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as import('node:net').Socket);
    res.shouldKeepAlive = false;
    void handle(req, res, socket);
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    log.debug('client error', { err: err.message });
  });
  return server;
}
