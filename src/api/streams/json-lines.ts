/**
 * Docker's JSON streams. Progress streams (pull, push, build, load, import)
 * are JSON messages each followed by "\r\n" (Docker's streamformatter); stats
 * and events are written with Go's json.Encoder, each value followed by "\n".
 */
import type { Writable } from 'node:stream';

export interface ProgressDetail {
  current?: number;
  total?: number;
}

/** A JSON message of a progress stream, with Docker's field names. */
export interface JsonMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: ProgressDetail;
  stream?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message: string };
}

/** A progress-stream message: JSON then "\r\n". */
export function formatJsonMessage(message: JsonMessage): string {
  return JSON.stringify(message) + '\r\n';
}

/** A stats or events value: JSON then "\n". */
export function formatJsonLine(value: unknown): string {
  return JSON.stringify(value) + '\n';
}

/**
 * Writes a progress stream; each call resolves when the sink accepted the
 * bytes. The engine's progress events become messages with
 * `toJsonMessage` (progress-messages.ts).
 *
 * A write to a connection the client has closed may never call back (Node
 * drops buffered data without calling its callbacks), which would hang the
 * operation feeding the stream: with `gone` (the client's disconnect signal),
 * every write also ends, rejected, when the client goes away.
 */
export class JsonMessageWriter {
  private readonly goneError?: Promise<never>;

  /** `beforeFirst` runs once, before the first message (to send the response's headers late). */
  constructor(
    private readonly sink: Writable,
    private beforeFirst?: () => void,
    gone?: AbortSignal,
  ) {
    if (gone) {
      this.goneError = new Promise<never>((_, reject) => {
        const fail = () => reject(gone.reason);
        if (gone.aborted) fail();
        else gone.addEventListener('abort', fail, { once: true });
      });
      this.goneError.catch(() => undefined); // observed by the writes that race it
    }
  }

  write(message: JsonMessage): Promise<void> {
    this.beforeFirst?.();
    this.beforeFirst = undefined;
    const written = new Promise<void>((resolve, reject) => {
      this.sink.write(formatJsonMessage(message), (err) => (err ? reject(err) : resolve()));
    });
    return this.goneError ? Promise.race([written, this.goneError]) : written;
  }

  status(status: string, id?: string): Promise<void> {
    return this.write(id === undefined ? { status } : { status, id });
  }

  stream(text: string): Promise<void> {
    return this.write({ stream: text });
  }

  /** Errors after the headers were sent travel in the stream (the status is already 200). */
  error(message: string): Promise<void> {
    return this.write({ errorDetail: { message }, error: message });
  }
}
