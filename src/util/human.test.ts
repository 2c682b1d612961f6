import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, humanDuration, humanSize, humanSizePrecision } from './human.ts';

test('humanDuration matches go-units', () => {
  const cases: Array<[number, string]> = [
    [0, 'Less than a second'],
    [1000, '1 second'],
    [45_000, '45 seconds'],
    [61_000, 'About a minute'],
    [5 * 60_000, '5 minutes'],
    [3_600_000, 'About an hour'],
    [3 * 3_600_000, '3 hours'],
    [3 * 86_400_000, '3 days'],
    [21 * 86_400_000, '3 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('sizes match go-units', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(4_261_888), '4.262MB');
  assert.equal(humanSizePrecision(4_261_888, 3), '4.26MB');
  assert.equal(bytesSize(1536), '1.5KiB');
  assert.equal(bytesSize(1024 * 1024 * 10), '10MiB');
});
