/**
 * docker container commands on a running container, one behaviour each:
 * top, kill -s, exec -d, restart, rename, attach, wait, prune.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDaemon, requireRoot, docker, DOCKER, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil, waitForOutput, watchEvents } from '../../helpers/wait.ts';

/** A daemon with `name` running a shell that prints "got USR1" on each SIGUSR1. */
async function withSignalEcho(t: TestContext, name: string): Promise<Daemon> {
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', name, 'busybox', 'sh', '-c', "trap 'echo got USR1' USR1; while true; do sleep 0.1; done"]);
  assert.equal(run.code, 0, run.stderr);
  return d;
}

test('docker top lists the container\'s processes under ps\'s header', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  const top = await docker(d, ['top', 'ww']);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD/);
  assert.match(top.stdout, /sh -c trap/);
});

test('docker kill -s USR1 delivers the signal to the container\'s handler', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  assert.equal((await docker(d, ['kill', '-s', 'USR1', 'ww'])).code, 0);
  // The handler's output reaches the log when the shell's `sleep 0.1` ends: no event says so.
  const logs = await pollUntil(async () => (await docker(d, ['logs', 'ww'])).stdout, (s) => s.includes('got USR1'));
  assert.match(logs, /got USR1/);
});

test('docker kill -s with an unknown signal fails with "Invalid signal"', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  const badSignal = await docker(d, ['kill', '-s', 'NOPE', 'ww']);
  assert.notEqual(badSignal.code, 0);
  assert.match(badSignal.stderr, /Invalid signal: NOPE/);
});

test('docker exec -d runs the command in the background of the container', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  const events = await watchEvents(d.socket, { container: ['ww'], event: ['exec_die'] });
  t.after(() => events.close());
  assert.equal((await docker(d, ['exec', '-d', 'ww', 'touch', '/tmp/detached'])).code, 0);
  const died = await events.next((e) => e.Action === 'exec_die');
  assert.equal(died.Actor.Attributes.exitCode, '0');
  assert.match((await docker(d, ['exec', 'ww', 'ls', '/tmp'])).stdout, /detached/);
});

test('docker restart runs the container again with a new StartedAt', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  const before = (await docker(d, ['inspect', '-f', '{{.State.StartedAt}}', 'ww'])).stdout;
  assert.equal((await docker(d, ['restart', '-t', '1', 'ww'])).code, 0);
  const after = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.StartedAt}}', 'ww']);
  assert.match(after.stdout, /^running /);
  assert.notEqual(after.stdout.split(' ')[1], before);
});

test('docker rename gives a running container a new name, and the old one is gone', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  assert.equal((await docker(d, ['rename', 'ww', 'w2'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.Name}} {{.State.Status}}', 'w2'])).stdout, '/w2 running\n');
  assert.notEqual((await docker(d, ['inspect', 'ww'])).code, 0);
});

test('docker attach streams the container\'s output and ends with its exit code when it is killed', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  const events = await watchEvents(d.socket, { container: ['ww'], event: ['attach'] });
  t.after(() => events.close());
  const attach = spawn(DOCKER, ['attach', 'ww'], { env: { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' }, stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => attach.kill('SIGKILL'));
  const exited = new Promise<number | null>((r) => attach.on('close', r));
  const printed = waitForOutput(attach.stdout, /got USR1/);
  // Output from the moment of the attach event on reaches the client.
  await events.next((e) => e.Action === 'attach');
  await docker(d, ['kill', '-s', 'USR1', 'ww']);
  assert.match(await printed, /got USR1/);
  await docker(d, ['kill', 'ww']);
  assert.equal(await exited, 137);
});

test('docker wait prints the exit code of a killed container (137)', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  assert.equal((await docker(d, ['kill', 'ww'])).code, 0);
  const wait = await docker(d, ['wait', 'ww']);
  assert.equal(wait.stdout.trim(), '137');
});

test('docker container prune removes stopped and never-started containers and lists them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await withSignalEcho(t, 'ww');
  await docker(d, ['kill', 'ww']);
  await docker(d, ['wait', 'ww']);
  await docker(d, ['create', '--name', 'never', 'busybox', 'true']);
  const prune = await docker(d, ['container', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /Deleted Containers:/);
  assert.equal((await docker(d, ['ps', '-aq'])).stdout, '');
});
