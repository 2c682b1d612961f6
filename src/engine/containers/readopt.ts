/**
 * Re-adoption of one container after a daemon restart (recovery.ts calls
 * it for every record): its run state taken from the runtime, which
 * outlived the daemon (so did the rootfs mount of a container that ran;
 * any other is mounted when first needed). A container whose process
 * lives is watched again; one whose process ended while no daemon was
 * there is finished with the exit code its monitor recorded.
 */
import type { LifecycleContext } from './lifecycle-context.ts';
import type { ContainerRecord } from './record.ts';
import { isActive, moveTo } from './state-machine.ts';

export interface ReadoptHooks {
  /** Watch a live process for its exit (the container service's watcher). */
  watchExit(record: ContainerRecord): void;
  /** Finish a container whose process ended (the container service's exit handling). */
  finishExit(record: ContainerRecord, code: number): Promise<void>;
}

export async function readoptContainer(ctx: LifecycleContext, record: ContainerRecord, hooks: ReadoptHooks): Promise<void> {
  if (record.state.status === 'restarting') {
    // Its restart timer died with the previous daemon; startByPolicy decides again.
    moveTo(record.state, 'exited');
    await ctx.store.saveState(record);
  }
  if (!isActive(record.state.status)) {
    // A runtime container left from before (prepared for a start that never came) holds processes.
    await ctx.layout.teardown(record.id, 'runtime');
    return;
  }
  const state = await ctx.runtime.state(record.id);
  if (state && (state.status === 'running' || state.status === 'paused')) {
    moveTo(record.state, state.status);
    record.state.pid = state.pid;
    await ctx.store.saveState(record);
    await ctx.resources.readopt(record);
    hooks.watchExit(record);
    ctx.health()?.start(record, { resume: true });
    return;
  }
  await hooks.finishExit(record, (await ctx.runtime.exitCode(record.id)) ?? 255);
}
