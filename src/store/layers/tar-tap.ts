/**
 * A pass-through stream in front of tar-stream's extractor that
 *  - hashes the uncompressed tar (its sha256 is the layer's DiffID),
 *  - optionally copies it into the content store (so `docker save` can hand
 *    out the exact bytes whose digest the image config names), and
 *  - keeps the raw bytes of `SCHILY.xattr.*` pax records. tar-stream decodes
 *    pax values as UTF-8, which corrupts binary xattrs such as
 *    security.capability; this tap walks the tar block structure (headers and
 *    sizes only, no extraction) and queues each local pax header's xattrs so
 *    the extractor can take them, in order, for the entries that have them.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ContentWriter } from '../content/content-store.ts';

export const XATTR_PAX_PREFIX = 'SCHILY.xattr.';
const BLOCK = 512;

export type RawXattrs = Map<string, Buffer>;

/** Parse a tar numeric field (octal, or base-256 when the high bit is set). */
function parseNumeric(buf: Buffer, offset: number, length: number): number {
  const first = buf[offset]!;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + buf[offset + i]!;
    return value;
  }
  const text = buf.toString('latin1', offset, offset + length).replace(/[\0 ].*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Parse pax records (`<len> key=value\n`) keeping xattr values as raw bytes. */
export function parsePaxXattrs(body: Buffer): { xattrs: RawXattrs; size?: number } {
  const xattrs: RawXattrs = new Map();
  let size: number | undefined;
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(body.toString('latin1', pos, space), 10);
    if (!(len > 0) || pos + len > body.length) break;
    const record = body.subarray(space + 1, pos + len - 1); // drop the trailing \n
    const eq = record.indexOf(0x3d);
    if (eq !== -1) {
      const key = record.toString('utf8', 0, eq);
      if (key.startsWith(XATTR_PAX_PREFIX)) xattrs.set(key.slice(XATTR_PAX_PREFIX.length), Buffer.from(record.subarray(eq + 1)));
      else if (key === 'size') size = parseInt(record.toString('latin1', eq + 1), 10);
    }
    pos += len;
  }
  return size === undefined ? { xattrs } : { xattrs, size };
}

export class TarTap extends Transform {
  readonly xattrQueue: RawXattrs[] = [];
  private readonly hash = createHash('sha256');
  private bytes = 0;
  // Block-walk state.
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0; // bytes of entry data (with padding) still to pass over
  private paxBody: Buffer[] | undefined; // collecting a local pax header's data
  private paxRemaining = 0;
  private paxPadding = 0;
  private nextSize: number | undefined; // pax `size` override for the next header

  constructor(private readonly writer?: ContentWriter) {
    super();
  }

  /** `sha256:<hex>` of everything that flowed through; valid after 'end'. */
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }

  get size(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.scan(chunk);
    if (!this.writer) {
      cb(null, chunk);
      return;
    }
    this.writer.write(chunk).then(() => cb(null, chunk), cb);
  }

  private scan(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.paxBody) {
        const take = Math.min(this.paxRemaining, data.length);
        this.paxBody.push(data.subarray(0, take));
        this.paxRemaining -= take;
        data = data.subarray(take);
        if (this.paxRemaining === 0) {
          const { xattrs, size } = parsePaxXattrs(Buffer.concat(this.paxBody));
          this.paxBody = undefined;
          this.nextSize = size;
          if (xattrs.size > 0) this.xattrQueue.push(xattrs);
          this.skip = this.paxPadding;
        }
        continue;
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, data.length);
        this.skip -= take;
        data = data.subarray(take);
        continue;
      }
      if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      }
      const header = data.subarray(0, BLOCK);
      data = data.subarray(BLOCK);
      if (header.every((b) => b === 0)) continue; // end-of-archive blocks
      const type = String.fromCharCode(header[156]!);
      let size = parseNumeric(header, 124, 12);
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'x') {
        this.paxBody = [];
        this.paxRemaining = size;
        this.paxPadding = padded - size;
        if (size === 0) this.paxBody = undefined;
        continue;
      }
      if (this.nextSize !== undefined && type !== 'g' && type !== 'L' && type !== 'K') {
        size = this.nextSize;
        this.nextSize = undefined;
      }
      // As tar-stream does: a directory carries no data whatever its size says.
      this.skip = type === '5' ? 0 : Math.ceil(size / BLOCK) * BLOCK;
    }
  }
}

/** Encode one pax record `<len> key=value\n` with a binary value. */
export function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

function octal(buf: Buffer, offset: number, width: number, value: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, 'latin1');
}

/**
 * The bytes of a local pax header (ustar block + records, padded) carrying
 * binary xattrs, to be pushed into a tar-stream pack right before the entry
 * it describes (tar-stream can only write pax values as text).
 */
export function rawPaxHeader(xattrs: RawXattrs, mtime: Date): Buffer {
  const body = Buffer.concat([...xattrs].map(([k, v]) => paxRecord(XATTR_PAX_PREFIX + k, v)));
  const header = Buffer.alloc(BLOCK);
  header.write('PaxHeader', 0, 'latin1');
  octal(header, 100, 8, 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, body.length);
  octal(header, 136, 12, Math.floor(mtime.getTime() / 1000));
  header.write('x', 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  const padding = Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK);
  return Buffer.concat([header, body, padding]);
}
