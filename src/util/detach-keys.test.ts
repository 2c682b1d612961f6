import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from './detach-keys.ts';

test('detach keys parse as moby/term ToBytes does', () => {
  const cases: Array<[string, number[]]> = [
    [DEFAULT_DETACH_KEYS, [16, 17]],
    ['a', [97]],
    ['A', [65]],
    ['ctrl-a,b', [1, 98]],
    ['ctrl-z', [26]],
    ['ctrl-@', [0]],
    ['ctrl-[', [27]],
    ['ctrl-\\', [28]],
    ['ctrl-]', [29]],
    ['ctrl-^', [30]],
    ['ctrl-_', [31]],
    ['DEL', [127]],
    ['ctrl-x,DEL,q', [24, 127, 113]],
    [' ', [32]],
    ['1,2', [49, 50]],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseDetachKeys(text), want, text);
});

test('keys moby refuses are refused with its message, case and spaces included', () => {
  const cases: Array<[string, string]> = [
    ['ctrl-1', 'ctrl-1'],
    ['CTRL-P', 'CTRL-P'],
    ['ctrl-P', 'ctrl-P'],
    ['Ctrl-p', 'Ctrl-p'],
    ['del', 'del'],
    ['ctrl-p, ctrl-q', ' ctrl-q'],
    ['ctrl-p,,ctrl-q', ''],
    ['', ''],
    [',', ''],
    ['ab', 'ab'],
    ['é', 'é'],
    ['ctrl-', 'ctrl-'],
    ['ctrl-ab', 'ctrl-ab'],
  ];
  for (const [text, key] of cases) assert.throws(() => parseDetachKeys(text), { message: `Unknown character: '${key}'` }, text);
});
