/**
 * FakeRuntime: an in-memory RuntimeDriver, FOR TESTS ONLY. Nothing outside
 * `*.test.ts` files and the runtime contract suite may import it (the
 * bundles only hold what is imported, so it never reaches bin/berthd).
 *
 * It models what the lifecycle relies on and `runtime-contract.ts` checks
 * on every driver: created → running ⇄ paused → stopped, exit codes seen by
 * `waitExit`/`exitCode`, signals as PID 1 receives them (ignored without a
 * handler, except SIGKILL; held while paused, except SIGKILL), `delete`/`cleanup`
 * idempotence. Its state lives in a `FakeRuntimeHost`, which plays the exec
 * root: a second `FakeRuntime` over the same host is what a restarted daemon
 * builds, and re-adopts the containers of the first.
 *
 * A test drives it with `exit(id, code)` (the process ends), `program(id, …)`
 * (how it behaves once started), `fail(op, error)` (the next call fails) and
 * reads `calls` (every call, in order). Terminals, log files and cgroups are
 * not modelled: tests of those run on conmon+runc.
 */
import os from 'node:os';
import { PassThrough } from 'node:stream';
import { NotFoundError, SystemError } from '../../util/errors.ts';
import { RuntimeStartError } from './runtime-errors.ts';
import type { OciResources } from './spec/types.ts';
import type { AttachStreams, CreateOptions, ExecOptions, RuntimeDriver, RuntimeState } from './runtime.ts';

export type FakeOperation = Exclude<keyof RuntimeDriver, 'name' | 'commit'>;

export interface FakeCall {
  op: FakeOperation;
  /** The container the call is about. */
  id: string;
  /** The call's other arguments (a signal, `force`, an exec ID…). */
  args: unknown[];
}

/** How a fake container's process behaves once started. */
export interface FakeProgram {
  /** It ends with this code as soon as it is started; absent, it runs until ended. */
  exitAtStart?: number;
  /** Signals (by number) it handles, with the code each handler exits with. */
  traps?: Partial<Record<number, number>>;
  /** Its command is not in the image: create fails as runc's does (exit code 127). */
  notFound?: boolean;
}

interface FakeContainer {
  status: 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
  program: FakeProgram;
  /** Signals sent while paused: a frozen process receives them once thawed. */
  held: number[];
  resources?: OciResources;
  attached: Set<FakeStreams>;
}

interface Injected {
  op: FakeOperation;
  error: Error;
  id?: string;
  times: number;
}

/** The state a fake runtime keeps "on disk": shared by every FakeRuntime built over it. */
export class FakeRuntimeHost {
  readonly calls: FakeCall[] = [];
  /** The runtime's records (runc's state directory). */
  readonly containers = new Map<string, FakeContainer>();
  /** The monitor's files: present from create to cleanup; `code` once the process ended. */
  readonly monitors = new Map<string, { code?: number; initPid: number }>();
  readonly programs = new Map<string, FakeProgram>();
  readonly waiters = new Map<string, Set<(code: number) => void>>();
  readonly execs = new Map<string, { exit: (code: number) => void; streams?: FakeStreams }>();
  readonly injected: Injected[] = [];
  nextPid = 4000;
}

export class FakeRuntime implements RuntimeDriver {
  readonly name = 'fake';
  readonly host: FakeRuntimeHost;

  constructor(host: FakeRuntimeHost = new FakeRuntimeHost()) {
    this.host = host;
  }

  // ---- test controls ------------------------------------------------------

  /** A new driver over the same state: what a daemon restart builds. */
  reopen(): FakeRuntime {
    return new FakeRuntime(this.host);
  }

  get calls(): readonly FakeCall[] {
    return this.host.calls;
  }

  /** The operations called so far, in order, for one container or all. */
  ops(id?: string): FakeOperation[] {
    return this.host.calls.filter((c) => id === undefined || c.id === id).map((c) => c.op);
  }

  /** How `id`'s process behaves once started (before or after create). */
  program(id: string, program: FakeProgram): void {
    this.host.programs.set(id, program);
    const c = this.host.containers.get(id);
    if (c) c.program = program;
  }

  /** The next `times` calls of `op` (for `id`, or any) throw `error`. */
  fail(op: FakeOperation, error: Error = new SystemError(`fake ${op} failed`), options: { id?: string; times?: number } = {}): void {
    this.host.injected.push({ op, error, id: options.id, times: options.times ?? 1 });
  }

  /** The process of `id` ends with `code`, as if it exited by itself. */
  exit(id: string, code: number): void {
    const c = this.host.containers.get(id);
    if (!c || c.status === 'stopped') throw new Error(`fake runtime: ${id} has no live process`);
    this.end(id, c, code);
  }

  /** Output from the container's process, to every attached client. */
  output(id: string, stream: 1 | 2, data: string | Buffer): void {
    for (const s of this.host.containers.get(id)?.attached ?? []) s.emit(stream, Buffer.from(data));
  }

