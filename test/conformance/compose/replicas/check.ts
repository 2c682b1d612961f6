import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  const names = (await c.containers()).map((x) => x.Names[0]).sort();
  assert.deepEqual(names, [`/${c.project}-worker-1`, `/${c.project}-worker-2`]);
  const ps = await c.compose(['ps', '--services']);
  assert.equal(ps.stdout, 'worker\n');
  const q = await c.compose(['ps', '-q']);
  assert.equal(q.stdout.trim().split('\n').length, 2);
  const logs = await c.compose(['logs', '--no-color']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.deepEqual(logs.stdout.split('\n').filter(Boolean).sort(), ['worker-1  | worker up', 'worker-2  | worker up']);
  const tail = await c.compose(['logs', '--no-color', '--tail', '1', '-t', 'worker']);
  assert.equal(tail.stdout.split('\n').filter(Boolean).length, 2);
  assert.match(tail.stdout, /^worker-\d  \| \d{4}-\d\d-\d\dT\S+ worker up$/m);
  const scaled = await c.compose(['up', '-d', '--scale', 'worker=1']);
  assert.equal(scaled.code, 0, scaled.stderr);
  assert.deepEqual((await c.containers()).map((x) => x.Names[0]), [`/${c.project}-worker-1`]);
};
