/**
 * An attached exec start as one operation (`POST /exec/{id}/start` without
 * Detach): the process started, its stdin and its output (read from the
 * log its monitor writes, so nothing is lost), the detach keys of its TTY,
 * the console size applied, and what to do when the client detaches or the
 * session ends. The API only streams it.
 */
import type { AttachStreams } from '../../drivers/runtime/runtime.ts';
import { readLogs, type LogEntry } from '../../drivers/logs/k8s-file.ts';
import type { ExecService } from './exec-service.ts';

export interface ExecSession {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** The bytes that detach the client (none unless the exec has a TTY). */
  detachKeys: number[];
  /** Absent when the exec attached nothing. */
  streams?: AttachStreams;
  output?: AsyncGenerator<LogEntry>;
  exit: Promise<number>;
  /** The client sent the detach keys: returns what dockerd tells it before closing. */
  detach(): string;
  /** The stream is over: its output log goes. */
  close(): Promise<void>;
}

export interface ExecSessionOptions {
  /** `ConsoleSize` of the start request ([height, width]), applied to a TTY. */
  consoleSize?: readonly [number, number] | null;
  /** Ends the output reader. */
  signal: AbortSignal;
}

/** Start exec `id` attached (throws as `ExecService.start` does; the exec then counts as failed, 126). */
export async function openExecSession(execs: ExecService, id: string, options: ExecSessionOptions): Promise<ExecSession> {
  const exec = execs.get(id);
  const started = await execs.start(id, { attach: true });
  const want = { stdin: Boolean(exec.config.AttachStdin), stdout: exec.config.AttachStdout !== false, stderr: exec.config.AttachStderr !== false };
  if (started.streams && options.consoleSize && exec.config.Tty) {
    const [height, width] = options.consoleSize;
    await execs.resize(id, height, width).catch(() => undefined);
  }
  const logPath = started.logPath;
  return {
    ...want,
    detachKeys: execs.detachSequence(exec),
    streams: started.streams,
    output: logPath ? readLogs(logPath, { stdout: want.stdout, stderr: want.stderr, signal: options.signal, follow: true, offset: 0, stopped: started.exit }) : undefined,
    exit: started.exit,
    detach: () => execs.detach(id),
    close: async () => {
      if (logPath) await execs.discardOutput(logPath);
    },
  };
}

/** Start exec `id` detached: it runs on its own, its end recorded by the exec service. */
export async function startDetachedExec(execs: ExecService, id: string): Promise<void> {
  const started = await execs.start(id, { attach: false });
  void started.exit.catch(() => undefined);
}
