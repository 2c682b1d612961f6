/**
 * The verbs that signal or freeze a container's process: stop, kill,
 * pause, unpause. They change no state by themselves except pause and
 * unpause: an exit that a signal causes is handled by the exit watcher.
 */
import { NotModifiedError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import * as errors from './errors.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import type { ContainerRecord } from './record.ts';
import { checkSignalForLinux, parseSignal } from './signals.ts';
import { isActive, moveTo } from './state-machine.ts';

const DEFAULT_STOP_TIMEOUT = 10;

/**
 * Stop: the stop signal, then SIGKILL after the timeout (none with -1), as
 * dockerd stops. A container waiting to be restarted by its policy is just
 * kept from restarting.
 */
export async function stopContainer(ctx: LifecycleContext, ref: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
  const record = ctx.store.resolve(ref);
  // Under the lock, so a restart already under way finishes first and is then stopped.
  const wasWaiting = await ctx.lock.run(record.id, async () => {
    if (record.state.status !== 'restarting') return false;
    record.manuallyStopped = true;
    moveTo(record.state, 'exited');
    await ctx.store.saveState(record);
    return true;
  });
  if (wasWaiting) return;
  if (!isActive(record.state.status)) throw new NotModifiedError('container already stopped');
  record.manuallyStopped = true;
  const exited = ctx.waiters.nextExit(record.id);
  const number = parseSignal(options.signal || record.config.StopSignal || 'SIGTERM');
  const timeout = options.timeout ?? record.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
  checkSignalForLinux(number);
  await signalContainer(ctx, record, number);
  const stopped = timeout >= 0 && (await settlesWithin(exited, timeout * 1000));
  if (!stopped && ctx.store.get(record.id)?.state.status !== 'exited') {
    await signalContainer(ctx, record, 9).catch((err) => log.warn('SIGKILL failed', { id: record.id, err }));
    await exited;
  }
  ctx.announce(record, 'stop');
}

export async function killContainer(ctx: LifecycleContext, ref: string, signal = 'SIGKILL'): Promise<void> {
  const number = parseSignal(signal);
  try {
    checkSignalForLinux(number);
    const record = ctx.store.resolve(ref);
    if (!isActive(record.state.status)) throw errors.notRunning(record.id);
    if (number === 9) record.manuallyStopped = true;
    await signalContainer(ctx, record, number);
  } catch (err) {
    // dockerd's router words every kill failure after the signal's check this way; the status stays.
    if (err instanceof Error) err.message = `Cannot kill container: ${ref}: ${err.message}`;
    throw err;
  }
}

/**
 * Send a signal; a paused container is thawed afterwards so it can act on
 * it, as dockerd does. Every signal is announced (stop's and rm -f's too),
 * before it is sent so that it precedes the die it may cause.
 */
export async function signalContainer(ctx: LifecycleContext, record: ContainerRecord, signal: number): Promise<void> {
  ctx.announce(record, 'kill', { signal: String(signal) });
  await ctx.runtime.kill(record.id, signal, signal === 9);
  if (record.state.status === 'paused' && (signal === 9 || signal === 15)) {
    await ctx.runtime.resume(record.id).catch(() => undefined);
  }
}

export async function pauseContainer(ctx: LifecycleContext, ref: string): Promise<void> {
  const record = ctx.store.resolve(ref);
  await ctx.lock.run(record.id, async () => {
    if (record.state.status === 'paused') throw errors.alreadyPaused(record.id);
    if (record.state.status !== 'running') throw errors.notRunning(record.id);
    await ctx.runtime.pause(record.id);
    moveTo(record.state, 'paused');
    await ctx.store.saveState(record);
    ctx.announce(record, 'pause');
  });
}

export async function unpauseContainer(ctx: LifecycleContext, ref: string): Promise<void> {
  const record = ctx.store.resolve(ref);
  await ctx.lock.run(record.id, async () => {
    if (record.state.status !== 'paused') throw errors.notPaused(record.id);
    await ctx.runtime.resume(record.id);
    moveTo(record.state, 'running');
    await ctx.store.saveState(record);
    ctx.announce(record, 'unpause');
  });
}

/** Whether `promise` settles within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}
