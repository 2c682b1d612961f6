/**
 * The Transport over Bun's native `fetch` (with its `unix` option) and
 * `Bun.connect`, for the compiled CLI talking to a unix socket (see
 * transport.ts for why). A request whose body is a stream (load, import,
 * cp to a container) goes through NodeTransport.
 *
 * The hijack is the exchange the docker CLI does on its raw connection:
 * write the request with `Connection: Upgrade`, read the reply's head; a
 * 101 turns the connection into the raw stream, any other status carries
 * the daemon's JSON error as its body.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint } from './host.ts';
import { DaemonUnreachableError, parseErrorBody } from './errors.ts';
import type { NodeTransport } from './node-transport.ts';
import { encodeQuery, isReadable, prepareBody, type RawConn, type RequestSpec, type StreamResponse, type TextResponse, type Transport } from './transport.ts';

/** The part of Bun's socket API used here. */
interface BunSocket {
  write(data: Uint8Array | string): number;
  /** Half-close: shutdown(2) of the write side (with no argument). */
  shutdown(halfClose?: boolean): void;
  end(): void;
}
interface BunSocketHandlers {
  open?(socket: BunSocket): void;
  data?(socket: BunSocket, data: Uint8Array): void;
  drain?(socket: BunSocket): void;
  close?(socket: BunSocket): void;
  error?(socket: BunSocket, error: Error): void;
}
declare const Bun: { connect(options: { unix: string; allowHalfOpen?: boolean; socket: BunSocketHandlers }): Promise<BunSocket> };

export class BunTransport implements Transport {
  private node: Promise<NodeTransport> | undefined;

  constructor(readonly endpoint: Endpoint & { kind: 'unix' }) {}

  private fetch(spec: RequestSpec): Promise<Response> {
    const { headers, payload } = prepareBody(spec, {});
    const init = { method: spec.method, headers, body: payload, signal: spec.signal, unix: this.endpoint.socketPath };
    return fetch(`http://docker${spec.path}${encodeQuery(spec.query)}`, init as RequestInit).catch((err: unknown) => {
      if ((err as { name?: string }).name === 'AbortError') throw err;
      throw new DaemonUnreachableError(this.endpoint.url, { cause: err });
    });
  }

  private nodeTransport(): Promise<NodeTransport> {
    this.node ??= import('./node-transport.ts').then(({ NodeTransport }) => new NodeTransport(this.endpoint));
    return this.node;
  }

  async requestText(spec: RequestSpec): Promise<TextResponse> {
    if (isReadable(spec.body)) return (await this.nodeTransport()).requestText(spec);
    const res = await this.fetch(spec);
    return { statusCode: res.status, headers: headersOf(res.headers), text: await res.text() };
  }

