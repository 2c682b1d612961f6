/**
 * Exec sessions: extra processes in a running container. Like dockerd, exec
 * records live in memory only (they end with their container), and an
 * exec's process inherits the container's process settings (capabilities,
 * seccomp, rlimits, environment) with the exec's own command, env, user,
 * workdir and tty on top.
 */
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AttachStreams, RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import type { OciSpec } from '../../drivers/runtime/spec/types.ts';
import { resolveUser } from '../../drivers/runtime/spec/user.ts';
import { readLogs } from '../../drivers/logs/k8s-file.ts';
import { resolveCapabilities } from '../../drivers/runtime/spec/capabilities.ts';
import { ConflictError, InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../util/detach-keys.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ContainerService } from '../containers/container-service.ts';
import type { ContainerRecord } from '../containers/record.ts';
import type { ExecConfig } from '../../wire/exec.ts';

export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  /** null until the process exits. */
  exitCode: number | null;
  pid: number;
  started: boolean;
  /**
   * The client detached from its session: as dockerd, the exec then counts as
   * ended with code 126 (its attach "failed"), though its process runs on.
   */
  detached?: boolean;
}

/**
 * What dockerd writes to the client that detaches from an exec: its attach
 * copier reports the detach keys as a wrapped error, which the exec start
 * does not recognise as a detach and returns as a failure.
 */
const EXEC_DETACHED_MESSAGE = 'exec attach failed: error on attach stdin: read escape sequence';

/** dockerd's exit code of an exec that could not start, or whose attach failed. */
const EXEC_FAILED_CODE = 126;

/** How long an ended exec stays inspectable. */
const ENDED_EXEC_KEPT_MS = 5 * 60_000;

export class ExecService {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(
    private readonly containers: ContainerService,
    private readonly runtime: RuntimeDriver,
    private readonly events: EventsService,
  ) {}

