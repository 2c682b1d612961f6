import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newState } from './record.ts';
import { configWire, inspectLinks, statusText } from './to-wire.ts';
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

test('Config in Go\'s encoding: field order, zero values for the fields a client left out, omitempty ones dropped', () => {
  const out = configWire({ Image: 'busybox', Cmd: ['sh'], NetworkDisabled: false, MacAddress: '', Hostname: 'h', Env: ['A=1'], StopTimeout: 0 });
  assert.deepEqual(Object.entries(out), [
    ['Hostname', 'h'], ['Domainname', ''], ['User', ''], ['AttachStdin', false], ['AttachStdout', false], ['AttachStderr', false],
    ['Tty', false], ['OpenStdin', false], ['StdinOnce', false], ['Env', ['A=1']], ['Cmd', ['sh']], ['Image', 'busybox'],
    ['Volumes', null], ['WorkingDir', ''], ['Entrypoint', null], ['OnBuild', null], ['Labels', {}], ['StopTimeout', 0],
  ]);
  assert.equal(configWire({ NetworkDisabled: true, ExposedPorts: { '80/tcp': {} } }).NetworkDisabled, true);
});

test('HostConfig.Links in inspect: the default bridge\'s links only, none as null', () => {
  assert.deepEqual(inspectLinks({ NetworkMode: 'default', Links: ['/db:/app/db'] }), ['/db:/app/db']);
  assert.deepEqual(inspectLinks({ NetworkMode: 'bridge', Links: ['/db:/app/db'] }), ['/db:/app/db']);
  assert.equal(inspectLinks({ NetworkMode: 'default', Links: [] }), null);
  assert.equal(inspectLinks({ NetworkMode: 'proj_default', Links: ['/db:/app/db'] }), null);
});
