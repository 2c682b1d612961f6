import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSignalForLinux, parseSignal } from './signals.ts';

test('signals parse as Docker accepts them', () => {
  const cases: Array<[string, number]> = [['SIGTERM', 15], ['TERM', 15], ['kill', 9], ['9', 9], ['SIGUSR1', 10], ['RTMIN+2', 36]];
  for (const [text, n] of cases) assert.equal(parseSignal(text), n, text);
  for (const bad of ['NOPE', '0', '']) assert.throws(() => parseSignal(bad), /Invalid signal/);
  for (const n of [32, 33, 65, 99]) assert.throws(() => checkSignalForLinux(parseSignal(String(n))), new RegExp(`The linux daemon does not support signal ${n}$`));
  for (const n of [1, 31, 34, 64]) checkSignalForLinux(n);
});
