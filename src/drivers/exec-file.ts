/**
 * The one spawner. Every external command (runc, conmon, netavark, ip, mount…)
 * goes through here: an argv array, never a shell; a timeout and an optional
 * AbortSignal; stderr kept so a failure becomes a SystemError naming the
 * command, its exit code and the tail of what it printed.
 */
import { accessSync, closeSync, constants as fsConstants, openSync } from 'node:fs';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { SystemError } from '../util/errors.ts';
import { native } from './native.ts';

export interface ExecOptions {
  /** Bytes or text written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Milliseconds before the child is killed; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Exit codes that are not failures (default: only 0). */
  okCodes?: number[];
  /** Extra file descriptors handed to the child as fd 3, 4, … */
  extraFds?: number[];
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const TAIL = 2000;

export class ExecFailedError extends SystemError {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    const tail = (stderr.trim() || stdout.trim()).slice(-TAIL);
    super(`${file} ${args.slice(0, 3).join(' ')} failed (exit ${code ?? 'signal'}): ${tail}`);
  }
}

/**
 * Runs a command to its end and collects what it printed. The child is
 * started with posix_spawn through the native addon (`startProgram`), not
 * node's child_process, which forks the daemon first: at ~100 MB of
 * daemon that fork holds the event loop 3–4 ms per command, and a
 * `run --rm` on a bridge makes several (runc's, netavark's, unshare), each
 * a stall for every request being served at that moment.
 */
export function execFile(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let path: string;
    try {
      path = resolveCommand(file);
    } catch (e) {
      reject(new SystemError(`${file}: ${(e as Error).message}`, { cause: e }));
      return;
    }
    const n = native();
    const [inR, inW] = options.input === undefined ? [openSync('/dev/null', 'r'), -1] : n.pipe();
    const [outR, outW] = n.pipe();
    const [errR, errW] = n.pipe();
    let started: StartedProgram;
    try {
      started = startProgram(path, args, { env: options.env ?? process.env, cwd: options.cwd, fds: [inR, outW, errW, ...(options.extraFds ?? [])] });
    } catch (e) {
      for (const fd of [inW, outR, errR]) if (fd >= 0) closeSync(fd);
      reject(new SystemError(`${file}: ${(e as Error).message}`, { cause: e }));
      return;
    } finally {
      for (const fd of [inR, outW, errW]) closeSync(fd);
    }
    const kill = () => {
      try {
        process.kill(started.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    };
    const timer = setTimeout(kill, options.timeoutMs ?? 60_000);
    options.signal?.addEventListener('abort', kill, { once: true });
    if (inW >= 0) {
      const stdin = new net.Socket({ fd: inW, readable: false, writable: true });
      stdin.on('error', () => undefined); // a child that does not read its input
      stdin.end(options.input!);
    }
    Promise.all([started.exited, drain(outR), drain(errR)]).then(([status, out, err]) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      const stdout = out.toString('utf8');
      const stderr = err.toString('utf8');
      const code = status.code ?? null;
      if (code !== null && (options.okCodes ?? [0]).includes(code)) resolve({ code, stdout, stderr });
      else reject(new ExecFailedError(file, args, code, stderr, stdout));
    }, reject);
  });
}

export interface StreamingProgram {
  /** What the child writes to its stdout, as it writes it (read it, or the child blocks). */
  stdout: Readable;
  /**
   * Settles when the child has exited and its stderr is drained: resolves
   * with its stderr on an ok exit code, else rejects with ExecFailedError.
   */
  done: Promise<ExecResult>;
}

/**
 * Runs a command whose stdout is a stream to consume while it runs (a tar
 * mmdebstrap writes to `-`); stderr is kept for the error, and also handed
 * to `onStderr` as it comes when given. Same rules as execFile: no shell,
 * a timeout (default 10 minutes here) and an AbortSignal that kill it (with
 * `killSignal`, default SIGKILL; a tool that must undo its own mounts wants
 * SIGTERM).
 */