  create(containerRef: string, config: ExecConfig): { Id: string } {
    const container = this.containers.store.resolve(containerRef);
    if (!config.Cmd || config.Cmd.length === 0) throw new InvalidParameterError('No exec command specified');
    if (container.state.status === 'paused') {
      // dockerd names the container as the caller did here (and by ID when it is not running).
      throw new ConflictError(`Container ${containerRef} is paused, unpause the container before exec`);
    }
    if (container.state.status !== 'running') throw new ConflictError(`Container ${container.id} is not running`);
    if (config.DetachKeys) {
      try {
        parseDetachKeys(config.DetachKeys);
      } catch (err) {
        // dockerd's wording and kind (a plain error: 500) differ from attach's here.
        throw new SystemError(`Invalid escape keys (${config.DetachKeys}) provided`, { cause: err });
      }
    }
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, { id, containerId: container.id, config, running: false, exitCode: null, pid: 0, started: false });
    this.events.publish('container', `exec_create: ${execCommandText(config.Cmd)}`, container.id, { ...this.containers.eventAttributes(container), execID: id });
    return { Id: id };
  }

  get(id: string): ExecRecord {
    const exec = this.execs.get(id);
    if (!exec) throw new NotFoundError(`No such exec instance: ${id}`);
    return exec;
  }

  /** The container's execs that have not ended (dockerd drops one from the container's list at its exit; it stays inspectable). */
  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId && e.exitCode === null).map((e) => e.id);
  }

  /**
   * Start the process; when `attach` the caller receives its stdin stream and
   * the path of its output log (read like a container log: the monitor writes
   * it before the exit record, so nothing is lost). Resolves once it runs.
   */
  async start(id: string, options: { attach: boolean; capture?: boolean }): Promise<{ streams?: AttachStreams; exit: Promise<number>; logPath?: string; pid?: number }> {
    const exec = this.get(id);
    if (exec.started) throw new ConflictError(`Error: Exec command ${id} has already run`);
    const container = this.containers.store.resolve(exec.containerId);
    if (container.state.status !== 'running') throw new ConflictError(`Container ${container.id} is not running`);
    exec.started = true;
    try {
      return await this.startStarted(exec, container, options);
    } catch (err) {
      // dockerd: an exec that could not start has run, with exit code 126.
      exec.running = false;
      exec.exitCode = EXEC_FAILED_CODE;
      throw err;
    }
  }

  private async startStarted(
    exec: ExecRecord,
    container: ContainerRecord,
    options: { attach: boolean; capture?: boolean },
  ): Promise<{ streams?: AttachStreams; exit: Promise<number>; logPath?: string; pid?: number }> {
    const id = exec.id;
    const paths = this.containers.paths(container.id);
    const spec = JSON.parse(await fs.readFile(`${paths.bundle}/config.json`, 'utf8')) as OciSpec;
    const base = spec.process!;
    const user = exec.config.User
      ? resolveUser(
          exec.config.User,
          await fs.readFile(`${paths.merged}/etc/passwd`, 'utf8').catch(() => undefined),
          await fs.readFile(`${paths.merged}/etc/group`, 'utf8').catch(() => undefined),
        )
      : undefined;
    // HOME follows the exec's user (runc's rule: from its passwd entry, else /), unless the container set it.
    const containerHome = (container.config.Env ?? []).find((e) => e.startsWith('HOME='));
    const baseEnv = user ? [...(base.env ?? []).filter((e) => !e.startsWith('HOME=')), containerHome ?? `HOME=${user.home}`] : (base.env ?? []);
    const env = mergeEnv(baseEnv, exec.config.Env ?? []);
    // The TTY is the create's: a start request's Tty only frames the stream (as in dockerd).
    const tty = Boolean(exec.config.Tty);
    const process: NonNullable<OciSpec['process']> = {
      ...base,
      terminal: tty,
      args: exec.config.Cmd!,
      env: tty && !env.some((e) => e.startsWith('TERM=')) ? [...env, 'TERM=xterm'] : env,
      cwd: exec.config.WorkingDir || base.cwd || '/',
      ...(user ? { user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids } } : {}),
    };
    if (exec.config.Privileged) {
      // dockerd gives a privileged exec every capability (caps.GetAllCapabilities),
      // whatever the container had; runc refuses those the host itself lacks.
      const all = resolveCapabilities({ privileged: true });
      process.capabilities = { bounding: all, effective: all, permitted: all };
    }
    if (process.consoleSize) delete process.consoleSize;
    // Attached sessions and captured probes read the process's output from a log; detached execs keep none.
    const logPath = options.attach || options.capture ? `${paths.dir}/exec-${id}.log` : '/dev/null';
    const result = await this.runtime.exec(
      { containerId: container.id, execId: id, process, tty, openStdin: Boolean(exec.config.AttachStdin), logPath },
      options.attach,
    );
    exec.running = true;
    exec.pid = result.pid;
    this.events.publish('container', `exec_start: ${execCommandText(exec.config.Cmd!)}`, container.id, { ...this.containers.eventAttributes(container), execID: id });
    const exit = result.exit.then((code) => {
      exec.running = false;
      // A detached exec keeps the code it was given then, as in dockerd (which no longer tracks it).
      if (!exec.detached) exec.exitCode = code;
      this.events.publish('container', 'exec_die', container.id, { ...this.containers.eventAttributes(container), execID: id, exitCode: String(code) });
      // The monitor's files of an ended exec serve nothing more (its output, if kept, is in its own log).
      void this.runtime.cleanupExec(container.id, id).catch(() => undefined);
      // dockerd keeps an ended exec inspectable for a while (its exec GC: 5 to 10 minutes), then forgets it.
      setTimeout(() => this.execs.delete(id), ENDED_EXEC_KEPT_MS).unref();
      return code;
    });
    return { streams: result.streams, exit, logPath: options.attach || options.capture ? logPath : undefined, pid: result.pid };
  }

  /**
   * Run `cmd` in the container as dockerd runs a health probe: an exec
   * (announced like any other) whose output, stdout and stderr together, is
   * kept; killed after `timeoutMs`, which makes it exit code -1.
   */
  async probe(containerId: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const { Id } = this.create(containerId, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    try {
      const started = await this.start(Id, { attach: false, capture: true });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([started.exit, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        if (started.pid) {
          try {
            process.kill(started.pid, 'SIGKILL');
          } catch {
            // It ended in the meantime.
          }
        }
        await started.exit.catch(() => undefined);
        return { exitCode: -1, output: `Health check exceeded timeout (${formatGoDuration(timeoutMs)})` };
      }
      const output = started.logPath ? await readLogText(started.logPath) : '';
      return { exitCode: outcome, output };
    } finally {
      const exec = this.execs.get(Id);
      if (exec) {
        await fs.rm(`${this.containers.paths(exec.containerId).dir}/exec-${Id}.log`, { force: true });
        // A probe runs every few seconds for the container's lifetime: nothing of it may stay behind.
        await this.runtime.cleanupExec(exec.containerId, Id).catch(() => undefined);
      }
      this.execs.delete(Id);
    }
  }

  /**
   * The bytes that detach a client from this exec's session: none unless the
   * exec has a TTY (from its create; a start's Tty only picks the framing),
   * else its DetachKeys or ctrl-p,ctrl-q.
   */
  detachSequence(exec: ExecRecord): number[] {
    return exec.config.Tty ? parseDetachKeys(exec.config.DetachKeys || DEFAULT_DETACH_KEYS) : [];
  }

  /**
   * The client sent the detach keys. dockerd treats that as a failed attach:
   * the exec reads as ended (Running false, exit code 126, gone from the
   * container's ExecIDs) while its process is left running, not killed.
   * Returns what dockerd tells the client before closing the connection.
   */
  detach(id: string): string {
    const exec = this.get(id);
    exec.detached = true;
    exec.running = false;
    exec.exitCode = EXEC_FAILED_CODE;
    return `${EXEC_DETACHED_MESSAGE}\r\n`;
  }

  /** Remove an attached exec's output log once its session is over. */
  async discardOutput(logPath: string): Promise<void> {
    await fs.rm(logPath, { force: true });
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    const exec = this.get(id);
    if (!exec.running) throw new ConflictError(`Exec ${id} is not running`);
    await this.runtime.resizeExec(exec.containerId, id, height, width);
  }

  /** Drop the execs of a removed container. */
  forget(containerId: string): void {
    for (const [id, e] of this.execs) if (e.containerId === containerId) this.execs.delete(id);
  }

  toWire(exec: ExecRecord) {
    const container = this.containers.store.get(exec.containerId);
    return {
      CanRemove: false,
      ContainerID: exec.containerId,
      DetachKeys: exec.config.DetachKeys ?? '',
      ExitCode: exec.exitCode,
      ID: exec.id,
      OpenStderr: Boolean(exec.config.AttachStderr),
      OpenStdin: Boolean(exec.config.AttachStdin),
      OpenStdout: Boolean(exec.config.AttachStdout),
      ProcessConfig: {
        arguments: exec.config.Cmd!.slice(1),
        entrypoint: exec.config.Cmd![0],
        privileged: Boolean(exec.config.Privileged),
        tty: Boolean(exec.config.Tty),
        user: exec.config.User ?? '',
      },
      Running: exec.running,
      Pid: exec.pid,
      ...(container ? {} : {}),
    };
  }
}

function mergeEnv(base: string[], extra: string[]): string[] {
  const key = (e: string) => e.split('=', 1)[0]!;
  const extraKeys = new Set(extra.map(key));
  return [...base.filter((e) => !extraKeys.has(key(e))), ...extra];
}

/** dockerd's wording of an exec's command in its events: the entrypoint, a space, the arguments ("true " alone). */
function execCommandText(cmd: string[]): string {
  return `${cmd[0] ?? ''} ${cmd.slice(1).join(' ')}`;
}

/** Everything a finished process wrote, from its k8s-file log. */
async function readLogText(logPath: string): Promise<string> {
  let text = '';
  for await (const e of readLogs(logPath, { stdout: true, stderr: true, follow: false, signal: new AbortController().signal })) text += e.line.toString('utf8');
  return text;
}

/** Go's time.Duration String() for whole milliseconds ("30s", "1.5s", "500ms", "1m0s"). */
function formatGoDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
