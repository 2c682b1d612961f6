/** The Transport over node:http / node:https (see transport.ts). */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { Endpoint, TlsFiles } from './host.ts';
import { DaemonUnreachableError, parseErrorBody } from './errors.ts';
import { CONNECT_ERRORS, encodeQuery, isReadable, prepareBody, type RawConn, type RequestSpec, type StreamResponse, type TextResponse, type Transport } from './transport.ts';

export class NodeTransport implements Transport {
  private readonly tlsOptions: https.RequestOptions | undefined;

  constructor(
    readonly endpoint: Endpoint,
    tls?: TlsFiles,
  ) {
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
    const { headers, payload } = prepareBody(spec, extraHeaders);
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

  request(spec: RequestSpec): Promise<StreamResponse> {
    return new Promise((resolve, reject) => {
      const req = this.open(spec, {});
      req.once('response', resolve);
      req.once('error', (err) => reject(this.connectError(err)));
    });
  }

  async requestText(spec: RequestSpec): Promise<TextResponse> {
    const res = await this.request(spec);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return { statusCode: res.statusCode ?? 500, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  }

  hijack(spec: RequestSpec): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const req = this.open(spec, { Connection: 'Upgrade', Upgrade: 'tcp' });
      req.once('upgrade', (_res, socket: Duplex, head: Buffer) => {
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
