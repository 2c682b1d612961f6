import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nowRfc3339Nano, parseTimeOption, parseTimeValue, timeSortKey } from './timestamp.ts';
import { SystemError } from './errors.ts';

test('time values as dockerd takes them: unix times, Go durations back from now, dates', () => {
  const now = Date.UTC(2026, 0, 2, 12, 0, 0);
  assert.equal(parseTimeValue('1700000000', now), 1700000000_000);
  assert.equal(parseTimeValue('1700000000.5', now), 1700000000_500);
  assert.equal(parseTimeValue('1h', now), now - 3_600_000);
  assert.equal(parseTimeValue('1h30m', now), now - 5_400_000);
  assert.equal(parseTimeValue('2026-01-01T00:00:00Z', now), Date.UTC(2026, 0, 1));
  assert.ok(Number.isNaN(parseTimeValue('xyz', now)));
});

test('a since/until parameter: absent or empty is no bound, anything unreadable the caller\'s 400', () => {
  const now = Date.UTC(2026, 0, 2, 12, 0, 0);
  assert.equal(parseTimeOption(null, now), undefined);
  assert.equal(parseTimeOption(undefined, now), undefined);
  assert.equal(parseTimeOption('', now), undefined);
  assert.equal(parseTimeOption('0', now), 0);
  assert.equal(parseTimeOption('10m', now), now - 600_000);
  // dockerd takes what is no time for seconds[.nanoseconds] and reports what strconv.ParseInt refused (a 500).
  const refused = (value: string, message: string) => assert.throws(() => parseTimeOption(value, now), (err) => err instanceof SystemError && err.message === message, value);
  refused('soon', 'strconv.ParseInt: parsing "soon": invalid syntax');
  refused('1x', 'strconv.ParseInt: parsing "1x": invalid syntax');
  refused('12.3x', 'strconv.ParseInt: parsing "3x": invalid syntax');
});

test('now is written as Go writes RFC3339Nano, close to the wall clock', () => {
  const before = Date.now();
  const now = nowRfc3339Nano();
  assert.match(now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$/);
  assert.ok(Math.abs(Date.parse(now) - before) < 50, now);
  const later = nowRfc3339Nano();
  assert.ok(timeSortKey(later) >= timeSortKey(now), `${later} after ${now}`);
});

test('time sort keys order times whatever their fraction length', () => {
  const times = ['2024-01-01T00:00:05.1Z', '2024-01-01T00:00:05Z', '2024-01-01T00:00:05.123456789Z', '2024-01-01T00:00:04.9999Z'];
  assert.deepEqual([...times].sort((a, b) => (timeSortKey(a) < timeSortKey(b) ? -1 : 1)), [
    '2024-01-01T00:00:04.9999Z',
    '2024-01-01T00:00:05Z',
    '2024-01-01T00:00:05.1Z',
    '2024-01-01T00:00:05.123456789Z',
  ]);
});
