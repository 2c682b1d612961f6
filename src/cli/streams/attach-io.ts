/**
 * Drives a hijacked attach/exec connection as docker's hijackedIOStreamer:
 * output copied raw (TTY) or demultiplexed to stdout/stderr; stdin copied in
 * and the write side half-closed at EOF; in a terminal, raw mode for the
 * session and detach keys watched, the terminal restored on every exit path.
 */
import { spawnSync } from 'node:child_process';
import type { RawConn } from '../../client/transport.ts';
import { FrameDecoder, STDERR, SYSTEMERR } from '../../util/stdcopy.ts';
import { EscapeMatcher } from './detach-keys.ts';

export interface AttachIo {
  conn: RawConn;
  tty: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  detachKeys: number[];
}

export type AttachEnd = 'eof' | 'detached';

/** Turn the terminal's output post-processing (OPOST) on or off with stty on fd 0. */
function setOutputProcessing(on: boolean): void {
  try {
    spawnSync('stty', [on ? 'opost' : '-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
  } catch {
    // No stty: output keeps the terminal's CR-LF translation, which only doubles carriage returns.
  }
}

/** Resolves when the output stream ends ('eof') or the user typed the detach keys ('detached'). */
export function streamAttach(io: AttachIo): { done: Promise<AttachEnd>; close: () => void } {
  const { conn, stdin, stdout, stderr } = io;
  const raw = Boolean(io.tty && stdin?.isTTY);
  let restored = false;
  const restore = () => {
    if (raw && !restored && stdin) {
      restored = true;
      stdin.setRawMode(false);
      setOutputProcessing(true);
    }
  };
  if (raw && stdin) {
    stdin.setRawMode(true);
    // The runtime's raw mode keeps ONLCR, so the container's "\r\n" would
    // reach the screen as "\r\r\n"; docker's raw mode clears OPOST as well.
    setOutputProcessing(false);
  }
  process.once('exit', restore);

  let onInput: ((chunk: Buffer) => void) | undefined;
  let onInputEnd: (() => void) | undefined;
  const stopInput = () => {
    if (stdin && onInput) {
      stdin.off('data', onInput);
      if (onInputEnd) stdin.off('end', onInputEnd);
      stdin.pause();
    }
  };

  const done = new Promise<AttachEnd>((resolve) => {
    const finish = (how: AttachEnd) => {
      stopInput();
      restore();
      process.off('exit', restore);
      resolve(how);
    };
    if (io.tty) {
      conn.on('data', (chunk: Buffer) => stdout?.write(chunk));
    } else {
      const decoder = new FrameDecoder();
      conn.on('data', (chunk: Buffer) => {
        for (const { stream, payload } of decoder.push(chunk)) (stream === STDERR || stream === SYSTEMERR ? stderr : stdout)?.write(payload);
      });
    }
    conn.once('end', () => finish('eof'));
    conn.once('close', () => finish('eof'));
    conn.once('error', () => finish('eof'));

    if (stdin) {
      const matcher = raw ? new EscapeMatcher(io.detachKeys) : undefined;
      onInput = (chunk: Buffer) => {
        const data = matcher ? matcher.feed(chunk) : chunk;
        if (data.length) conn.write(data);
        if (matcher?.detached) {
          conn.destroy();
          finish('detached');
        }
      };
      onInputEnd = () => {
        // -i without a terminal: EOF on our stdin closes the container's stdin (half-close).
        conn.end();
      };
      stdin.on('data', onInput);
      stdin.once('end', onInputEnd);
      stdin.resume();
    }
  });
  return { done, close: () => conn.destroy() };
}

/** Send the terminal size now and on every SIGWINCH; returns a function that stops watching. */
export function monitorTtySize(out: NodeJS.WriteStream, resize: (h: number, w: number) => Promise<void>): () => void {
  if (!out.isTTY) return () => undefined;
  // One resize at a time, the size read when it is sent: two quick signals
  // (stty sets rows, then cols) must not arrive out of order with the older size last.
  // And once a resize is answered, the size is read again: a signal that came
  // while the terminal was between its two changes may be the last one seen.
  let sending = false;
  let again = false;
  const send = (): void => {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    const [w, h] = out.getWindowSize();
    resize(h, w)
      .catch(() => {
        // The container may have exited between the signal and the call: nothing to resize.
      })
      .finally(() => {
        sending = false;
        const [nowW, nowH] = out.getWindowSize();
        if (!again && nowW === w && nowH === h) return;
        again = false;
        send();
      });
  };
  send();
  process.on('SIGWINCH', send);
  return () => process.off('SIGWINCH', send);
}

const PROXIED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** --sig-proxy: forward the signals the CLI receives to the container. */
export function proxySignals(kill: (signal: string) => Promise<void>): () => void {
  const handlers = PROXIED.map((sig) => {
    const h = () => {
      kill(sig).catch(() => {
        // The container is gone: the signal has nobody to reach.
      });
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}
