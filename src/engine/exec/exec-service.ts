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
import { resolveCapabilities } from '../../drivers/runtime/spec/capabilities.ts';
import { ConflictError, InvalidParameterError, NotFoundError } from '../../util/errors.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ContainerService } from '../containers/container-service.ts';
import type { ContainerRecord } from '../containers/record.ts';

export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
  Env?: string[] | null;
  Cmd?: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  /** null until the process exits. */
  exitCode: number | null;
  pid: number;
  started: boolean;
}

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

  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId).map((e) => e.id);
  }

  /** Start the process; when `attach` the caller receives its streams. Resolves once it runs. */
  /**
   * Start the process; when `attach` the caller receives its stdin stream and
   * the path of its output log (read like a container log: the monitor writes
   * it before the exit record, so nothing is lost). Resolves once it runs.
   */
  async start(id: string, options: { attach: boolean; tty?: boolean }): Promise<{ streams?: AttachStreams; exit: Promise<number>; logPath?: string }> {
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
      exec.exitCode = 126;
      throw err;
    }
  }

  private async startStarted(
    exec: ExecRecord,
    container: ContainerRecord,
    options: { attach: boolean; tty?: boolean },
  ): Promise<{ streams?: AttachStreams; exit: Promise<number>; logPath?: string }> {
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
    const env = mergeEnv(base.env ?? [], exec.config.Env ?? []);
    const tty = Boolean(options.tty ?? exec.config.Tty);
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
    const logPath = options.attach ? `${paths.dir}/exec-${id}.log` : '/dev/null';
    const result = await this.runtime.exec(
      { containerId: container.id, execId: id, process, tty, openStdin: Boolean(exec.config.AttachStdin), logPath },
      options.attach,
    );
    exec.running = true;
    exec.pid = result.pid;
    this.events.publish('container', `exec_start: ${execCommandText(exec.config.Cmd!)}`, container.id, { ...this.containers.eventAttributes(container), execID: id });
    const exit = result.exit.then((code) => {
      exec.running = false;
      exec.exitCode = code;
      this.events.publish('container', 'exec_die', container.id, { ...this.containers.eventAttributes(container), execID: id, exitCode: String(code) });
      return code;
    });
    return { streams: result.streams, exit, logPath: options.attach ? logPath : undefined };
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
