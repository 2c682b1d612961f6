import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allSettledOrThrow } from './settle.ts';

test('allSettledOrThrow answers the values in order', async () => {
  assert.deepEqual(await allSettledOrThrow([Promise.resolve(1), 'two', new Promise((r) => setTimeout(() => r(3), 5))] as const), [1, 'two', 3]);
});

test('allSettledOrThrow throws the first failure only once the slower parts have finished', async () => {
  let slowDone = false;
  const slow = new Promise((r) => setTimeout(() => {
    slowDone = true;
    r('late');
  }, 20));
  await assert.rejects(allSettledOrThrow([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))] as const), /first/);
  assert.equal(slowDone, true);
});
