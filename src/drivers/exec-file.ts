/**
 * The one spawner. Every external command (runc, conmon, netavark, ip, mount…)
 * goes through here: an argv array, never a shell; a timeout and an optional
 * AbortSignal; stderr kept so a failure becomes a SystemError naming the
 * command, its exit code and the tail of what it printed.
 */
import { spawn } from 'node:child_process';
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

export function execFile(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const stdio: ('pipe' | 'ignore' | number)[] = [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
    for (const fd of options.extraFds ?? []) stdio.push(fd);
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio,
      signal: options.signal,
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new SystemError(`${file}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const ok = options.okCodes ?? [0];
      if (code !== null && ok.includes(code)) resolve({ code, stdout, stderr });
      else reject(new ExecFailedError(file, args, code, stderr, stdout));
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
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
