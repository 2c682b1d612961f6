/**
 * The runtime driver contract: a thin driver over an OCI runtime and its
 * monitor, with no state logic of its own (the container service owns state).
 *
 * Vocabulary and lifecycle:
 * - A *bundle* is a directory holding `config.json` (the OCI runtime spec);
 *   its `root.path` is an already-mounted root filesystem.
 * - `create` launches the monitor (conmon) which runs `runc create`; the
 *   container then exists in state "created" and its init process waits.
 *   `start` lets it run. The monitor outlives the daemon: it holds stdio,
 *   writes the log, and writes the exit code to the exit file when the
 *   container's init ends. A restarted daemon re-adopts a container from
 *   `state` plus the exit file.
 * - `delete` removes the runtime's record (after exit, or with force).
 * - Paths for one container live under `<execRoot>/containers/<id>/`.
 */
import type { OciResources, OciSpec } from './spec/types.ts';

export type RuntimeStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuntimeState {
  status: RuntimeStatus;
  /** Host PID of the container's init; 0 when not running. */
  pid: number;
}

export interface CreateOptions {
  id: string;
  bundle: string;
  /**
   * The spec, or a promise of it: the monitor is started at once and runs
   * the runtime once the spec is written, so its own start-up overlaps
   * whatever the spec still waits for (the rootfs mount, /etc files).
   */
  spec: OciSpec | Promise<OciSpec>;
  /** Host path of the log file (conmon k8s-file format). */
  logPath: string;
  /** The size in bytes at which the log file is replaced by an empty one (no limit when absent). */
  logSizeMax?: number;
  /** Allocate a TTY (spec.process.terminal is true). */
  tty: boolean;
  /** Keep the container's stdin open for attach. */
  openStdin: boolean;
  /** Close stdin after the first attach disconnects. */
  stdinOnce: boolean;
}

/** A live stdio connection to a container or exec process (via conmon's attach socket). */
export interface AttachStreams {
  /** Data written here reaches the process's stdin (when it was opened). */
  stdin: NodeJS.WritableStream;
  /** Output from the process: stream 1 = stdout, 2 = stderr (a TTY sends everything as 1). */
  onOutput(listener: (stream: 1 | 2, data: Buffer) => void): void;
  /** Called once when the output side ends (process exited or socket closed). */
  onEnd(listener: () => void): void;
  /** Half-close stdin (EOF for the process). */
  closeStdin(): void;
  close(): void;
}

export interface ExecOptions {
  containerId: string;
  execId: string;
  /** The OCI process object (args, env, cwd, user, terminal, capabilities…). */
  process: OciSpec['process'];
  tty: boolean;
  openStdin: boolean;
  /** Log file path for this exec's output when detached (may be /dev/null). */
  logPath: string;
}

export interface RuntimeDriver {
  readonly name: string;
  /** The runtime's build, as `docker info` shows it ("runc version: …"); '' when unknown. */
  commit?(): Promise<string>;
  create(options: CreateOptions): Promise<void>;
  start(id: string): Promise<void>;
  state(id: string): Promise<RuntimeState | undefined>;
  /** Whether the runtime holds a record of `id` (cheap: no process is spawned). */
  hasState(id: string): Promise<boolean>;
  /** Host PID of a created container's init, as the runtime recorded it at create (cheap). */
  initPid(id: string): Promise<number | undefined>;
  kill(id: string, signal: string | number, all?: boolean): Promise<void>;
  pause(id: string): Promise<void>;
  /** Change a live container's cgroup limits (`runc update`). */
  update(id: string, resources: OciResources): Promise<void>;
  resume(id: string): Promise<void>;
  delete(id: string, force?: boolean): Promise<void>;
  /** Resolves with the exit code when the container's init ends (reads the monitor's exit file; works after a daemon restart). */
  waitExit(id: string, signal?: AbortSignal): Promise<number>;
  /** The exit code if already recorded, else undefined. */
  exitCode(id: string): Promise<number | undefined>;
  attach(id: string): Promise<AttachStreams>;
  resize(id: string, height: number, width: number): Promise<void>;
  /** Start an exec process; returns its attach streams (if attached) and a promise of its exit code. */
  exec(options: ExecOptions, attach: boolean): Promise<{ streams?: AttachStreams; pid: number; exit: Promise<number> }>;
  resizeExec(containerId: string, execId: string, height: number, width: number): Promise<void>;
  /** Remove what an exec that has ended left in the monitor's files (health probes run every few seconds). */
  cleanupExec(containerId: string, execId: string): Promise<void>;
  /** PIDs of every process in the container (runc ps). */
  pids(id: string): Promise<number[]>;
  /** Remove monitor files for a container (after delete). */
  cleanup(id: string): Promise<void>;
}
