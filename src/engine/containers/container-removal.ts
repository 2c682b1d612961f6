/**
 * Removal: the `rm` verb, auto-removal at exit, and the release of what a
 * removed container held. A removal is answered once the record is gone;
 * the resources, the runtime's record, the rootfs mount and the directory
 * are released after it, in the background (`released()` waits for that,
 * and an interrupted release is finished at the next daemon start, which
 * sweeps directories without a record).
 */
import { log } from '../../util/log.ts';
import * as errors from './errors.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import { ZERO_TIME, type ContainerRecord } from './record.ts';
import { signalContainer } from './container-signals.ts';
import { isActive, moveTo } from './state-machine.ts';

export class ContainerRemoval {
  /** Releases of removed containers still under way. */
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly ctx: LifecycleContext) {}

  /**
   * Remove a container. One that runs (or waits to be restarted) is refused
   * without `force`, as dockerd refuses it; with it, the process is killed
   * and the removal follows its exit.
   */
  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { ctx } = this;
    const record = ctx.store.resolve(ref);
    const status = record.state.status;
    if (status === 'removing') throw errors.removalInProgress(record.id);
    if ((isActive(status) || status === 'restarting') && !options.force) {
      throw status === 'paused' ? errors.removePaused(record.id) : status === 'restarting' ? errors.removeRestarting(record.id) : errors.removeRunning(record.id);
    }
    record.manuallyStopped = true; // a restart by policy still pending does nothing
    for (;;) {
      if (isActive(record.state.status)) {
        record.hostConfig.AutoRemove = false; // this call removes it; the exit handler must not race us
        const exited = ctx.waiters.nextExit(record.id);
        await signalContainer(ctx, record, 9);
        await exited;
      }
      // A restart already under way may have started it again in between: then it is killed again.
      const removed = await ctx.lock.run(record.id, async () => {
        if (isActive(record.state.status)) return false;
        await this.removeLocked(record, { volumes: Boolean(options.volumes) });
        return true;
      });
      if (removed) return;
    }
  }

  /**
   * Remove a container that does not run. Call under its lock.
   * `exited`: its process just ended and its process side (runtime
   * container, resources' exit) is still to be torn down, as at an
   * auto-removal: the release does that first, after the answer.
   * `volumes`: its anonymous volumes go too (`rm -v`, and an auto-removal).
   */
  async removeLocked(record: ContainerRecord, options: { exited?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { ctx } = this;
    if (!ctx.store.get(record.id) || record.state.status === 'removing') return;
    ctx.health()?.stop(record.id);
    if (record.state.startedAt === ZERO_TIME) ctx.pool.noteOutcome(false);
    moveTo(record.state, 'removing');
    ctx.attach.closePending(record.id);
    try {
      // The record goes first: once it is gone the container is gone, and
      // whatever a crash leaves behind is swept as an orphan at the next start.
      await ctx.store.removeRecordFile(record.id);
    } catch (err) {
      // dockerd marks a container whose removal failed as dead; rm can be tried again.
      moveTo(record.state, 'dead');
      await ctx.store.saveState(record).catch(() => undefined);
      throw err;
    }
    ctx.store.drop(record);
    // Its volumes released (the anonymous ones removed with -v) before the answer, as dockerd does.
    const released = ctx.resources.removed(record, { volumes: Boolean(options.volumes) });
    if (released) await released;
    this.release(record, Boolean(options.exited));
    ctx.announce(record, 'destroy');
    ctx.waiters.removed(record.id, record.state.exitCode);
  }

  /** In the background, under the container's lock: its resources told, then everything it held torn down (`released()` waits). */
  private release(record: ContainerRecord, exited: boolean): void {
    const job = this.ctx.lock
      .run(record.id, async () => {
        // A runtime container still being prepared is waited for and given up
        // first: its preparation may be setting up resources (a sandbox) that
        // the resources' hooks below must then see.
        await this.ctx.pool.discard(record.id);
        if (exited) await this.ctx.resources.exit(record);
        await this.ctx.resources.remove(record);
        await this.releaseNow(record.id);
      })
      .catch((err) => log.warn('could not release a removed container', { id: record.id, err }))
      .finally(() => this.releasing.delete(job));
    this.releasing.add(job);
  }

  /** Tear down everything of a container without a record (removed, or a crash's leftover). */
  async releaseNow(id: string): Promise<void> {
    await this.ctx.pool.discard(id);
    await this.ctx.layout.teardown(id, 'all');
  }

  /** Resolves once every removed container's mount and files are gone. */
  async released(): Promise<void> {
    while (this.releasing.size > 0) await Promise.all([...this.releasing]);
  }
}
