/**
 * Docker's stdcopy framing, the pure codec shared by the API (encoder) and the
 * client (decoder). A multiplexed stream (non-TTY attach, logs, exec) is a
 * sequence of frames: an 8-byte header `[stream, 0, 0, 0, size uint32 BE]`
 * then `size` payload bytes. Streams: 0 stdin, 1 stdout, 2 stderr, 3 systemerr
 * (an error from the daemon that ends the stream).
 */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEMERR = 3;
export type StdStream = 0 | 1 | 2 | 3;

export const FRAME_HEADER_SIZE = 8;
/** The largest payload one header can describe. */
const MAX_FRAME = 0xffff_ffff;

export interface Frame {
  stream: StdStream;
  payload: Buffer;
}

/** One frame (or several when the payload exceeds a uint32 size). */
export function encodeFrame(stream: StdStream, payload: Buffer | Uint8Array | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (data.length <= MAX_FRAME) return Buffer.concat([frameHeader(stream, data.length), data]);
  const parts: Buffer[] = [];
  for (let off = 0; off < data.length; off += MAX_FRAME) {
    const chunk = data.subarray(off, off + MAX_FRAME);
    parts.push(frameHeader(stream, chunk.length), chunk);
  }
  return Buffer.concat(parts);
}

export function frameHeader(stream: StdStream, size: number): Buffer {
  const head = Buffer.alloc(FRAME_HEADER_SIZE);
  head[0] = stream;
  head.writeUInt32BE(size, 4);
  return head;
}

/**
 * Incremental decoder: push bytes as they arrive, get whole frames back.
 * Bytes of an incomplete frame are kept until the rest arrives.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer | Uint8Array): Frame[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes;
    const frames: Frame[] = [];
    while (this.pending.length >= FRAME_HEADER_SIZE) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < FRAME_HEADER_SIZE + size) break;
      const stream = this.pending[0] as StdStream;
      // Copy so a caller keeping the payload does not pin the whole chunk.
      frames.push({ stream, payload: Buffer.from(this.pending.subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + size)) });
      this.pending = this.pending.subarray(FRAME_HEADER_SIZE + size);
    }
    return frames;
  }

  /** Number of bytes of an incomplete frame still buffered. */
  get leftover(): number {
    return this.pending.length;
  }
}

/** Decode a whole byte stream into frames (tests, client). */
export async function* decodeFrames(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Frame> {
  const decoder = new FrameDecoder();
  for await (const chunk of source) yield* decoder.push(chunk);
}

/** Split a complete multiplexed buffer into stdout and stderr text (tests). */
export function demuxBuffer(data: Buffer): { stdout: Buffer; stderr: Buffer; systemErr: Buffer; leftover: number } {
  const decoder = new FrameDecoder();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sys: Buffer[] = [];
  for (const f of decoder.push(data)) {
    if (f.stream === STDERR) err.push(f.payload);
    else if (f.stream === SYSTEMERR) sys.push(f.payload);
    else out.push(f.payload);
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), systemErr: Buffer.concat(sys), leftover: decoder.leftover };
}
