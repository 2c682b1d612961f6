import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, requireHost } from './harness.ts';

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
