/**
 * Docker's multiplexed stream (non-TTY attach, logs, exec): frames of an
 * 8-byte header [stream, 0, 0, 0, size uint32 big-endian] then `size` bytes.
 * stream 0 = stdin (written back as stdout), 1 = stdout, 2 = stderr,
 * 3 = systemerr (an error message from the daemon, ending the stream).
 */
export type FrameSink = (stream: number, payload: Buffer) => void;

export class Demuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const stream = this.pending[0] ?? 1;
      this.sink(stream, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** Bytes of an incomplete frame left at the end of the stream. */
  get leftover(): number {
    return this.pending.length;
  }
}

/** Encode one frame (for tests and for daemon-side fakes). */
export function encodeFrame(stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}
