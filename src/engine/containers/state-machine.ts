/**
 * The container state machine: Docker's seven states, the moves between
 * them, and the waiters woken by exits and removals. Pure: no I/O, no
 * runtime; the container service decides when a move happens, persists it
 * and announces it.
 *
 *                 ┌──────── start ────────┐
 *   create ─▶ created ─start─▶ running ⇄ paused
 *                 │             │  ▲        │
 *                 │        exit │  │ start  │ exit (a kill thaws it)
 *                 │             ▼  │        │
 *                 │           exited ◀──────┘
 *                 │          ▲  │  ▲
 *                 │ stop /   │  │  │ exit under a restart policy
 *                 │ failed   │  ▼  │
 *                 │ restart restarting ─start─▶ running
 *                 ▼
 *   (created, exited, restarting, dead) ─rm─▶ removing ─▶ gone
 *                                                 │ the removal failed
 *                                                 ▼
 *                                               dead
 *
 * A failed start leaves a container where it was (created or exited) with
 * the error and exit code recorded; that is no move. A running container
 * is removed (rm -f) by killing it: it exits first, then is removed.
 */
import type { ContainerStatus } from './record.ts';

export type { ContainerStatus };

/** Every allowed move, from → to. A state "moving" to itself is always allowed (a no-op). */
export const TRANSITIONS: Readonly<Record<ContainerStatus, readonly ContainerStatus[]>> = {
  created: ['running', 'removing'],
  running: ['paused', 'exited'],
  paused: ['running', 'exited'],
  exited: ['running', 'restarting', 'removing'],
  restarting: ['running', 'exited', 'removing'],
  removing: ['dead'],
  dead: ['removing'],
};

export function canMove(from: ContainerStatus, to: ContainerStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** A move the lifecycle never makes: a bug in the caller, not a user's mistake. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: ContainerStatus,
    readonly to: ContainerStatus,
  ) {
    super(`illegal container state transition: ${from} -> ${to}`);
  }
}

/** Move `state` to `to`, or throw IllegalTransitionError. */
export function moveTo<S extends { status: ContainerStatus }>(state: S, to: ContainerStatus): S {
  if (!canMove(state.status, to)) throw new IllegalTransitionError(state.status, to);
  state.status = to;
  return state;
}

/** Whether a process of the container lives: it runs or is frozen (Docker's `State.Running`, paused included). */
export function isActive(status: ContainerStatus): boolean {
  return status === 'running' || status === 'paused';
}

/**
 * Callers waiting for a container's next exit (`docker wait`, `rm -f`, a
 * stop's timeout, a log follower) or its removal (`wait --condition
 * removed`). Each wake calls every waiter once and forgets them.
 */
export class Waiters {
  private readonly exits = new Map<string, Array<(code: number) => void>>();
  private readonly removals = new Map<string, Array<() => void>>();

  /** Resolves with the exit code of the container's next exit (or failed start, or removal). */
  nextExit(id: string): Promise<number> {
    return new Promise((resolve) => push(this.exits, id, resolve));
  }

  /** Resolves when the container is removed; rejects with `onAbort()` when `signal` aborts first. */
  removal(id: string, signal?: AbortSignal, onAbort: () => Error = () => new Error('aborted')): Promise<void> {
    return new Promise((resolve, reject) => {
      push(this.removals, id, resolve);
      signal?.addEventListener('abort', () => reject(onAbort()), { once: true });
    });
  }

  exited(id: string, code: number): void {
    wake(this.exits, id, code);
  }

  removed(id: string, lastExitCode: number): void {
    // Anyone still waiting for an exit of a container that is now gone is released too.
    wake(this.exits, id, lastExitCode);
    wake(this.removals, id, undefined);
  }

  /** How many callers wait on `id` (for tests). */
  count(id: string): number {
    return (this.exits.get(id)?.length ?? 0) + (this.removals.get(id)?.length ?? 0);
  }
}

function push<T>(map: Map<string, Array<(value: T) => void>>, id: string, fn: (value: T) => void): void {
  const list = map.get(id) ?? [];
  list.push(fn);
  map.set(id, list);
}

function wake<T>(map: Map<string, Array<(value: T) => void>>, id: string, value: T): void {
  const list = map.get(id);
  map.delete(id);
  for (const fn of list ?? []) fn(value);
}
