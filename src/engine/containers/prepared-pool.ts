/**
 * Runtime containers made ahead of their start.
 *
 * Creating the runtime container (runc create under conmon) is most of a
 * start's cost. `docker run` sends create, then attach and wait, then
 * start; so the runtime container is made in the background right at
 * create when starts have followed recent creates (`startsExpected`), else
 * once a client attaches or waits (`anticipate`), and the start that
 * follows finds it ready or nearly so. A workload of containers created and
 * removed without a start thus costs no runc work for them. Its
 * process is not running: it waits in runc's init until started. A
 * prepared container that is not started soon, is removed, or whose rootfs
 * or settings change (`docker cp`, which may change /etc/passwd or the
 * working directory the spec was made from; `docker update`) is given up,
 * and its start takes the ordinary path. At most `max` exist at once.
 *
 * Making and tearing down runtime containers is the caller's (`make`,
 * `tearDown`); the pool decides which containers are prepared, keeps the
 * entries and gives idle ones up under the container's lock.
 */
import type { HostConfig } from '../../wire/container-config.ts';
import { log } from '../../util/log.ts';
import type { ContainerRecord } from './record.ts';
import { joinsOtherNetwork } from './network-resource.ts';
import { joinsOtherNamespaces } from './runtime-spec.ts';

/** How many runtime containers are prepared at most at once, and how long one waits for its start. */
export const PREPARED_LIMITS = { max: 4, idleMs: 10_000 } as const;

export interface PreparedPoolOptions {
  max: number;
  /** How long a prepared container waits for its start before it is given up. */
  idleMs: number;
  /** Make the runtime container; `laidOut` is the rootfs mount and /etc files, still being made. */
  make(record: ContainerRecord, laidOut: Promise<unknown>): Promise<void>;
  /** Tear down the process side of a runtime container given up (or never finished). */
  tearDown(id: string): Promise<void>;
  /** Run `fn` under the container's lock (an idle timeout gives up under it). */
  locked(id: string, fn: () => Promise<void>): Promise<void>;
}

/** Whether a container can be prepared: joining another container's namespaces needs that one's process at start time. */
export function canPrepare(h: Pick<HostConfig, 'NetworkMode' | 'IpcMode' | 'PidMode'>): boolean {
  return !joinsOtherNetwork(h) && !joinsOtherNamespaces(h);
}

/** How many recent creates `startsExpected` looks back on. */
const OUTCOME_WINDOW = 8;

export class PreparedPool {
  /** Each entry's `ready` resolves true once its runtime container exists, false if making it failed. */
  private readonly entries = new Map<string, { ready: Promise<boolean>; timer: NodeJS.Timeout }>();
  /** What became of recent created containers: started (true) or removed unstarted (false), newest last. */
  private readonly outcomes: boolean[] = [];

  constructor(private readonly o: PreparedPoolOptions) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** A created container was started (true), or removed without a start (false). */
  noteOutcome(started: boolean): void {
    this.outcomes.push(started);
    if (this.outcomes.length > OUTCOME_WINDOW) this.outcomes.shift();
  }

  /**
   * Whether to make a new container's runtime container right at its
   * create: when at least half of the recent created containers were
   * started (or none is known yet). A workload that creates and removes
   * containers unstarted (`docker create`, SDK test suites) then pays no
   * runc work for them, and `docker run` keeps its head start.
   */
  startsExpected(): boolean {
    return this.outcomes.filter(Boolean).length * 2 >= this.outcomes.length;
  }

  /**
   * A start is coming (the client attached, or waits for the next exit): make
   * the runtime container now, under the container's lock, if it is not
   * running and has none being made.
   */
  anticipate(record: ContainerRecord, laidOut: () => Promise<unknown>): void {
    void this.o.locked(record.id, async () => {
      if (this.entries.has(record.id) || (record.state.status !== 'created' && record.state.status !== 'exited')) return;
      this.prepare(record, laidOut());
    });
  }

  /** Start making the runtime container, if it can be prepared and there is room. `laidOut`: its rootfs mount, maybe still being made. */
  prepare(record: ContainerRecord, laidOut: Promise<unknown>): void {
    if (this.entries.size >= this.o.max || !canPrepare(record.hostConfig)) return;
    const id = record.id;
    const ready = this.o.make(record, laidOut).then(
      () => true,
      (err) => {
        log.debug('could not prepare the runtime container; the start will try again', { id, err });
        return false;
      },
    );
    const timer = setTimeout(() => void this.o.locked(id, () => this.discard(id)), this.o.idleMs);
    timer.unref();
    this.entries.set(id, { ready, timer });
  }

  /** Claim the prepared runtime container for a start: true when it is there and ready (a failed one is cleaned up). */
  async take(id: string): Promise<boolean> {
    const ready = this.remove(id);
    if (!ready) return false;
    if (await ready) return true;
    await this.o.tearDown(id);
    return false;
  }

  /** Give up the prepared runtime container, if any. Call under the container's lock. */
  async discard(id: string): Promise<void> {
    const ready = this.remove(id);
    if (!ready) return;
    await ready;
    await this.o.tearDown(id);
  }

  /** Give up every prepared runtime container (the daemon is stopping). */
  async discardAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.o.locked(id, () => this.discard(id))));
  }

  private remove(id: string): Promise<boolean> | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    return entry.ready;
  }
}