export function spawnStreaming(
  file: string,
  args: readonly string[],
  options: Omit<ExecOptions, 'input' | 'extraFds'> & { onStderr?: (chunk: Buffer) => void; killSignal?: NodeJS.Signals } = {},
): StreamingProgram {
  const path = (() => {
    try {
      return resolveCommand(file);
    } catch (e) {
      throw new SystemError(`${file}: ${(e as Error).message}`, { cause: e });
    }
  })();
  const n = native();
  const inR = openSync('/dev/null', 'r');
  const [outR, outW] = n.pipe();
  const [errR, errW] = n.pipe();
  let started: StartedProgram;
  try {
    started = startProgram(path, args, { env: options.env ?? process.env, cwd: options.cwd, fds: [inR, outW, errW] });
  } catch (e) {
    for (const fd of [outR, errR]) closeSync(fd);
    throw e;
  } finally {
    for (const fd of [inR, outW, errW]) closeSync(fd);
  }
  const kill = () => {
    try {
      process.kill(started.pid, options.killSignal ?? 'SIGKILL');
    } catch {
      // gone already
    }
  };
  const timer = setTimeout(kill, options.timeoutMs ?? 600_000);
  options.signal?.addEventListener('abort', kill, { once: true });
  const stdout = new net.Socket({ fd: outR, readable: true, writable: false });
  const errChunks: Buffer[] = [];
  const stderrDone = new Promise<void>((resolve) => {
    const socket = new net.Socket({ fd: errR, readable: true, writable: false });
    socket.on('data', (c: Buffer) => {
      errChunks.push(c);
      options.onStderr?.(c);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
  const done = Promise.all([started.exited, stderrDone]).then(([status]) => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', kill);
    const stderr = Buffer.concat(errChunks).toString('utf8');
    const code = status.code ?? null;
    if (code !== null && (options.okCodes ?? [0]).includes(code)) return { code, stdout: '', stderr };
    throw new ExecFailedError(file, args, code, stderr, '');
  });
  return { stdout, done };
}

/** Everything a pipe gives until its writers are gone. */
function drain(fd: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = new net.Socket({ fd, readable: true, writable: false });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** Where a command named without a slash is, looked up in PATH once (posix_spawn does not search). */
const commandPaths = new Map<string, string>();

function resolveCommand(file: string): string {
  if (file.includes('/')) return file;
  const known = commandPaths.get(file);
  if (known) return known;
  for (const dir of (process.env['PATH'] || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const candidate = `${dir || '.'}/${file}`;
    try {
      accessSync(candidate, fsConstants.X_OK);
    } catch {
      continue;
    }
    commandPaths.set(file, candidate);
    return candidate;
  }
  throw new Error('executable file not found in $PATH');
}

export interface StartedProgram {
  pid: number;
  /** Settles when the program exits: its exit code, or the signal that ended it. */
  exited: Promise<{ code?: number; signal?: number }>;
}

/** Children started by startProgram, waiting to be reaped: pid → resolver. */
const unreaped = new Map<number, (status: { code?: number; signal?: number }) => void>();
/**
 * While children are unreaped: a slow poll besides SIGCHLD, which also keeps
 * the event loop alive (a signal listener does not).
 */
let reapTimer: NodeJS.Timeout | undefined;

function reapExited(): void {
  for (const [pid, settle] of unreaped) {
    let status: { code?: number; signal?: number } | null;
    try {
      status = native().reap(pid);
    } catch {
      status = { code: -1 }; // not our child any more: nothing to wait for
    }
    if (status === null) continue;
    unreaped.delete(pid);
    settle(status);
  }
  if (unreaped.size === 0) {
    process.off('SIGCHLD', reapExited);
    clearInterval(reapTimer);
    reapTimer = undefined;
  }
}

/**
 * Start a program that reports through its own pipes and files (conmon),
 * without collecting its output: `fds[i]` becomes its descriptor i. Unlike
 * `execFile` this is posix_spawn through the native addon, which does not
 * fork the daemon's address space first (about a millisecond on the event
 * loop at every container start). The child is reaped at its SIGCHLD.
 */
export function startProgram(file: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd?: string; fds: number[] }): StartedProgram {
  const env = Object.entries(options.env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  let pid: number;
  try {
    pid = native().spawn(file, [file, ...args], env, options.cwd ?? null, options.fds);
  } catch (e) {
    throw new SystemError(`${file}: ${(e as Error).message}`, { cause: e });
  }
  if (unreaped.size === 0) {
    process.on('SIGCHLD', reapExited);
    reapTimer = setInterval(reapExited, 250);
  }
  const exited = new Promise<{ code?: number; signal?: number }>((resolve) => unreaped.set(pid, resolve));
  // It may be gone already, its SIGCHLD delivered before we listened.
  setImmediate(reapExited);
  return { pid, exited };
}
