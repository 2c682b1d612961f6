/**
 * ConmonRunc: the RuntimeDriver over conmon 2.1 and runc 1.1.
 *
 * One conmon per container (and per exec) runs `runc create`/`runc exec`,
 * holds stdio, writes the k8s-file log and the exit file, and serves the
 * attach socket; it outlives the daemon, so every method works from the
 * files under `<execRoot>/containers/<id>/` alone (see ConmonPaths), and a
 * new instance re-adopts containers created by an earlier one.
 *
 * conmon's protocol (conmon `src/conmon.c`, podman `libpod/oci_conmon_common.go`):
 * with `--api-version 1` it writes `{"data": <pid>}` on the sync pipe once
 * `runc create` has succeeded, or `{"data": -1, "message": <runc stderr>}`;
 * it blocks on the start pipe until we write to it. Other runc verbs
 * (start, kill, pause, state, ps, delete) are run directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile, ExecFailedError, startProgram, type StartedProgram } from '../exec-file.ts';
import { isErrno, NotFoundError, SystemError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { native } from '../native.ts';
import { connectAttachSocket } from './attach-socket.ts';
import { ConmonPaths } from './conmon-paths.ts';
import { runExec } from './conmon-exec.ts';
import { warmCgroupAttach } from '../cgroups/attach-warmup.ts';
import { startThroughExecFifo } from './exec-fifo.ts';
import { readExitFile, waitExitFile } from './exit-file.ts';
import { openReadPipe, openWritePipe, PipeReader } from './pipes.ts';
import { parseRuntimeMessage, RuntimeStartError } from './runtime-errors.ts';
import type { OciResources } from './spec/types.ts';
import type { AttachStreams, CreateOptions, ExecOptions, RuntimeDriver, RuntimeState, RuntimeStatus } from './runtime.ts';
import { SPEC_MODE, specToJson } from './spec/serialize.ts';

export interface ConmonRuncOptions {
  execRoot: string;
  runcPath?: string;
  conmonPath?: string;
  /** conmon's own log level (`--log-level`). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** A conmon started by `startConmon`, before it has forked its monitor. */
export interface RunningConmon {
  /** Settles when this conmon process (not its monitor) exits; rejects when it failed. */
  exited: Promise<void>;
  kill(): void;
}

const STATUSES = new Set<RuntimeStatus>(['creating', 'created', 'running', 'paused', 'stopped']);

/** The environment conmon (and through it runc) gets: the daemon's, minus socket-activation variables. */
export function conmonEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.NOTIFY_SOCKET;
  // conmon calls setlocale: any other locale costs it a dozen file reads at every start.
  env.LC_ALL = 'C';
  return env;
}

export class ConmonRunc implements RuntimeDriver {
  readonly name = 'runc';
  readonly paths: ConmonPaths;
  readonly runcPath: string;
  readonly conmonPath: string;
  private readonly logLevel: string;

  constructor(options: ConmonRuncOptions) {
    this.paths = new ConmonPaths(options.execRoot);
    this.runcPath = options.runcPath ?? '/usr/sbin/runc';
    this.conmonPath = options.conmonPath ?? '/usr/bin/conmon';
    this.logLevel = options.logLevel ?? 'error';
  }

  /** Global runc arguments, for direct calls and (as `--runtime-arg`) for conmon's. */
  runtimeArgs(): string[] {
    return [`--root=${this.paths.runcRoot}`, '--log-format=json'];
  }

  private runc(args: string[], timeoutMs = 30_000): Promise<{ stdout: string }> {
    return execFile(this.runcPath, [...this.runtimeArgs(), ...args], { timeoutMs });
  }

  /**
   * Runs `runc create` under a new conmon; resolves once created. conmon is
   * started first and waits on its start pipe while the spec is awaited and
   * written to `<bundle>/config.json`; then the start pipe lets it run runc.
   * A spec that fails kills the waiting conmon before it has done anything.
   */
  private commitText: Promise<string> | undefined;

