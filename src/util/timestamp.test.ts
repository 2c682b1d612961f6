import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimeValue } from './timestamp.ts';

test('time values as dockerd takes them: unix times, Go durations back from now, dates', () => {
  const now = Date.UTC(2026, 0, 2, 12, 0, 0);
  assert.equal(parseTimeValue('1700000000', now), 1700000000_000);
  assert.equal(parseTimeValue('1700000000.5', now), 1700000000_500);
  assert.equal(parseTimeValue('1h', now), now - 3_600_000);
  assert.equal(parseTimeValue('1h30m', now), now - 5_400_000);
  assert.equal(parseTimeValue('2026-01-01T00:00:00Z', now), Date.UTC(2026, 0, 1));
  assert.ok(Number.isNaN(parseTimeValue('xyz', now)));
});
