/** Durability: containers survive a daemon restart; a kill -9 mid-create leaves a consistent store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ConmonPaths } from '../../../src/drivers/runtime/conmon-paths.ts';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';

test('a container keeps running across a daemon restart; logs, wait and exit code still work', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'mkfifo /tmp/go; echo before; cat /tmp/go; echo after; exit 7']);
  assert.equal(run.code, 0, run.stderr);
  await d.stop();
  await d.restart();
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}}', 'survivor']);
  assert.equal(state.stdout.trim(), 'running', 'still running after the restart');
  const wait = docker(d, ['wait', 'survivor']);
  const go = await docker(d, ['exec', 'survivor', 'sh', '-c', 'echo go > /tmp/go']);
  assert.equal(go.code, 0, go.stderr);
  const waited = await wait;
  assert.equal(waited.stdout.trim(), '7');
  const logs = await docker(d, ['logs', 'survivor']);
  assert.equal(logs.stdout, 'before\ngo\nafter\n');
  const final = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'survivor']);
  assert.equal(final.stdout.trim(), 'exited 7');
});

test('a container that exits while the daemon is down is recorded with its exit code', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = (await docker(d, ['run', '-d', '--name', 'brief', 'busybox', 'sh', '-c', 'sleep 1; exit 5'])).stdout.trim();
  await d.stop(true);
  // With no daemon, the monitor's exit file is the only news of the exit.
  const exitFile = new ConmonPaths(d.execRoot).exitFile(id);
  assert.ok(await pollUntil(() => existsSync(exitFile), (there) => there), 'conmon recorded the exit');
  await d.restart();
  const final = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'brief']);
  assert.equal(final.stdout.trim(), 'exited 5');
});

test('kill -9 of the daemon while creating containers leaves a consistent store', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const creates = Array.from({ length: 12 }, (_, i) => d.api('POST', `/containers/create?name=c${i}`, { Image: 'busybox', Cmd: ['true'] }).catch(() => undefined));
  // Not a wait for anything: the daemon is killed at whatever point the creates have reached.
  await new Promise((r) => setTimeout(r, 30));
  await d.stop(true);
  const answered = (await Promise.all(creates)).filter((r) => r?.status === 201).length;
  await d.restart();
  const list = await d.api('GET', '/containers/json?all=1');
  assert.equal(list.status, 200);
  assert.ok(list.body.length >= answered, `every acknowledged create survived (${list.body.length} >= ${answered})`);
  for (const c of list.body as Array<{ Id: string; Names: string[] }>) {
    const inspect = await d.api('GET', `/containers/${c.Id}/json`);
    assert.equal(inspect.status, 200);
    const start = await d.api('POST', `/containers/${c.Id}/start`);
    assert.equal(start.status, 204, start.text);
  }
  // Names of containers whose create did not finish are free again.
  for (let i = 0; i < 12; i++) {
    const r = await d.api('POST', `/containers/create?name=c${i}`, { Image: 'busybox', Cmd: ['true'] });
    assert.ok(r.status === 201 || r.status === 409, `c${i}: ${r.status} ${r.text}`);
  }
});

test('when the daemon starts it starts stopped containers as their restart policy says (always even after docker stop)', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [name, policy] of [['always', 'always'], ['unless', 'unless-stopped'], ['none', 'no']] as const) {
    assert.equal((await docker(d, ['run', '-d', '--name', name, '--restart', policy, 'busybox', 'sleep', '300'])).code, 0);
  }
  assert.equal((await docker(d, ['stop', '-t', '0', 'always', 'unless', 'none'])).code, 0);
  await d.stop();
  await d.restart();
  const states = await docker(d, ['ps', '-a', '--format', '{{.Names}} {{.State}}']);
  assert.deepEqual(states.stdout.trim().split('\n').sort(), ['always running', 'none exited', 'unless exited']);
});

test('a container waiting to be restarted by its policy is refused by rm without force (409) and removed with it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', 'flapping', '--restart', 'always', 'busybox', 'false']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  // The back-off doubles from 100 ms: after a few failures the container spends most of its time restarting.
  const deadline = Date.now() + 20_000;
  let refused: { status: number; body: any } | undefined;
  while (Date.now() < deadline) {
    const inspect = await d.api('GET', `/containers/${id}/json`);
    if (inspect.body?.State?.Status === 'restarting') {
      const r = await d.api('DELETE', `/containers/${id}`);
      if (r.status !== 204) {
        refused = r;
        break;
      }
      assert.fail(`rm without force removed a container that was restarting a moment ago (${r.status})`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(refused, 'the container was seen restarting');
  // It may have been started again between the inspect and the rm: then dockerd's words for a running one.
  assert.equal(refused.status, 409);
  assert.match(
    refused.body.message,
    new RegExp(`^You cannot remove a (restarting|running) container ${id}\\. Stop the container before attempting removal or force remove$`),
  );
  const cli = await docker(d, ['rm', 'flapping']);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /Error response from daemon: You cannot remove a (restarting|running) container/);
  const forced = await docker(d, ['rm', '-f', 'flapping']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await d.api('GET', `/containers/${id}/json`)).status, 404);
});
