/** Helpers of the POST /build tests: context tars, raw requests, the stream's lines. */
import http from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';

export type TarItem = { name: string; body?: string | Buffer; type?: 'file' | 'directory' | 'symlink'; mode?: number; linkname?: string };

/** A tar of `items` (files by default, mode 0644). */
export async function makeTar(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const ended = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const it of items) {
    const { body, ...header } = it;
    await new Promise<void>((resolve, reject) => pack.entry({ type: 'file', mode: 0o644, ...header }, body ?? '', (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The JSON lines of a stream reply (or the one JSON body). */
  lines: Record<string, unknown>[];
}

/** POST `body` to `urlPath` on the daemon's socket, with extra headers. */
export function post(socket: string, urlPath: string, body?: Buffer, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'POST', path: urlPath, headers: { 'Content-Type': 'application/x-tar', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const lines = text
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => {
            try {
              return JSON.parse(l) as Record<string, unknown>;
            } catch {
              return { unparsed: l };
            }
          });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, lines });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The entries left in the daemon's builder tmp dir (nothing once every build is over). */
export async function builderTmpLeft(dataRoot: string): Promise<string[]> {
  try {
    return await fs.readdir(path.join(dataRoot, 'builder/tmp'));
  } catch {
    return [];
  }
}
