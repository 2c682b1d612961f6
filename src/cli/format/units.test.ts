import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, formatG, humanDuration, humanSize, ramInBytes } from './units.ts';

test('formatG matches Go %g', () => {
  const cases: [number, number, string][] = [
    [4.26, 3, '4.26'], [1.98, 3, '1.98'], [4.2, 3, '4.2'], [4, 3, '4'], [123.456, 3, '123'], [999.7, 3, '1e+03'], [0.5, 3, '0.5'], [12.3456, 4, '12.35'],
  ];
  for (const [v, p, want] of cases) assert.equal(formatG(v, p), want, `${v} %.${p}g`);
});

test('humanSize uses decimal units', () => {
  assert.equal(humanSize(1982345, 3), '1.98MB');
  assert.equal(humanSize(4260000, 3), '4.26MB');
  assert.equal(humanSize(0, 3), '0B');
  assert.equal(humanSize(999, 3), '999B');
  assert.equal(humanSize(1000, 3), '1kB');
  assert.equal(humanSize(1500000000), '1.5GB');
});

test('bytesSize uses binary units', () => {
  assert.equal(bytesSize(1024), '1KiB');
  assert.equal(bytesSize(1536 * 1024 * 1024), '1.5GiB');
  assert.equal(bytesSize(0), '0B');
});

test('humanDuration follows go-units', () => {
  const s = 1000;
  const table: [number, string][] = [
    [500, 'Less than a second'], [1 * s, '1 second'], [3 * s, '3 seconds'], [59 * s, '59 seconds'], [60 * s, 'About a minute'],
    [119 * s, 'About a minute'], [120 * s, '2 minutes'], [59 * 60 * s, '59 minutes'], [60 * 60 * s, 'About an hour'],
    [89 * 60 * s, 'About an hour'], [90 * 60 * s, '2 hours'], [47 * 3600 * s, '47 hours'], [48 * 3600 * s, '2 days'],
    [14 * 86400 * s, '2 weeks'], [60 * 86400 * s, '2 months'], [800 * 86400 * s, '2 years'],
  ];
  for (const [ms, want] of table) assert.equal(humanDuration(ms), want, String(ms));
});

test('ramInBytes parses docker memory sizes', () => {
  assert.equal(ramInBytes('512m'), 512 * 1024 * 1024);
  assert.equal(ramInBytes('1g'), 1024 ** 3);
  assert.equal(ramInBytes('1GB'), 1024 ** 3);
  assert.equal(ramInBytes('100'), 100);
  assert.equal(ramInBytes('1.5k'), 1536);
  assert.throws(() => ramInBytes('foo'), /invalid size: 'foo'/);
});
