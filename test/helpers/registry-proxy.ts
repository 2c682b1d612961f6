/**
 * A small HTTP proxy in front of a registry, for tests of what a pull does
 * when the network misbehaves: it records every request (method, path,
 * Range) and lets a test cut a blob's body after N bytes, corrupt it, or
 * answer 5xx a few times. Closed in `t.after`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface ProxiedRequest {
  method: string;
  url: string;
  range?: string;
  status?: number;
}

export interface BlobFault {
  /** Close the connection after this many body bytes (once per fault). */
  cutAfter?: number;
  /** Flip a byte of the body. */
  corrupt?: boolean;
  /** Answer this status instead. */
  status?: number;
  /** How many requests this fault applies to (default 1). */
  times?: number;
  /** Called when the fault fires (e.g. to kill a daemon mid-blob). */
  onFire?: () => void;
  /** Hold the rest of the body back (after cutAfter bytes) instead of closing. */
  stall?: boolean;
}

export interface RegistryProxy {
  host: string;
  requests: ProxiedRequest[];
  /** Faults for blob GETs whose path contains `match` (a digest, or '' for any). */
  fault(match: string, f: BlobFault): void;
  blobGets(): ProxiedRequest[];
}

export async function startProxy(t: TestContext, upstream: string): Promise<RegistryProxy> {
  const faults: { match: string; f: BlobFault; left: number }[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const rec: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '' };
    if (req.headers.range) rec.range = String(req.headers.range);
    requests.push(rec);
    const isBlobGet = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '');
    const fault = isBlobGet ? faults.find((x) => x.left > 0 && (req.url ?? '').includes(x.match)) : undefined;
    if (fault) fault.left--;
    if (fault?.f.status) {
      rec.status = fault.f.status;
      fault.f.onFire?.();
      res.writeHead(fault.f.status, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNKNOWN","message":"injected"}]}');
      return;
    }
    const headers = { ...req.headers, host: upstream };
    const up = http.request({ host: upstream.split(':')[0], port: Number(upstream.split(':')[1]), method: req.method, path: req.url, headers }, (ures) => {
      rec.status = ures.statusCode;
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      if (!fault) {
        ures.pipe(res);
        return;
      }
      let sent = 0;
      let fired = false;
      ures.on('data', (chunk: Buffer) => {
        if (fired) return;
        let out = chunk;
        if (fault.f.corrupt && sent === 0 && out.length > 100) {
          out = Buffer.from(out);
          out[100] = out[100]! ^ 0xff;
        }
        if (fault.f.cutAfter !== undefined && sent + out.length >= fault.f.cutAfter) {
          const keep = out.subarray(0, fault.f.cutAfter - sent);
          fired = true;
          res.write(keep, () => {
            fault.f.onFire?.();
            if (!fault.f.stall) setTimeout(() => req.socket.destroy(), 20);
          });
          ures.destroy();
          return;
        }
        sent += out.length;
        res.write(out);
      });
      ures.on('end', () => {
        if (!fired) res.end();
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    fault(match, f) {
      faults.push({ match, f, left: f.times ?? 1 });
    },
    blobGets: () => requests.filter((r) => r.method === 'GET' && /\/blobs\/sha256:/.test(r.url)),
  };
}
