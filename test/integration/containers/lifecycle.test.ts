/**
 * The container lifecycle through a real berthd, runc and conmon, driven by
 * the real docker CLI and the raw API: output and exit codes, logs with
 * stdout/stderr apart, stop escalation, pause, restart of the daemon.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';

test('run prints output and propagates the exit code', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const hi = await docker(d, ['run', '--rm', 'busybox', 'echo', 'hi']);
  assert.equal(hi.stdout, 'hi\n', hi.stderr);
  assert.equal(hi.code, 0);
  const three = await docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(three.code, 3);
  assert.equal(three.stdout, 'out\n');
  assert.equal(three.stderr, 'err\n');
  const ps = await docker(d, ['ps', '-aq']);
  assert.equal(ps.stdout, '', 'the --rm containers are gone');
});

test('a missing command ends with 127, a non-executable one with 126', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const missing = await docker(d, ['run', '--name', 'nocmd', 'busybox', 'nosuchcmd']);
  assert.equal(missing.code, 127, missing.stderr);
  assert.match(missing.stderr, /nosuchcmd/);
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'nocmd']);
  assert.equal(state.stdout.trim(), 'created 127');
  const notExec = await docker(d, ['run', '--rm', 'busybox', '/etc/passwd']);
  assert.equal(notExec.code, 126, notExec.stderr);
});

test('logs keep stdout and stderr apart, with tail and timestamps', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '--name', 'talker', 'busybox', 'sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three']);
  assert.equal(run.code, 0, run.stderr);
  const logs = await docker(d, ['logs', 'talker']);
  assert.equal(logs.stdout, 'one\nthree\n');
  assert.equal(logs.stderr, 'two\n');
  const tail = await docker(d, ['logs', '--tail', '1', 'talker']);
  assert.equal(tail.stdout + tail.stderr, 'three\n');
  const ts = await docker(d, ['logs', '-t', 'talker']);
  assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n/);
});

/** A daemon running `stubborn`, a shell that ignores SIGTERM (so a stop must escalate); its ID. */
async function withStubborn(t: TestContext): Promise<{ d: Daemon; id: string }> {
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', 'stubborn', 'busybox', 'sh', '-c', "trap '' TERM; while true; do sleep 0.1; done"]);
  assert.equal(run.code, 0, run.stderr);
  return { d, id: run.stdout.trim() };
}

test('run -d prints the full container ID and ps lists the container as Up', async (t) => {
  if (!requireRoot(t)) return;
  const { d, id } = await withStubborn(t);
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = await docker(d, ['ps', '--format', '{{.ID}} {{.Names}} {{.Status}}']);
  assert.match(ps.stdout, new RegExp(`^${id.slice(0, 12)} stubborn Up `));
});

test('exec in a running container returns the command\'s output and exit code', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withStubborn(t);
  const exec = await docker(d, ['exec', 'stubborn', 'sh', '-c', 'echo $$; exit 4']);
  assert.equal(exec.code, 4);
  assert.match(exec.stdout, /^\d+\n$/);
});

test('rm of a running container is refused: "You cannot remove a running container"', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withStubborn(t);
  const rmRunning = await docker(d, ['rm', 'stubborn']);
  assert.equal(rmRunning.code, 1);
  assert.match(rmRunning.stderr, /You cannot remove a running container/);
});

test('stop escalates to SIGKILL once its timeout passes when SIGTERM is ignored (exit 137)', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withStubborn(t);
  const t0 = Date.now();
  const stop = await docker(d, ['stop', '-t', '1', 'stubborn']);
  const took = Date.now() - t0;
  assert.equal(stop.code, 0, stop.stderr);
  assert.ok(took >= 1000, `stop waited for the timeout (${took} ms)`);
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}', 'stubborn']);
  assert.equal(state.stdout.trim(), 'exited 137 false');
});

test('rm of a stopped container removes it; inspect then finds no such object', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withStubborn(t);
  assert.equal((await docker(d, ['kill', 'stubborn'])).code, 0);
  assert.equal((await docker(d, ['wait', 'stubborn'])).stdout, '137\n');
  assert.equal((await docker(d, ['rm', 'stubborn'])).code, 0);
  const gone = await docker(d, ['inspect', 'stubborn']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such object: stubborn|No such container: stubborn/);
});

test('stop sends SIGTERM first and a well-behaved container exits with it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'polite', 'busybox', 'sh', '-c', "trap 'exit 42' TERM; while true; do sleep 0.1; done"]);
  const stop = await docker(d, ['stop', '-t', '10', 'polite']);
  assert.equal(stop.code, 0, stop.stderr);
  const code = await docker(d, ['inspect', '-f', '{{.State.ExitCode}}', 'polite']);
  assert.equal(code.stdout.trim(), '42');
});

