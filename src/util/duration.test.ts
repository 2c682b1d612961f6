import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './duration.ts';

test('Go durations parse to nanoseconds', () => {
  const cases: Array<[string, number]> = [['0', 0], ['30s', 30e9], ['1m30s', 90e9], ['500ms', 5e8], ['1.5h', 5400e9], ['-2s', -2e9], ['10us', 10e3]];
  for (const [text, ns] of cases) assert.equal(parseGoDuration(text), ns, text);
  for (const bad of ['', '10', 's', '1x', '1s2']) assert.throws(() => parseGoDuration(bad), /time: invalid duration/);
});