  /** runc's `commit:` line of `runc --version` (asked once), what dockerd reports as RuncCommit. */
  commit(): Promise<string> {
    this.commitText ??= execFile(this.runcPath, ['--version'], { timeoutMs: 5000 }).then(
      (r) => /^commit: (.+)$/m.exec(r.stdout)?.[1]?.trim() ?? '',
      () => '',
    );
    return this.commitText;
  }

  async create(o: CreateOptions): Promise<void> {
    // runc create moves the container's init into its cgroups: have the kernel's lock warm by then.
    void warmCgroupAttach();
    const p = this.paths;
    const dir = p.dir(o.id);
    fs.mkdirSync(p.exitDir(o.id), { recursive: true });
    const args = [
      '--api-version', '1',
      '-c', o.id, '-u', o.id, '-n', o.id,
      '-r', this.runcPath,
      '-b', o.bundle,
      '-p', p.pidFile(o.id),
      '-P', p.conmonPidFile(o.id),
      '--exit-dir', p.exitDir(o.id),
      '-l', o.logPath === '/dev/null' ? 'none' : `k8s-file:${o.logPath}`,
      '--log-level', this.logLevel,
      '--full-attach',
      // dockerd's json-file logger never fsyncs either; conmon would at every exit, on the critical path.
      '--no-sync-log',
    ];
    if (o.logSizeMax !== undefined && o.logPath !== '/dev/null') args.push('--log-size-max', String(o.logSizeMax));
    for (const a of this.runtimeArgs()) args.push('--runtime-arg', a);
    if (o.tty) args.push('-t');
    if (o.openStdin) {
      args.push('-i');
      // StdinOnce closes stdin when the first attach ends, but never a terminal's (dockerd keeps it for the next attach).
      if (!o.stdinOnce || o.tty) args.push('--leave-stdin-open');
    }
    const sync = openReadPipe();
    const start = openWritePipe();
    const reader = new PipeReader(sync.parent.take());
    // Should the daemon die before the spec is written, conmon reads EOF on
    // its start pipe and runs runc, which must then find no spec (a stale one
    // from an earlier start would create a container nobody owns).
    fs.rmSync(`${o.bundle}/config.json`, { force: true });
    let conmon: RunningConmon | undefined;
    try {
      conmon = this.startConmon(dir, args, { _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' }, [sync.child.value, start.child.value]);
      sync.child.close();
      start.child.close();
      try {
        const spec = await o.spec;
        // Small local files, written synchronously: microseconds each, where
        // thread-pool round trips cost milliseconds while a start keeps it busy.
        fs.writeFileSync(`${o.bundle}/config.json`, specToJson(spec), { mode: SPEC_MODE });
        fs.rmSync(p.exitFile(o.id), { force: true });
        fs.rmSync(p.bundleLink(o.id), { force: true });
        fs.symlinkSync(o.bundle, p.bundleLink(o.id));
      } catch (err) {
        // conmon still waits on its start pipe: nothing has run yet.
        conmon.kill();
        await conmon.exited.catch(() => undefined);
        await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
      // No cgroup to move conmon into: the start pipe only waited for the spec.
      try {
        fs.writeSync(start.parent.value, '0');
      } catch (err) {
        // EPIPE: conmon is gone already (it could not open the log, say); its own words say why.
        await conmon.exited;
        throw new SystemError(`conmon exited before it was started: ${(err as Error).message}`, { cause: err });
      }
      start.parent.close();
      const [message] = await Promise.all([reader.next(), conmon.exited]);
      if (!message) throw new SystemError(`conmon exited without reporting the creation of ${o.id}`);
      if (message.data < 0) throw new RuntimeStartError('create', parseRuntimeMessage(message.message ?? 'unknown error'));
    } finally {
      sync.child.close();
      start.child.close();
      start.parent.close();
      reader.close();
    }
  }

  /**
   * Start a conmon with `pipes` as its descriptors 3, 4, …, its stdout on
   * /dev/null and its stderr in `<dir>/conmon.err`. conmon forks its monitor
   * and exits once released by its start pipe: `exited` settles then,
   * rejecting with what it printed when it failed.
   */
  startConmon(dir: string, args: string[], pipeEnv: Record<string, string>, pipes: number[]): RunningConmon {
    const errFile = `${dir}/conmon.err`;
    const devNull = fs.openSync('/dev/null', 'r+');
    const err = fs.openSync(errFile, 'w');
    let started: StartedProgram;
    try {
      started = startProgram(this.conmonPath, args, { cwd: dir, env: conmonEnv(pipeEnv), fds: [devNull, devNull, err, ...pipes] });
    } finally {
      fs.closeSync(devNull);
      fs.closeSync(err);
    }
    const exited = started.exited.then(async ({ code, signal }) => {
      if (code === 0) return;
      const printed = await fs.promises.readFile(errFile, 'utf8').catch(() => '');
      throw new SystemError(`conmon failed (${code !== undefined ? `exit ${code}` : `signal ${signal}`}): ${printed.trim().slice(-2000)}`);
    });
    // Whoever awaits `exited` sees its failure; an unawaited one must not end the daemon.
    exited.catch(() => undefined);
    return {
      exited,
      kill: () => {
        try {
          process.kill(started.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      },
    };
  }

  async start(id: string): Promise<void> {
    const fifo = path.join(this.paths.runcRoot, id, 'exec.fifo');
    if ((await startThroughExecFifo(fifo, await this.initPid(id))) === 'no-fifo') await this.runc(['start', id]);
  }

  async state(id: string): Promise<RuntimeState | undefined> {
    let stdout: string;
    try {
      ({ stdout } = await this.runc(['state', id]));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    const s = JSON.parse(stdout) as { status?: string; pid?: number };
    const status = STATUSES.has(s.status as RuntimeStatus) ? (s.status as RuntimeStatus) : 'stopped';
    return { status, pid: status === 'stopped' ? 0 : (s.pid ?? 0) };
  }

  async hasState(id: string): Promise<boolean> {
    return fs.promises.access(path.join(this.paths.runcRoot, id, 'state.json')).then(
      () => true,
      () => false,
    );
  }

  initPid(id: string): Promise<number | undefined> {
    return readPidFile(this.paths.pidFile(id));
  }

  async kill(id: string, signal: string | number, all = false): Promise<void> {
    const args = ['kill'];
    if (all) args.push('--all');
    try {
      await this.runc([...args, id, String(signal)]);
    } catch (e) {
      if (isMissing(e)) throw new NotFoundError(`No such container: ${id}`, { cause: e });
      // runc refuses to signal a container whose init already exited: nothing left to kill.
      if (e instanceof ExecFailedError && /not running|process already finished/.test(e.stderr)) return;
      throw e;
    }
  }

  async pause(id: string): Promise<void> {
    await this.runc(['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.runc(['resume', id]);
  }

  async update(id: string, resources: OciResources): Promise<void> {
    // Devices are fixed at create; runc update takes the other limits from JSON on stdin.
    const { devices: _devices, ...rest } = resources;
    await execFile(this.runcPath, [...this.runtimeArgs(), 'update', '--resources', '-', id], { input: JSON.stringify(rest), timeoutMs: 30_000 });
  }

  async delete(id: string, force = false): Promise<void> {
    try {
      await this.runc(force ? ['delete', '--force', id] : ['delete', id]);
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }

  waitExit(id: string, signal?: AbortSignal): Promise<number> {
    return waitExitFile(this.paths.exitFile(id), signal);
  }

  exitCode(id: string): Promise<number | undefined> {
    return readExitFile(this.paths.exitFile(id));
  }

  async attach(id: string): Promise<AttachStreams> {
    return connectAttachSocket(this.paths.bundleLink(id));
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    await writeCtl(`${this.paths.bundleLink(id)}/ctl`, height, width);
  }

  exec(options: ExecOptions, attach: boolean): Promise<{ streams?: AttachStreams; pid: number; exit: Promise<number> }> {
    return runExec(this, options, attach);
  }

  async cleanupExec(containerId: string, execId: string): Promise<void> {
    await fs.promises.rm(this.paths.execDir(containerId, execId), { recursive: true, force: true });
  }

  async resizeExec(containerId: string, execId: string, height: number, width: number): Promise<void> {
    await writeCtl(`${this.paths.execDir(containerId, execId)}/ctl`, height, width);
  }

  async pids(id: string): Promise<number[]> {
    try {
      const { stdout } = await this.runc(['ps', '--format', 'json', id]);
      const list = JSON.parse(stdout) as number[] | null;
      return list ?? [];
    } catch (e) {
      if (isMissing(e)) throw new NotFoundError(`No such container: ${id}`, { cause: e });
      throw e;
    }
  }

  async cleanup(id: string): Promise<void> {
    await fs.promises.rm(this.paths.dir(id), { recursive: true, force: true });
  }

  /** conmon's PID for a container, if recorded (for diagnostics and tests). */
  conmonPid(id: string): Promise<number | undefined> {
    return readPidFile(this.paths.conmonPidFile(id));
  }
}

/** A PID written by runc or conmon (a few bytes on tmpfs, read synchronously); undefined while the file is not there. */
async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isNaN(n) ? undefined : n;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

function isMissing(e: unknown): boolean {
  return e instanceof ExecFailedError && /does not exist|not exist/.test(e.stderr + e.stdout);
}

/**
 * conmon's control fifo (conmon `src/ctrl.c`): `<type> <height> <width>\n`, type 1 = window resize.
 *
 * conmon 2.1.6 (Debian 12's) parses only the first line of what one read
 * brings, as many times as there are lines: two resizes waiting together
 * both apply the first size (a terminal shrunk then widened stays narrow).
 * So writes to one container's fifo go one at a time, each once conmon has
 * drained the previous one from the control fifo and from its own window
 * fifo (`winsz`, beside it).
 */
const ctlQueues = new Map<string, Promise<void>>();

function writeCtl(ctl: string, height: number, width: number): Promise<void> {
  const previous = ctlQueues.get(ctl) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => writeCtlNow(ctl, height, width));
  ctlQueues.set(ctl, next);
  void next.finally(() => {
    if (ctlQueues.get(ctl) === next) ctlQueues.delete(ctl);
  }).catch(() => undefined);
  return next;
}

/** Opens a fifo conmon reads for writing without blocking; undefined when nobody reads it (ENXIO) or it is not there. */
async function openFifo(file: string): Promise<fs.promises.FileHandle | undefined> {
  try {
    return await fs.promises.open(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENXIO')) return undefined;
    throw new SystemError(`resize: ${(e as Error).message}`, { cause: e });
  }
}

async function writeCtlNow(ctl: string, height: number, width: number): Promise<void> {
  const handle = await openFifo(ctl);
  if (!handle) {
    log.debug('resize: no conmon control fifo', { path: ctl });
    throw new NotFoundError(`no control fifo at ${ctl}: the process is not running`);
  }
  const winsz = await openFifo(path.join(path.dirname(ctl), 'winsz'));
  try {
    const pending = () => native().fionread(handle.fd) + (winsz ? native().fionread(winsz.fd) : 0);
    for (let waited = 0; pending() > 0 && waited < 500; waited += 5) await new Promise((r) => setTimeout(r, 5));
    await handle.write(`1 ${height} ${width}\n`);
  } finally {
    await handle.close();
    await winsz?.close();
  }
}
