import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newState } from './record.ts';
import { statusText } from './to-wire.ts';
import { testRecord as record } from './test-records.ts';

test('status text as dockerd words it', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const r = record('aa', '2024-01-01T00:00:00Z', 'running', { state: { ...newState(), status: 'running', startedAt: '2024-01-01T00:09:57Z' } });
  assert.equal(statusText(r, now), 'Up 3 seconds');
  r.state.status = 'paused';
  assert.equal(statusText(r, now), 'Up 3 seconds (Paused)');
  r.state = { ...r.state, status: 'exited', exitCode: 1, finishedAt: '2024-01-01T00:08:00Z' };
  assert.equal(statusText(r, now), 'Exited (1) 2 minutes ago');
  assert.equal(statusText(record('bb', '2024-01-01T00:00:00Z', 'created'), now), 'Created');
});