test('pause and unpause go through the freezer', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '1000']);
  assert.equal((await docker(d, ['pause', 'sleeper'])).code, 0);
  const paused = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.Paused}}', 'sleeper']);
  assert.equal(paused.stdout.trim(), 'paused true');
  const again = await docker(d, ['pause', 'sleeper']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is already paused/);
  assert.equal((await docker(d, ['unpause', 'sleeper'])).code, 0);
  const running = await docker(d, ['inspect', '-f', '{{.State.Status}}', 'sleeper']);
  assert.equal(running.stdout.trim(), 'running');
});

test('creating a second container with a name in use is a conflict naming the holder', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const first = await docker(d, ['create', '--name', 'dup', 'busybox', 'true']);
  assert.equal(first.code, 0);
  const second = await docker(d, ['create', '--name', 'dup', 'busybox', 'true']);
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`Conflict. The container name "/dup" is already in use by container "${first.stdout.trim()}"`));
});

test('rename gives a created container its new name', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['create', '--name', 'dup', 'busybox', 'true'])).code, 0);
  assert.equal((await docker(d, ['rename', 'dup', 'renamed'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.Name}}', 'renamed'])).stdout.trim(), '/renamed');
});

test('inspecting an unknown container is a 404 "No such container"', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const r = await d.api('GET', '/containers/nope/json');
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { message: 'No such container: nope' });
});

test('a HostConfig field of the wrong type is refused naming the field, with dockerd 20.10\'s 500', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const bad = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: 'true', HostConfig: { Memory: 'lots' } });
  assert.equal(bad.status, 500);
  assert.equal(bad.body.message, 'json: cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of type int64');
});

test('a memory limit under 6MB is refused, and run exits 125', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const small = await docker(d, ['run', '--rm', '-m', '1m', 'busybox', 'true']);
  assert.equal(small.code, 125);
  assert.match(small.stderr, /Minimum memory limit allowed is 6MB/);
});

test('stdin reaches run -i untouched', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-i', '--rm', 'busybox', 'cat'], { input: 'line one\nline two\n' });
  assert.equal(run.stdout, 'line one\nline two\n', run.stderr);
});

test('stdin reaches exec -i untouched: the exec request body does not leak into it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'target', 'busybox', 'sleep', '1000']);
  const exec = await docker(d, ['exec', '-i', 'target', 'cat'], { input: 'hello\n' });
  assert.equal(exec.stdout, 'hello\n', 'the exec request body must not leak into stdin');
});

test('concurrent execs each get their complete stdout, stderr and exit code', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'target', 'busybox', 'sleep', '1000']);
  const results = await Promise.all(
    Array.from({ length: 6 }, () => docker(d, ['exec', 'target', 'sh', '-c', 'echo out; ls /; echo err >&2; exit 5'])),
  );
  for (const r of results) {
    assert.equal(r.code, 5);
    assert.equal(r.stderr, 'err\n');
    assert.match(r.stdout, /^out\nbin\n[\s\S]*var\n$/);
  }
});

test('concurrent runs each get their complete stdout and stderr', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const runs = await Promise.all(Array.from({ length: 6 }, () => docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo a; ls /; echo b >&2'])));
  for (const r of runs) {
    assert.match(r.stdout, /^a\nbin\n[\s\S]*var\n$/);
    assert.equal(r.stderr, 'b\n');
  }
});

test('restart policy on-failure:2 restarts a failing container twice, then leaves it exited', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 1']);
  // Restarts come after a back-off: their count and state are polled.
  const count = await pollUntil(async () => (await docker(d, ['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'flaky'])).stdout.trim(), (s) => s === '2 exited');
  assert.equal(count, '2 exited');
  assert.equal((await docker(d, ['logs', 'flaky'])).stdout, 'run\nrun\nrun\n');
});

test('restart policy always restarts a container that exits, until it is stopped', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'forever', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.2']);
  const restarts = await pollUntil(async () => Number((await docker(d, ['inspect', '-f', '{{.RestartCount}}', 'forever'])).stdout.trim()), (n) => n >= 2);
  assert.ok(restarts >= 2, `restarted ${restarts} times`);
  assert.equal((await docker(d, ['stop', 'forever'])).code, 0);
  // Nothing announces that no restart comes: the container is watched for a bounded time (longer than its run and back-off).
  await new Promise((r) => setTimeout(r, 500));
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}}', 'forever']);
  assert.equal(state.stdout.trim(), 'exited');
});
