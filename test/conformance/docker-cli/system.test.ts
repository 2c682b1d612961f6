import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, cli, requireHost } from './harness.ts';

test('info prints the server report section by section, as docker/cli does', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['info']);
  assert.equal(r.code, 0, r.stderr);
  const server = r.stdout.slice(r.stdout.indexOf('Server:\n'));
  const json = JSON.parse(cli(['info', '--format', '{{json .}}']).stdout) as Record<string, any>;
  const lines = server.split('\n');
  const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
  // The order docker/cli prints them in.
  const order = [' Containers:', ' Images:', ' Server Version:', ' Storage Driver:', ' Logging Driver:', ' Cgroup Driver:', ' Plugins:', ' Swarm:', ' Runtimes:', ' Default Runtime:', ' Init Binary:', ' containerd version:', ' runc version:', ' init version:', ' Kernel Version:', ' Operating System:', ' CPUs:', ' Total Memory:', ' Docker Root Dir:', ' Debug Mode:', ' Experimental:', ' Live Restore Enabled:'];
  const positions = order.map(at);
  assert.ok(positions.every((p) => p > 0), `missing: ${order.filter((_, i) => positions[i]! < 0).join(',')}\n${server}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, server);
  for (const [key, value] of json.DriverStatus as string[][]) assert.ok(lines.includes(`  ${key}: ${value}`), key);
  assert.ok(lines.includes(`  Log: ${(json.Plugins.Log as string[]).join(' ')}`));
  assert.ok(lines.includes(` runc version: ${json.RuncCommit.ID}`));
  assert.match(json.RuncCommit.ID, /\S/);
  assert.ok(lines.includes(` Logging Driver: json-file`));
  if (json.SecurityOptions.length) assert.ok(lines.includes('  seccomp'), server);
});

test('plugin ls shows an empty table, as a dockerd with no plugins does', (t) => {
  if (!requireHost(t)) return;
  // berth has no plugin commands (Berth manages no plugins); the docker CLI proves the daemon's answers.
  if (BIN !== 'docker') return t.skip('berth has no plugin command');
  const r = cli(['plugin', 'ls']);
  assert.deepEqual(r, { stdout: 'ID        NAME      DESCRIPTION   ENABLED\n', stderr: '', code: 0 });
  assert.deepEqual(cli(['plugin', 'ls', '--quiet']), { stdout: '', stderr: '', code: 0 });
  assert.deepEqual(cli(['plugin', 'ls', '--filter', 'enabled=true']), r);
  assert.deepEqual(cli(['plugin', 'ls', '--filter', 'foo=bar']), { stdout: '', stderr: "Error response from daemon: Invalid filter 'foo'\n", code: 1 });
  assert.deepEqual(cli(['plugin', 'ls', '--filter', 'enabled=yes']), { stdout: '', stderr: "Error response from daemon: Invalid filter 'enabled=[yes]'\n", code: 1 });
});
