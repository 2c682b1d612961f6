/** `berth stats` live: a table per second from streamed samples, until interrupted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BERTH, docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { waitForOutput } from '../../helpers/wait.ts';

test('berth stats streams and redraws the table every second', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'watched', '-m', '32m', 'busybox', 'sleep', '1000']);
  const child = spawn(BERTH, ['stats', '--format', '{{.Name}} {{.MemUsage}} {{.PIDs}}', 'watched'], { env: { ...process.env, BERTH_HOST: d.host } });
  t.after(() => child.kill('SIGKILL'));
  const exited = new Promise((r) => child.on('close', r));
  // Two redraws: the first table and the one a second later.
  const out = await waitForOutput(child.stdout, /^watched .*\n(?:.*\n)*watched .*\n/m);
  child.kill('SIGINT');
  await exited;
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 2, `at least two redraws: ${JSON.stringify(out)}`);
  for (const line of lines) assert.match(line, /^watched [\d.]+[KMG]?i?B \/ 32MiB 1$/);
});
