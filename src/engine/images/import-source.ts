/**
 * `docker import <URL>`: the daemon GETs the rootfs tarball itself. A failure
 * to get it happens before any progress is reported, so the caller answers
 * it as an ordinary error; the words are dockerd's (Go's net/http errors).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

/** dockerd reads `host:port/path` (no scheme) as an http URL. */
export function importUrl(fromSrc: string): string {
  return fromSrc.includes('://') ? fromSrc : `http://${fromSrc}`;
}

/** GET the tarball at `url` (http or https); resolves once the response is 2xx/3xx, its body unread. */
export async function fetchImportSource(url: string): Promise<Readable> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParameterError(`parse ${JSON.stringify(url)}: invalid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidParameterError(`unsupported protocol scheme "${parsed.protocol.slice(0, -1)}"`);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (parsed.protocol === 'https:' ? https : http).get(parsed, resolve);
    request.on('error', (err: NodeJS.ErrnoException) => {
      const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
      const why = err.code === 'ECONNREFUSED' ? `dial tcp ${parsed.hostname}:${port}: connect: connection refused` : err.message;
      reject(new SystemError(`Get ${JSON.stringify(url)}: ${why}`));
    });
  });
  if ((response.statusCode ?? 0) >= 400) {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    throw new SystemError(`failed to GET ${url} with status ${response.statusCode} ${response.statusMessage ?? ''}: ${Buffer.concat(chunks).toString('utf8')}`);
  }
  return response;
}