  /** The exec process `execId` ends with `code`. */
  exitExec(execId: string, code: number): void {
    const e = this.host.execs.get(execId);
    if (!e) throw new Error(`fake runtime: no exec ${execId}`);
    this.host.execs.delete(execId);
    e.streams?.end();
    e.exit(code);
  }

  /** The limits last given by `update`. */
  resources(id: string): OciResources | undefined {
    return this.host.containers.get(id)?.resources;
  }

  // ---- RuntimeDriver ------------------------------------------------------

  async create(o: CreateOptions): Promise<void> {
    this.enter('create', o.id, [{ tty: o.tty, openStdin: o.openStdin, stdinOnce: o.stdinOnce }]);
    const program = this.host.programs.get(o.id) ?? {};
    if (this.host.containers.has(o.id)) throw new RuntimeStartError('create', `container with id exists: ${o.id}`);
    // As conmon does, the monitor's files exist while the spec is awaited; a failed spec takes them away.
    const initPid = this.host.nextPid++;
    this.host.monitors.set(o.id, { initPid });
    try {
      await o.spec;
      if (program.notFound) throw new RuntimeStartError('create', 'runc create failed: unable to start container process: exec: "fake": executable file not found in $PATH');
    } catch (err) {
      this.host.monitors.delete(o.id);
      throw err;
    }
    this.host.containers.set(o.id, { status: 'created', pid: initPid, program, held: [], attached: new Set() });
  }

  async start(id: string): Promise<void> {
    this.enter('start', id);
    const c = this.host.containers.get(id);
    if (!c) throw new SystemError(`runc start failed: container ${id} does not exist`);
    if (c.status === 'running' || c.status === 'paused') throw new SystemError('cannot start an already running container');
    if (c.status === 'stopped') throw new SystemError('cannot start a container that has stopped');
    c.status = 'running';
    const code = c.program.exitAtStart;
    // The process runs on its own: its exit is seen after start returns, as a real one's may be.
    if (code !== undefined) setImmediate(() => c.status === 'running' && this.end(id, c, code));
  }

  async state(id: string): Promise<RuntimeState | undefined> {
    this.enter('state', id);
    const c = this.host.containers.get(id);
    if (!c) return undefined;
    return { status: c.status, pid: c.status === 'stopped' ? 0 : c.pid };
  }

  async hasState(id: string): Promise<boolean> {
    this.enter('hasState', id);
    return this.host.containers.has(id);
  }

  async initPid(id: string): Promise<number | undefined> {
    this.enter('initPid', id);
    return this.host.monitors.get(id)?.initPid;
  }

  async kill(id: string, signal: string | number, all = false): Promise<void> {
    this.enter('kill', id, [signal, all]);
    const c = this.host.containers.get(id);
    if (!c) throw new NotFoundError(`No such container: ${id}`);
    const n = signalNumber(signal);
    if (c.status === 'stopped') return;
    // The freezer holds signals until thawed; runc thaws a paused container for SIGKILL.
    if (c.status === 'paused' && n !== 9) c.held.push(n);
    else this.deliver(id, c, n);
  }

  async pause(id: string): Promise<void> {
    this.enter('pause', id);
    const c = this.live(id);
    if (c.status !== 'running') throw new SystemError(`runc pause failed: container not running`);
    c.status = 'paused';
  }

  async resume(id: string): Promise<void> {
    this.enter('resume', id);
    const c = this.live(id);
    if (c.status !== 'paused') throw new SystemError(`runc resume failed: container not paused`);
    c.status = 'running';
    for (const n of c.held.splice(0)) this.deliver(id, c, n);
  }

  async update(id: string, resources: OciResources): Promise<void> {
    this.enter('update', id, [resources]);
    this.live(id).resources = resources;
  }

  async delete(id: string, force = false): Promise<void> {
    this.enter('delete', id, [force]);
    const c = this.host.containers.get(id);
    if (!c) return;
    // runc delete ends a created container by itself; a running or paused one only with --force.
    if ((c.status === 'running' || c.status === 'paused') && !force) {
      throw new SystemError(`cannot delete container ${id} that is not stopped: ${c.status}`);
    }
    if (c.status !== 'stopped') this.end(id, c, 128 + 9);
    this.host.containers.delete(id);
  }