  async request(spec: RequestSpec): Promise<StreamResponse> {
    if (isReadable(spec.body)) return (await this.nodeTransport()).request(spec);
    const res = await this.fetch(spec);
    const { Readable } = await import('node:stream');
    const body = res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) : Readable.from([]);
    return Object.assign(body, { statusCode: res.status, headers: headersOf(res.headers) });
  }

  hijack(spec: RequestSpec): Promise<RawConn> {
    const { headers, payload } = prepareBody(spec, { Host: 'docker', Connection: 'Upgrade', Upgrade: 'tcp' });
    const head = `${spec.method} ${spec.path}${encodeQuery(spec.query)} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    return new Promise((resolve, reject) => {
      const conn = new HijackedConn();
      let received = Buffer.alloc(0);
      let reply: { status: number; length: number | undefined } | undefined;
      let upgraded = false;
      const failWithReply = (): void => reject(parseErrorBody(reply!.status, received.toString('utf8')));
      Bun.connect({
        unix: this.endpoint.socketPath,
        // Stdin's end is a half-close: the output still has to come back.
        allowHalfOpen: true,
        socket: {
          open: (socket) => {
            conn.bind(socket);
            conn.write(payload ? Buffer.concat([Buffer.from(head), payload]) : head);
          },
          data: (socket, data) => {
            if (upgraded) return conn.received(Buffer.from(data));
            received = Buffer.concat([received, Buffer.from(data)]);
            if (!reply) {
              const end = received.indexOf('\r\n\r\n');
              if (end < 0) return;
              reply = parseHead(received.subarray(0, end).toString('latin1'));
              received = received.subarray(end + 4);
              if (reply.status === 101) {
                upgraded = true;
                resolve(conn);
                if (received.length > 0) conn.received(received);
                return;
              }
            }
            if (reply.length !== undefined && received.length >= reply.length) {
              received = received.subarray(0, reply.length);
              failWithReply();
              socket.end();
            }
          },
          drain: () => conn.drained(),
          close: () => {
            if (upgraded) conn.closed();
            else if (reply) failWithReply();
            else reject(new DaemonUnreachableError(this.endpoint.url));
          },
          error: (_socket, err) => {
            if (upgraded) conn.failed(err);
            else reject(err);
          },
        },
      }).catch((err: unknown) => reject(new DaemonUnreachableError(this.endpoint.url, { cause: err })));
    });
  }
}

function headersOf(headers: Headers): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** `HTTP/1.1 404 Not Found` and its headers: the status and Content-Length. */
function parseHead(text: string): { status: number; length: number | undefined } {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const status = Number(statusLine.split(' ')[1] ?? 500);
  let length: number | undefined;
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(0, i).trim().toLowerCase() === 'content-length') length = Number(line.slice(i + 1).trim());
  }
  return { status, length };
}

/**
 * The upgraded connection as the attach code uses it. Events wait until a
 * 'data' listener is there (the caller may attach after other requests),
 * then come in order; writes the socket cannot take at once wait for drain.
 */
class HijackedConn extends EventEmitter implements RawConn {
  private socket: BunSocket | undefined;
  private held: Array<[string, unknown]> | undefined = [];
  private unsent: Buffer[] = [];
  private ending = false;
  private shut = false;
  private destroyed = false;

  bind(socket: BunSocket): void {
    this.socket = socket;
  }

  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    super.on(event, listener);
    if (event === 'data' && this.held) {
      const held = this.held;
      this.held = undefined;
      queueMicrotask(() => {
        for (const [name, arg] of held) this.emit(name, arg);
      });
    }
    return this;
  }

  private deliver(name: string, arg?: unknown): void {
    if (this.held) this.held.push([name, arg]);
    else this.emit(name, arg);
  }

  received(chunk: Buffer): void {
    if (this.destroyed) return;
    this.deliver('data', chunk);
  }

  closed(): void {
    if (this.destroyed) return;
    this.deliver('end');
    this.deliver('close');
  }

  failed(err: Error): void {
    if (this.destroyed) return;
    this.deliver('error', err);
    this.deliver('close');
  }

  write(data: Buffer | string): boolean {
    if (this.shut) return false;
    this.unsent.push(typeof data === 'string' ? Buffer.from(data) : data);
    this.flush();
    return this.unsent.length === 0;
  }

  drained(): void {
    this.flush();
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket) return;
    while (this.unsent.length > 0) {
      const chunk = this.unsent[0]!;
      const n = socket.write(chunk);
      if (n < chunk.length) {
        this.unsent[0] = chunk.subarray(Math.max(n, 0));
        return;
      }
      this.unsent.shift();
    }
    if (this.ending && !this.shut) {
      this.shut = true;
      socket.shutdown();
    }
  }

  end(): void {
    this.ending = true;
    this.flush();
  }

  /** As a Node socket's destroy: no more data or 'end', only 'close', on a later turn. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.shut = true;
    this.unsent = [];
    this.held = undefined;
    this.socket?.end();
    setImmediate(() => this.emit('close'));
  }
}
