/**
 * Joins a hijacked client connection to a process: output framed with
 * Docker's 8-byte headers unless a TTY is in use, client bytes forwarded to
 * stdin (with detach-key handling), the client's half-close as EOF.
 *
 * Container attaches take their output from the container's log (complete
 * by construction: the monitor writes it before it records the exit) and
 * use the monitor's attach socket for stdin only. Exec sessions, which have
 * no log, take both from the attach socket.
 */
import type { Duplex } from 'node:stream';
import type { AttachStreams } from '../../engine/containers/attach-hub.ts';
import { encodeFrame } from '../../util/stdcopy.ts';

export interface AttachWants {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Raw output; else framed by stream. */
  tty: boolean;
  /**
   * The sequence that detaches the client, watched in its stdin; empty
   * watches nothing. dockerd watches only when the process has a TTY (for an
   * exec: the TTY given at create, whatever the start request says).
   */
  detachKeys: number[];
}

interface OutputEntry {
  stream: 'stdout' | 'stderr';
  line: Buffer;
}

export interface AttachSession {
  /** Output to send, when it comes from the log; else the streams' own output is used. */
  output?: AsyncIterable<OutputEntry>;
  /** The process's stdio (resolves when the container starts, for an attach made before start). */
  streams?: Promise<AttachStreams | undefined>;
  /** Settles before the connection is closed (an exec's exit, so inspect right after shows it). */
  before?: Promise<unknown>;
  /** Aborted when the session ends (stops the log reader). */
  abort: AbortController;
  /**
   * Called when the client detaches, before the connection closes (which
   * then does not wait for `before`); text it returns goes to the client's
   * stdout first.
   */
  onDetach?: () => string | undefined;
}

/** How a session ended: the client sent the detach keys, or anything else. */
export type AttachEnd = 'detached' | 'ended';

/** Resolves when the session ends: output ended, client left, or the client detached. */
export function pipeAttach(socket: Duplex, want: AttachWants, session: AttachSession): Promise<AttachEnd> {
  return new Promise((resolve) => {
    let done = false;
    let streams: AttachStreams | undefined;
    const send = (stream: 1 | 2, data: Buffer) => {
      if (stream === 1 && !want.stdout) return;
      if (stream === 2 && !want.stderr) return;
      if (!socket.destroyed) socket.write(want.tty ? data : encodeFrame(stream, data));
    };
    const finish = () => {
      if (done) return;
      done = true;
      session.abort.abort();
      streams?.close();
      void Promise.resolve(session.before)
        .catch(() => undefined)
        .then(() => {
          if (!socket.destroyed) socket.end();
          resolve('ended');
        });
    };
    // The process goes on: the client leaves at once, told what onDetach says.
    const detach = () => {
      if (done) return;
      done = true;
      session.abort.abort();
      streams?.close();
      const notice = session.onDetach?.();
      if (!socket.destroyed) socket.end(notice ? (want.tty ? Buffer.from(notice) : encodeFrame(1, notice)) : undefined);
      resolve('detached');
    };
    socket.on('close', finish);
    socket.on('error', finish);

    if (session.output) {
      const output = session.output;
      void (async () => {
        try {
          for await (const entry of output) send(entry.stream === 'stderr' ? 2 : 1, entry.line);
        } catch {
          // The log went away (container removed): the session is over.
        }
        finish();
      })();
    }

    const stdinChunks: Buffer[] = [];
    let stdinEnded = false;
    const toStdin = (chunk: Buffer) => (streams ? streams.stdin.write(chunk) : stdinChunks.push(chunk));
    const endStdin = () => {
      stdinEnded = true;
      streams?.closeStdin();
    };
    void Promise.resolve(session.streams).then(
      (s) => {
        if (!s) return;
        if (done) return s.close();
        streams = s;
        if (!session.output) {
          s.onOutput(send);
          s.onEnd(finish);
        }
        for (const chunk of stdinChunks.splice(0)) s.stdin.write(chunk);
        if (stdinEnded) s.closeStdin();
      },
      () => finish(),
    );

    if (!want.stdin) {
      socket.resume();
      return;
    }
    const keys = want.detachKeys;
    let matched = 0;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      if (keys.length === 0) return void toStdin(chunk);
      // Hold back bytes that could start the detach sequence until it is decided.
      const out: number[] = [];
      for (const byte of chunk) {
        if (byte === keys[matched]) {
          matched++;
          if (matched === keys.length) {
            if (out.length) toStdin(Buffer.from(out));
            detach();
            return;
          }
          continue;
        }
        if (matched > 0) out.push(...keys.slice(0, matched));
        matched = 0;
        out.push(byte);
      }
      if (out.length) toStdin(Buffer.from(out));
    });
    socket.on('end', endStdin);
    // The request body was read off this socket before it was handed over, leaving it paused.
    socket.resume();
  });
}
