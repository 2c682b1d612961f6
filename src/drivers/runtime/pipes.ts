/**
 * The pipes conmon reads from its environment (`_OCI_SYNCPIPE`,
 * `_OCI_STARTPIPE`, `_OCI_ATTACHPIPE`, see conmon `src/parent_pipe_fd.c`):
 * real pipes from the native addon (Node has no pipe(2) of its own). Each
 * end is its own open file description, so the non-blocking mode libuv sets
 * on our end never reaches conmon's; and when the daemon dies, conmon reads
 * EOF on its start pipe instead of waiting forever.
 */
import fs from 'node:fs';
import net from 'node:net';
import { native } from '../native.ts';
import { SystemError } from '../../util/errors.ts';

/**
 * A file descriptor closed at most once: closing a number twice could close
 * an unrelated file that reused it in between.
 */
export class OwnedFd {
  private fd: number | undefined;
  constructor(fd: number) {
    this.fd = fd;
  }
  get value(): number {
    if (this.fd === undefined) throw new SystemError('file descriptor already closed');
    return this.fd;
  }
  /** Hand the fd to a new owner (which closes it). */
  take(): number {
    const fd = this.value;
    this.fd = undefined;
    return fd;
  }
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

export interface PipeEnds {
  /** Our end. */
  parent: OwnedFd;
  /** The end handed to conmon (close it once conmon is spawned). */
  child: OwnedFd;
}

function pipe(): [number, number] {
  try {
    return native().pipe();
  } catch (e) {
    throw new SystemError(`creating a pipe: ${(e as Error).message}`, { cause: e });
  }
}

/** A pipe conmon writes and we read (sync and attach pipes). */
export function openReadPipe(): PipeEnds {
  const [read, write] = pipe();
  return { parent: new OwnedFd(read), child: new OwnedFd(write) };
}

/** A pipe we write and conmon reads (the start pipe). */
export function openWritePipe(): PipeEnds {
  const [read, write] = pipe();
  return { parent: new OwnedFd(write), child: new OwnedFd(read) };
}

/** One message conmon writes on a sync/attach pipe: `{"data": N, "message": "…"}\n`. */
export interface ConmonMessage {
  data: number;
  message?: string;
}

/** Reads conmon's newline-delimited JSON messages from the read end of a pipe. */
export class PipeReader {
  private readonly socket: net.Socket;
  private buffer = '';
  private readonly queue: ConmonMessage[] = [];
  private waiters: ((m: ConmonMessage | undefined) => void)[] = [];
  private ended = false;

  constructor(fd: number) {
    this.socket = new net.Socket({ fd, readable: true, writable: false });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.onData(chunk));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', () => this.onEnd());
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line === '') continue;
      try {
        const parsed = JSON.parse(line) as ConmonMessage;
        this.push(parsed);
      } catch {
        // Not one of conmon's messages: ignore rather than fail the container.
      }
    }
  }

  private push(m: ConmonMessage): void {
    const w = this.waiters.shift();
    if (w) w(m);
    else this.queue.push(m);
  }

  private onEnd(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w(undefined);
    this.socket.destroy();
  }

  /** The next message, or undefined once conmon closed the pipe without one. */
  next(): Promise<ConmonMessage | undefined> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w(undefined);
    this.socket.destroy();
  }
}
