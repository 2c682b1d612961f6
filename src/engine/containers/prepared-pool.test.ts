import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canPrepare, PreparedPool } from './prepared-pool.ts';

function pool(): PreparedPool {
  return new PreparedPool({ max: 4, idleMs: 10_000, make: async () => undefined, tearDown: async () => undefined, locked: (_id, fn) => fn() });
}

test('starts are expected at first, and while at least half of the last 8 created containers were started', () => {
  const p = pool();
  assert.equal(p.startsExpected(), true, 'nothing known yet: as docker run');
  p.noteOutcome(false);
  assert.equal(p.startsExpected(), false, 'one container removed unstarted');
  p.noteOutcome(true);
  assert.equal(p.startsExpected(), true, 'one of two started');
  for (let i = 0; i < 8; i++) p.noteOutcome(false);
  assert.equal(p.startsExpected(), false);
  for (let i = 0; i < 3; i++) p.noteOutcome(true);
  assert.equal(p.startsExpected(), false, '3 of the last 8');
  p.noteOutcome(true);
  assert.equal(p.startsExpected(), true, '4 of the last 8: older outcomes are forgotten');
});

test('containers joining another one\'s namespaces are never prepared', () => {
  assert.equal(canPrepare({}), true);
  assert.equal(canPrepare({ NetworkMode: 'container:web' }), false);
  assert.equal(canPrepare({ IpcMode: 'container:web' }), false);
  assert.equal(canPrepare({ PidMode: 'container:web' }), false);
  assert.equal(canPrepare({ NetworkMode: 'host', IpcMode: 'shareable' }), true);
});
