/**
 * Layers arrive compressed or not (`docker save` tars are plain, registry
 * blobs are gzip): detect by magic bytes instead of trusting a media type.
 */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { NotImplementedError } from '../../util/errors.ts';

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

async function peek(source: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const chunk = source.read() as Buffer | null;
    if (chunk !== null) {
      parts.push(chunk);
      have += chunk.length;
      continue;
    }
    if (source.readableEnded) break;
    const [ended] = await Promise.race([once(source, 'readable').then(() => [false]), once(source, 'end').then(() => [true])]);
    if (ended) break;
  }
  const head = Buffer.concat(parts);
  if (head.length > 0) source.unshift(head);
  return head;
}

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** The uncompressed tar stream of `source`; errors of `source` propagate. */
export async function decompressed(source: Readable): Promise<Readable> {
  const head = await peek(source, 4);
  if (startsWith(head, ZSTD)) throw new NotImplementedError('zstd-compressed layers are not supported');
  if (!startsWith(head, GZIP)) return source;
  const out = new PassThrough();
  pipeline(source, createGunzip(), out).catch((err: unknown) => out.destroy(err as Error));
  return out;
}
