/**
 * Where a command's output goes. When stdout (or stderr) is a pipe, a file
 * or a socket, plain synchronous writes to the descriptor do: creating
 * Node's stream objects for them is a large part of a short command's
 * start-up under Bun. A character device (a terminal, /dev/null) gets the
 * process's own stream, which knows about terminals (isTTY, window size).
 */
import { createWriteStream, fstatSync, writeSync } from 'node:fs';

/** The part of a WriteStream that commands use on a non-terminal output. */
export class SyncOutput {
  readonly isTTY = false;

  constructor(readonly fd: number) {}

  write(chunk: string | Uint8Array, callback?: (err?: Error | null) => void): boolean {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (buf.length > 0) {
      try {
        buf = buf.subarray(writeSync(this.fd, buf));
      } catch (err) {
        // A non-blocking pipe that is full: wait for the reader.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') break;
        throw err;
      }
    }
    callback?.();
    return true;
  }

  // Listeners (resize, drain, error) have nothing to hear from a plain descriptor.
  on(): this {
    return this;
  }
  once(): this {
    return this;
  }
  off(): this {
    return this;
  }
}

/** A synchronous writer for `fd` when it is no character device; else the stream `fallback()` gives. */
export function outputFor(fd: number, fallback: () => NodeJS.WriteStream): NodeJS.WriteStream {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return new SyncOutput(fd) as unknown as NodeJS.WriteStream;
  } catch {
    // No such descriptor: let the runtime decide.
  }
  return fallback();
}

/** A Writable for piping into `out` (save, export, cp to "-"). */
export function writableOf(out: NodeJS.WriteStream): NodeJS.WritableStream {
  const sync = out as unknown as SyncOutput;
  return sync instanceof SyncOutput ? createWriteStream('', { fd: sync.fd, autoClose: false }) : out;
}
