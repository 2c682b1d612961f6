/**
 * Joins a hijacked client connection to a process's attach streams:
 * output framed with Docker's 8-byte headers unless a TTY is in use, client
 * bytes forwarded to stdin (with detach-key handling), half-close as EOF.
 */
import type { Duplex } from 'node:stream';
import type { AttachStreams } from '../../engine/containers/attach-hub.ts';
import { encodeFrame } from '../../util/stdcopy.ts';
import { parseDetachKeys } from './detach-keys.ts';

export interface AttachWants {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  detachKeys?: string;
}

/** Resolves when the attach session ends (process output ended, client left, or detached). */
export function pipeAttach(socket: Duplex, streams: AttachStreams, want: AttachWants, before?: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      streams.close();
      // `before` (an exec's exit) settles first, so a client that inspects
      // right after the stream ends sees the exit code.
      void Promise.resolve(before)
        .catch(() => undefined)
        .then(() => {
          if (!socket.destroyed) socket.end();
          resolve();
        });
    };
    streams.onOutput((stream, data) => {
      if (stream === 1 && !want.stdout) return;
      if (stream === 2 && !want.stderr) return;
      socket.write(want.tty ? data : encodeFrame(stream, data));
    });
    streams.onEnd(finish);
    socket.on('close', finish);
    socket.on('error', finish);
    if (want.stdin) {
      const keys = want.tty ? parseDetachKeys(want.detachKeys) : [];
      let matched = 0;
      socket.on('data', (chunk: Buffer) => {
        if (keys.length === 0) {
          streams.stdin.write(chunk);
          return;
        }
        // Hold back bytes that could start the detach sequence until it is decided.
        const out: number[] = [];
        for (const byte of chunk) {
          if (byte === keys[matched]) {
            matched++;
            if (matched === keys.length) {
              if (out.length) streams.stdin.write(Buffer.from(out));
              finish();
              return;
            }
            continue;
          }
          if (matched > 0) out.push(...keys.slice(0, matched));
          matched = 0;
          out.push(byte);
        }
        if (out.length) streams.stdin.write(Buffer.from(out));
      });
      socket.on('end', () => streams.closeStdin());
    } else {
      socket.resume();
    }
  });
}
