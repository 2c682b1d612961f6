import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canMove, IllegalTransitionError, isActive, moveTo, TRANSITIONS, Waiters, type ContainerStatus } from './state-machine.ts';

const STATES: ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** Every move the lifecycle makes, and what makes it. Anything not listed here is refused. */
const ALLOWED: Array<[ContainerStatus, ContainerStatus, string]> = [
  ['created', 'running', 'start'],
  ['created', 'removing', 'rm'],
  ['running', 'paused', 'pause'],
  ['running', 'exited', 'the process ends (exit, stop, kill)'],
  ['paused', 'running', 'unpause'],
  ['paused', 'exited', 'kill of a frozen process (it is thawed to die)'],
  ['exited', 'running', 'start again'],
  ['exited', 'restarting', 'exit under a restart policy'],
  ['exited', 'removing', 'rm, or auto-remove at exit'],
  ['restarting', 'running', 'the restart by policy'],
  ['restarting', 'exited', 'stop while waiting, a failed restart, a daemon restart'],
  ['restarting', 'removing', 'rm -f while waiting'],
  ['removing', 'dead', 'the removal failed'],
  ['dead', 'removing', 'rm again'],
];

test('the state table allows exactly the listed moves, and staying put', () => {
  const allowed = new Set(ALLOWED.map(([from, to]) => `${from}->${to}`));
  for (const from of STATES) {
    for (const to of STATES) {
      const want = from === to || allowed.has(`${from}->${to}`);
      assert.equal(canMove(from, to), want, `${from} -> ${to}`);
    }
  }
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...STATES].sort());
});

test('moveTo changes the status of a legal move and throws on any other', () => {
  for (const [from, to, why] of ALLOWED) assert.equal(moveTo({ status: from }, to).status, to, why);
  const state = { status: 'created' as ContainerStatus };
  assert.throws(() => moveTo(state, 'paused'), IllegalTransitionError);
  assert.equal(state.status, 'created', 'a refused move leaves the state as it was');
  assert.throws(() => moveTo({ status: 'removing' }, 'running'), /illegal container state transition: removing -> running/);
});

test('only running and paused containers are active', () => {
  assert.deepEqual(STATES.filter(isActive), ['running', 'paused']);
});

test('exit waiters are woken once with the code; later waiters wait for the next exit', async () => {
  const w = new Waiters();
  const first = w.nextExit('a');
  const second = w.nextExit('a');
  const other = w.nextExit('b');
  assert.equal(w.count('a'), 2);
  w.exited('a', 3);
  assert.deepEqual(await Promise.all([first, second]), [3, 3]);
  assert.equal(w.count('a'), 0);
  const next = w.nextExit('a');
  w.exited('a', 0);
  assert.equal(await next, 0);
  w.exited('b', 137);
  assert.equal(await other, 137);
});

test('a removal wakes removal waiters and any exit waiter left, with the last exit code', async () => {
  const w = new Waiters();
  const exit = w.nextExit('a');
  const removal = w.removal('a');
  w.removed('a', 7);
  assert.equal(await exit, 7);
  await removal;
  assert.equal(w.count('a'), 0);
});

test('a removal waiter whose signal aborts is rejected with the given error', async () => {
  const w = new Waiters();
  const controller = new AbortController();
  const waiting = w.removal('a', controller.signal, () => new Error('client went away'));
  controller.abort();
  await assert.rejects(waiting, /client went away/);
});
