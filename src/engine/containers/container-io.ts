/**
 * A container's streams: logs, attach, stats, wait, and the TTY size. Each
 * operation resolves the container before anything else, so an unknown one
 * fails (404) before the caller commits to a reply, and hands back what
 * the caller streams: log entries, stdin, stats samples, a pending result.
 */
import { promises as fs } from 'node:fs';
import type { AttachStreams, RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { readLogs, type LogEntry } from '../../drivers/logs/k8s-file.ts';
import type { ContainerStats as StatsDocument } from '../../wire/stats.ts';
import type { ContainerWaitResponse, WaitCondition } from '../../wire/container.ts';
import { InvalidParameterError, NotImplementedError } from '../../util/errors.ts';
import { parseTimeOption } from '../../util/timestamp.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ContainerData } from './container-data.ts';
import type { ContainerService } from './container-service.ts';
import { notRunning } from './errors.ts';
import { logDetails } from './log-attrs.ts';
import { isActive } from './state-machine.ts';

/** How often a stats stream samples, as dockerd's collector does. */
export const STATS_INTERVAL_MS = 1000;

export interface LogsOptions {
  stdout: boolean;
  stderr: boolean;
  /** Docker time values (unix seconds, a duration back from now, a date); absent or empty: no bound. */
  since?: string;
  until?: string;
  tail: number | 'all';
  follow: boolean;
  /** Add the log attributes (`--details`) to each line. */
  details: boolean;
  signal: AbortSignal;
}

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** Replay the log from its start (`logs=1`). */
  logs: boolean;
  /** Follow output as it comes (`stream=1`). */
  stream: boolean;
  /** Ends the session: stops the log reader and a stdin attach still waiting for a start. */
  signal: AbortSignal;
}

export interface AttachSession {
  tty: boolean;
  /** The container's output, from the log (complete by construction: the monitor writes it before it records the exit). */
  output: AsyncGenerator<LogEntry>;
  /** The process's stdin (resolves when the container starts, for an attach made before start); absent without stdin. */
  stdin?: Promise<AttachStreams | undefined>;
}


export class ContainerIO {
  constructor(
    private readonly containers: ContainerService,
    private readonly data: ContainerData,
    private readonly runtime: RuntimeDriver,
    private readonly events: EventsService,
  ) {}

  /** A container's log entries; a follow ends when the container stops. */
  logs(ref: string, options: LogsOptions): { tty: boolean; details?: string; entries: AsyncGenerator<LogEntry> } {
    const record = this.containers.store.resolve(ref);
    if (!options.stdout && !options.stderr) throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
    if (record.hostConfig.LogConfig?.Type === 'none') throw new NotImplementedError('configured logging driver does not support reading');
    const now = Date.now();
    // 0 is the docker CLI's "not given".
    const seconds = (ms: number | undefined) => (ms === undefined || ms === 0 ? undefined : ms / 1000);
    const since = seconds(parseTimeOption(options.since, now));
    const until = seconds(parseTimeOption(options.until, now));
    const details = options.details ? logDetails(record) : undefined;
    const entries = readLogs(this.containers.paths(record.id).log, {
      stdout: options.stdout,
      stderr: options.stderr,
      since,
      until,
      tail: options.tail,
      follow: options.follow,
      signal: options.signal,
      stopped: this.containers.whenStopped(record.id),
    });
    return { tty: Boolean(record.config.Tty), details, entries };
  }

  /**
   * Attach to a container, running or not yet started (`docker run` attaches
   * first). The output comes from the log, from its current end (or its start
   * with `logs`), followed until the container's next exit; the offset is
   * taken here, before the caller answers the client, so the output of a
   * start the client sends next is never missed. Announces the attach.
   */
  async attach(ref: string, options: AttachOptions): Promise<AttachSession> {
    const record = this.containers.store.resolve(ref);
    if (!options.stream && !options.logs) throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
    // `docker run` and `docker start -a` attach before they start the container.
    if (options.stream) this.containers.anticipateStart(record.id);
    const running = isActive(record.state.status);
    const log = this.containers.paths(record.id).log;
    const offset = options.logs ? 0 : await fs.stat(log).then((s) => s.size, () => 0);
    const output = readLogs(log, {
      stdout: options.stdout,
      stderr: options.stderr,
      signal: options.signal,
      // Without stream=1 only the past is sent (attach ?logs=1 alone).
      follow: options.stream,
      offset,
      stopped: this.containers.nextExitOf(record.id),
    });
    this.events.publish('container', 'attach', record.id, this.containers.eventAttributes(record));
    // A stdin that cannot be connected (the container went away) leaves an output-only session.
    const stdin = options.stdin ? this.containers.attach.attach(record.id, running, options.signal).catch(() => undefined) : undefined;
    return { tty: Boolean(record.config.Tty), output, stdin };
  }

  /** Set the TTY size of a running container's process. */
  async resize(ref: string, height: number, width: number): Promise<void> {
    const record = this.containers.store.resolve(ref);
    if (record.state.status !== 'running') throw notRunning(record.id);
    await this.runtime.resize(record.id, height, width);
  }

  /**
   * One stats document. Like dockerd, a running container's sample (unless
   * `oneShot`) is taken one interval after a first one, which it carries as
   * precpu/preread so CPU % can be computed.
   */
  async stats(ref: string, options: { oneShot: boolean; signal: AbortSignal }): Promise<StatsDocument> {
    const first = await this.data.stats(ref);
    if (options.oneShot || !this.data.isRunning(ref)) return first;
    await sleep(STATS_INTERVAL_MS, options.signal);
    return this.data.stats(ref, first);
  }

  /**
   * Stats samples, one at once and then one per interval while the container
   * runs, each carrying the one before; ends when the container stops or
   * `signal` aborts. The first `next()` fails for an unknown container.
   */
  async *statsStream(ref: string, signal: AbortSignal): AsyncGenerator<StatsDocument> {
    let previous = await this.data.stats(ref);
    yield previous;
    while (!signal.aborted && this.data.isRunning(ref)) {
      await sleep(STATS_INTERVAL_MS, signal);
      if (signal.aborted) break;
      previous = await this.data.stats(ref, previous);
      yield previous;
    }
  }

  /**
   * Wait for a condition. The container is resolved now (an unknown one
   * throws here), so the caller can answer its headers before the wait,
   * which may be long: clients start waiting before they start the container.
   */
  wait(ref: string, condition: WaitCondition, signal: AbortSignal): { result: Promise<ContainerWaitResponse> } {
    const record = this.containers.store.resolve(ref);
    // `docker run` waits for the next exit (or the removal) before it starts the container.
    if (condition !== 'not-running') this.containers.anticipateStart(record.id);
    return { result: this.containers.wait(record.id, condition, signal) };
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
