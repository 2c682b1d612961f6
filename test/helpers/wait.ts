/**
 * Waiting on something instead of sleeping: a daemon's `/events` stream,
 * a child's output, or, where nothing announces the change, a bounded poll
 * of a condition. Every wait has a deadline and fails saying what it saw.
 */
import http from 'node:http';
import type { Readable } from 'node:stream';

export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
}

export interface EventWatch {
  /** The first event after the previous match that satisfies `match`. */
  next(match: (e: DockerEvent) => boolean, timeoutMs?: number): Promise<DockerEvent>;
  close(): void;
}

/**
 * Subscribe to a daemon's `/events` (with Docker's `filters`); resolves once
 * the daemon has answered, i.e. is subscribed, so whatever the test does next
 * is seen.
 */
export function watchEvents(socket: string, filters: Record<string, string[]> = {}): Promise<EventWatch> {
  const seen: DockerEvent[] = [];
  let cursor = 0;
  let wake: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'GET', path: `/events?filters=${encodeURIComponent(JSON.stringify(filters))}` }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET /events answered ${res.statusCode}`));
      let buffered = '';
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          seen.push(JSON.parse(buffered.slice(0, nl)) as DockerEvent);
          buffered = buffered.slice(nl + 1);
        }
        wake?.();
      });
      res.on('error', () => undefined);
      resolve({
        async next(match, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            while (cursor < seen.length) {
              const e = seen[cursor++]!;
              if (match(e)) return e;
            }
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no matching event in ${timeoutMs} ms; seen: ${seen.map((e) => `${e.Type} ${e.Action}`).join(', ') || 'none'}`);
            await new Promise<void>((r) => {
              const timer = setTimeout(r, left);
              wake = () => {
                clearTimeout(timer);
                r();
              };
            });
          }
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/** Resolve with everything `stream` printed once it matches `pattern`; reject at the deadline with what it printed. */
export function waitForOutput(stream: Readable, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      if (pattern.test(text)) done(undefined);
    };
    const timer = setTimeout(() => done(new Error(`output did not match ${pattern} in ${timeoutMs} ms: ${JSON.stringify(text)}`)), timeoutMs);
    const done = (err: Error | undefined): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      if (err) reject(err);
      else resolve(text);
    };
    stream.on('data', onData);
  });
}

/**
 * Poll `read` until `ok` holds of its value, or the deadline passes: for
 * state that no event announces (a file inside a container, a mount). Returns
 * the last value read, so the caller's assertion shows it.
 */
export async function pollUntil<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
