import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_WEEK_UNITS, parseGoDuration } from './duration.ts';

test('Go durations parse to nanoseconds', () => {
  const cases: Array<[string, number]> = [['0', 0], ['30s', 30e9], ['1m30s', 90e9], ['500ms', 5e8], ['1.5h', 5400e9], ['-2s', -2e9], ['10us', 10e3]];
  for (const [text, ns] of cases) assert.equal(parseGoDuration(text), ns, text);
  for (const bad of ['', 's', '.s']) assert.throws(() => parseGoDuration(bad), /time: invalid duration/);
  assert.throws(() => parseGoDuration('10'), /time: missing unit in duration "10"/);
  assert.throws(() => parseGoDuration('1x'), /time: unknown unit "x" in duration "1x"/);
  assert.throws(() => parseGoDuration('1s2'), /time: missing unit in duration "1s2"/);
  assert.equal(parseGoDuration('1d', DAY_WEEK_UNITS), 86400e9);
});
