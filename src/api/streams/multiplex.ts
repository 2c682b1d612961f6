/**
 * Encoders for container output sent over HTTP (logs, attach, exec).
 * Without a TTY Docker multiplexes stdout and stderr into stdcopy frames
 * (`src/util/stdcopy.ts`); with a TTY the bytes go raw, since a terminal has
 * only one output stream.
 */
import type { Writable } from 'node:stream';
import { encodeFrame, STDERR, STDOUT, type StdStream } from '../../util/stdcopy.ts';

export { encodeFrame, frameHeader, FrameDecoder, decodeFrames, demuxBuffer, STDIN, STDOUT, STDERR, SYSTEMERR } from '../../util/stdcopy.ts';
export type { Frame, StdStream } from '../../util/stdcopy.ts';

/** One log entry as the log reader yields it (structurally `LogEntry` of drivers/logs). */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC3339 with 9 fraction digits in UTC, as Docker prints it. */
  time: string;
  line: Buffer;
}

export interface LogEncodeOptions {
  /** The container has a TTY: no frames. */
  tty: boolean;
  /** Prefix each entry with its time and a space (`docker logs -t`). */
  timestamps: boolean;
  /** `docker logs --details`: the log attributes (possibly none) and a space before each entry. */
  details?: string;
}

/** The bytes Docker sends for one log entry. */
export function encodeLogLine(entry: LogLine, options: LogEncodeOptions): Buffer {
  // dockerd: the details (--details), then the timestamp, go before the line.
  let body = options.details !== undefined ? Buffer.concat([Buffer.from(options.details + ' '), entry.line]) : entry.line;
  if (options.timestamps) body = Buffer.concat([Buffer.from(entry.time + ' '), body]);
  if (options.tty) return body;
  return encodeFrame(entry.stream === 'stderr' ? STDERR : STDOUT, body);
}

/**
 * Writes output to an HTTP response, framed or raw. Resolves when the sink
 * accepted the bytes, so a slow client applies backpressure to the reader.
 */
export class OutputWriter {
  constructor(
    private readonly sink: Writable,
    private readonly tty: boolean,
  ) {}

  write(stream: StdStream, data: Buffer): Promise<void> {
    if (data.length === 0) return Promise.resolve();
    const bytes = this.tty ? data : encodeFrame(stream, data);
    return new Promise((resolve, reject) => {
      this.sink.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }
}
