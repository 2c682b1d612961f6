import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSignalForLinux, parseSignal } from './signals.ts';

test('signals parse as Docker accepts them', () => {
  const cases: Array<[string, number]> = [['SIGTERM', 15], ['TERM', 15], ['kill', 9], ['9', 9], ['SIGUSR1', 10], ['RTMIN+2', 36]];
  for (const [text, n] of cases) assert.equal(parseSignal(text), n, text);
  for (const [text, n] of [['SIGRTMIN+15', 49], ['RTMAX-14', 50], ['SIGRTMAX', 64], ['+5', 5]] as const) assert.equal(parseSignal(text), n, text);
  // Go's parser: no trimming, and only the real-time names of its table.
  for (const bad of ['NOPE', '0', '', ' 9', 'SIGKILL ', 'SIGRTMIN+16', 'RTMIN+0', 'RTMAX-15']) assert.throws(() => parseSignal(bad), { message: `Invalid signal: ${bad}` }, bad);
  assert.throws(() => checkSignalForLinux(parseSignal('-1')), { message: 'The linux daemon does not support signal 18446744073709551615' });
  assert.throws(() => parseSignal('99999999999999999999'), { message: 'Invalid signal: 99999999999999999999' });
  for (const n of [32, 33, 65, 99]) assert.throws(() => checkSignalForLinux(parseSignal(String(n))), new RegExp(`The linux daemon does not support signal ${n}$`));
  for (const n of [1, 31, 34, 64]) checkSignalForLinux(n);
});
