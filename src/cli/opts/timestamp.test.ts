import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toApiTimestamp } from './timestamp.ts';

test('since/until values become what the docker CLI sends', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  assert.equal(toApiTimestamp('1m', now), String(Date.parse('2026-11-23T11:59:00Z') / 1000));
  assert.equal(toApiTimestamp('1h30m', now), String(Date.parse('2026-11-23T10:30:00Z') / 1000));
  assert.equal(toApiTimestamp('0s', now), String(now.getTime() / 1000));
  assert.equal(toApiTimestamp('1700000000'), '1700000000');
  assert.equal(toApiTimestamp('1700000000.5'), '1700000000.5');
  assert.equal(toApiTimestamp('0'), '0');
  assert.equal(toApiTimestamp('2013-01-02T13:23:37Z'), `${Date.parse('2013-01-02T13:23:37Z') / 1000}.000000000`);
  assert.equal(toApiTimestamp('2013-01-02T13:23:37.5+02:00'), `${Date.parse('2013-01-02T11:23:37Z') / 1000}.500000000`);
  // No zone: local time, as docker parses it.
  assert.equal(toApiTimestamp('2013-01-02'), `${new Date(2013, 0, 2).getTime() / 1000}.000000000`);
  assert.equal(toApiTimestamp('2013-01-02T13:23'), `${new Date(2013, 0, 2, 13, 23).getTime() / 1000}.000000000`);
  assert.throws(() => toApiTimestamp('bad'), /failed to parse value as time or duration: "bad"/);
  assert.equal(toApiTimestamp(''), '');
});