  waitExit(id: string, signal?: AbortSignal): Promise<number> {
    return new Promise((resolve, reject) => {
      this.enter('waitExit', id);
      if (signal?.aborted) return reject(signal.reason);
      const monitor = this.host.monitors.get(id);
      if (!monitor) return reject(new NotFoundError(`no runtime state for ${id}`));
      if (monitor.code !== undefined) return resolve(monitor.code);
      const waiters = this.host.waiters.get(id) ?? new Set();
      this.host.waiters.set(id, waiters);
      const wake = (code: number): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(code);
      };
      const onAbort = (): void => {
        waiters.delete(wake);
        reject(signal?.reason ?? new Error('aborted'));
      };
      waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async exitCode(id: string): Promise<number | undefined> {
    this.enter('exitCode', id);
    return this.host.monitors.get(id)?.code;
  }

  async attach(id: string): Promise<AttachStreams> {
    this.enter('attach', id);
    const c = this.host.containers.get(id);
    if (!c || c.status === 'stopped') throw new SystemError(`attach: ${id} has no live process`);
    const streams = new FakeStreams(() => c.attached.delete(streams));
    c.attached.add(streams);
    return streams;
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    this.enter('resize', id, [height, width]);
    const c = this.host.containers.get(id);
    if (!c || c.status === 'stopped') throw new NotFoundError(`no control fifo for ${id}: the process is not running`);
  }

  async exec(options: ExecOptions, attach: boolean): Promise<{ streams?: AttachStreams; pid: number; exit: Promise<number> }> {
    this.enter('exec', options.containerId, [options.execId, attach]);
    const c = this.host.containers.get(options.containerId);
    if (!c || c.status !== 'running') throw new RuntimeStartError('exec', 'cannot exec in a stopped container');
    const streams = attach ? new FakeStreams(() => undefined) : undefined;
    const exit = new Promise<number>((resolve) => this.host.execs.set(options.execId, { exit: resolve, streams }));
    return { streams, pid: this.host.nextPid++, exit };
  }

  async resizeExec(containerId: string, execId: string, height: number, width: number): Promise<void> {
    this.enter('resizeExec', containerId, [execId, height, width]);
    if (!this.host.execs.has(execId)) throw new NotFoundError(`no control fifo for exec ${execId}: the process is not running`);
  }

  async cleanupExec(containerId: string, execId: string): Promise<void> {
    this.enter('cleanupExec', containerId, [execId]);
  }

  async pids(id: string): Promise<number[]> {
    this.enter('pids', id);
    const c = this.host.containers.get(id);
    if (!c) throw new NotFoundError(`No such container: ${id}`);
    return c.status === 'stopped' ? [] : [c.pid];
  }

  async cleanup(id: string): Promise<void> {
    this.enter('cleanup', id);
    this.host.monitors.delete(id);
  }

  // ---- internals ----------------------------------------------------------

  /** Log the call, then throw what a test injected for it. */
  private enter(op: FakeOperation, id: string, args: unknown[] = []): void {
    this.host.calls.push({ op, id, args });
    const i = this.host.injected.findIndex((f) => f.op === op && (f.id === undefined || f.id === id));
    if (i < 0) return;
    const f = this.host.injected[i]!;
    if (--f.times <= 0) this.host.injected.splice(i, 1);
    throw f.error;
  }

  private live(id: string): FakeContainer {
    const c = this.host.containers.get(id);
    if (!c) throw new SystemError(`container ${id} does not exist`);
    return c;
  }

  /** A signal reaches PID 1: a handler ends it with its code; SIGKILL always ends it; anything else is ignored. */
  private deliver(id: string, c: FakeContainer, n: number): void {
    const trapped = c.program.traps?.[n];
    if (trapped !== undefined) this.end(id, c, trapped);
    else if (n === 9) this.end(id, c, 128 + 9);
  }

  private end(id: string, c: FakeContainer, code: number): void {
    c.status = 'stopped';
    c.held = [];
    for (const s of c.attached) s.end();
    c.attached.clear();
    const monitor = this.host.monitors.get(id);
    if (monitor) monitor.code = code;
    const waiters = this.host.waiters.get(id);
    this.host.waiters.delete(id);
    for (const wake of waiters ?? []) wake(code);
  }
}

/** A signal by name (`TERM`, `SIGTERM`) or number, as runc kill takes it. */
export function signalNumber(signal: string | number): number {
  if (typeof signal === 'number') return signal;
  if (/^\d+$/.test(signal)) return Number(signal);
  const name = signal.toUpperCase().startsWith('SIG') ? signal.toUpperCase() : `SIG${signal.toUpperCase()}`;
  const n = (os.constants.signals as Record<string, number | undefined>)[name];
  if (n === undefined) throw new SystemError(`invalid signal ${signal}`);
  return n;
}

/** Attach streams a test feeds through `FakeRuntime.output`; what the client writes to stdin is kept in `written`. */
class FakeStreams implements AttachStreams {
  readonly stdin = new PassThrough();
  written = '';
  private readonly listeners: Array<(stream: 1 | 2, data: Buffer) => void> = [];
  private readonly endListeners: Array<() => void> = [];
  private ended = false;

  constructor(private readonly detach: () => void) {
    this.stdin.on('data', (d: Buffer) => (this.written += d.toString()));
  }

  onOutput(listener: (stream: 1 | 2, data: Buffer) => void): void {
    this.listeners.push(listener);
  }

  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  emit(stream: 1 | 2, data: Buffer): void {
    for (const l of this.listeners) l(stream, data);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const l of this.endListeners.splice(0)) l();
  }

  closeStdin(): void {
    this.stdin.end();
  }

  close(): void {
    this.detach();
    this.end();
  }
}
