/** The daemon and its API edge: versions, errors, one daemon per data root, pid file, config file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import { startDaemon, requireRoot, apiRequest, BERTHD, docker } from '../../helpers/daemon.ts';

test('the API answers with and without a version prefix, bounds versions, and 404s unknown routes in JSON', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const ping = await d.api('GET', '/_ping');
  assert.equal(ping.text, 'OK');
  for (const prefix of ['', '/v1.24', '/v1.41', '/v1.43']) {
    const v = await d.api('GET', `${prefix}/version`);
    assert.equal(v.status, 200, prefix);
    assert.equal(v.body.ApiVersion, '1.43');
    assert.equal(v.body.MinAPIVersion, '1.24');
  }
  const old = await d.api('GET', '/v1.12/version');
  assert.equal(old.status, 400);
  assert.match(old.body.message, /client version 1.12 is too old. Minimum supported API version is 1.24/);
  const fresh = await d.api('GET', '/v1.99/version');
  assert.equal(fresh.status, 400);
  const missing = await d.api('GET', '/no/such/route');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { message: 'page not found' });
  const badJson = await apiRequest(d.socket, 'POST', '/containers/create', Buffer.from('{not json'));
  assert.equal(badJson.status, 400);
  assert.match(badJson.body.message, /invalid JSON/);
  const info = await docker(d, ['info', '--format', '{{.Driver}} {{.OSType}}']);
  assert.equal(info.stdout.trim(), 'overlay2 linux', info.stderr);
});

test('one daemon per data root; the pid file and config file are honoured', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  assert.equal((await fs.readFile(`${d.execRoot}/berthd.pid`, 'utf8')).trim(), String(d.child.pid));
  const second = spawn(BERTHD, ['-H', `unix://${d.execRoot}/other.sock`, '--data-root', d.dataRoot, '--exec-root', `${d.execRoot}-2`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  second.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise((r) => second.on('exit', r));
  t.after(() => fs.rm(`${d.execRoot}-2`, { recursive: true, force: true }));
  assert.equal(code, 1);
  assert.match(stderr, /another berthd is already running with data root/);
  const badConfig = spawn(BERTHD, ['--config-file', '/nonexistent/daemon.json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err2 = '';
  badConfig.stderr.on('data', (c: Buffer) => (err2 += c.toString()));
  assert.equal(await new Promise((r) => badConfig.on('exit', r)), 1);
  assert.match(err2, /unable to configure the daemon with file \/nonexistent\/daemon.json/);
  assert.ok(!existsSync(`${d.execRoot}/other.sock`), 'the refused daemon did not listen');
});

test('more container commands: top, wait, restart, kill -s, attach, exec -d, rename, prune', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'ww', 'busybox', 'sh', '-c', "trap 'echo got USR1' USR1; while true; do sleep 0.1; done"]);
  const top = await docker(d, ['top', 'ww']);
  assert.equal(top.code, 0, top.stderr);
  assert.match(top.stdout, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD/);
  assert.match(top.stdout, /sh -c trap/);
  assert.equal((await docker(d, ['kill', '-s', 'USR1', 'ww'])).code, 0);
  const logs = await waitFor(async () => (await docker(d, ['logs', 'ww'])).stdout, (s) => s.includes('got USR1'));
  assert.match(logs, /got USR1/);
  const badSignal = await docker(d, ['kill', '-s', 'NOPE', 'ww']);
  assert.notEqual(badSignal.code, 0);
  assert.match(badSignal.stderr, /Invalid signal: NOPE/);
  assert.equal((await docker(d, ['exec', '-d', 'ww', 'touch', '/tmp/detached'])).code, 0);
  await waitFor(async () => (await docker(d, ['exec', 'ww', 'ls', '/tmp'])).stdout, (s) => s.includes('detached'));
  const before = (await docker(d, ['inspect', '-f', '{{.State.StartedAt}}', 'ww'])).stdout;
  assert.equal((await docker(d, ['restart', '-t', '1', 'ww'])).code, 0);
  const after = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.StartedAt}}', 'ww']);
  assert.match(after.stdout, /^running /);
  assert.notEqual(after.stdout.split(' ')[1], before);
  assert.equal((await docker(d, ['rename', 'ww', 'w2'])).code, 0);
  const attach = docker(d, ['attach', 'w2']);
  await new Promise((r) => setTimeout(r, 300));
  await docker(d, ['kill', '-s', 'USR1', 'w2']);
  await new Promise((r) => setTimeout(r, 300));
  await docker(d, ['kill', 'w2']);
  const attached = await attach;
  assert.match(attached.stdout, /got USR1/);
  assert.equal(attached.code, 137);
  const wait = await docker(d, ['wait', 'w2']);
  assert.equal(wait.stdout.trim(), '137');
  await docker(d, ['create', '--name', 'never', 'busybox', 'true']);
  const prune = await docker(d, ['container', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /Deleted Containers:/);
  assert.equal((await docker(d, ['ps', '-aq'])).stdout, '');
});

async function waitFor(read: () => Promise<string>, ok: (s: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

test('events: an unknown filter is a 400 before the stream starts', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const r = await d.api('GET', `/events?until=${Math.floor(Date.now() / 1000)}&filters=${encodeURIComponent('{"bogus":["x"]}')}`);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { message: "Invalid filter 'bogus'" });
});

test('SIGHUP reloads the configuration instead of ending the daemon', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  d.child.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(d.child.exitCode, null);
  assert.equal((await d.api('GET', '/_ping')).text, 'OK');
  assert.match(readFileSync(d.logFile, 'utf8'), /configuration reloaded/);
});

test('daemon.json container defaults: log driver and opts, ulimits, shm size, no-new-privileges; an unknown key is refused', async (t) => {
  if (!requireRoot(t)) return;
  const dir = await fs.mkdtemp('/tmp/berth-cfg-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(`${dir}/daemon.json`, JSON.stringify({
    'log-driver': 'json-file',
    'log-opts': { 'max-size': '2k', tag: 'from-daemon' },
    'default-ulimits': { nofile: { Name: 'nofile', Soft: 512, Hard: 1024 } },
    'default-shm-size': '16M',
    'no-new-privileges': true,
    'live-restore': true,
  }));
  const d = await startDaemon(t, { args: ['--config-file', `${dir}/daemon.json`] });
  const run = await docker(d, ['run', '--name', 'c1', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn; grep NoNewPrivs /proc/self/status; df -k /dev/shm | tail -1']);
  assert.equal(run.code, 0, run.stderr);
  const [soft, hard, nnp, shm] = run.stdout.trim().split('\n');
  assert.equal(soft, '512');
  assert.equal(hard, '1024');
  assert.match(nnp!, /NoNewPrivs:\s+1/);
  assert.match(shm!, /\s16384\s/);
  const cfg = await docker(d, ['inspect', '-f', '{{json .HostConfig.LogConfig}} {{.HostConfig.ShmSize}} {{json .HostConfig.Ulimits}}', 'c1']);
  assert.equal(cfg.stdout, '{"Type":"json-file","Config":{"max-size":"2k","tag":"from-daemon"}} 16777216 []\n');
  // The container's own settings win.
  const own = await docker(d, ['run', '--rm', '--ulimit', 'nofile=256:300', '--log-opt', 'max-size=5k', '--shm-size', '8m', 'busybox', 'sh', '-c', 'ulimit -n']);
  assert.equal(own.stdout, '256\n');
  const other = (await docker(d, ['create', '--log-driver', 'local', '--log-opt', 'max-file=2', 'busybox'])).stdout.trim();
  assert.equal((await docker(d, ['inspect', '-f', '{{json .HostConfig.LogConfig.Config}}', other])).stdout, '{"max-file":"2"}\n');

  await fs.writeFile(`${dir}/bad.json`, JSON.stringify({ 'log-driver': 'json-file', 'no-such-option': 1 }));
  const bad = spawn(BERTHD, ['--config-file', `${dir}/bad.json`, '-H', `unix://${dir}/bad.sock`, '--data-root', `${dir}/data`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
  assert.equal(await new Promise((r) => bad.on('exit', r)), 1);
  assert.match(err, /the following directives don't match any configuration option: no-such-option/);
});

test('clients that reset their connection mid-stream (attach, exec, logs, stats, events, export) do not take the daemon down', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // Without -i: the attach's stdin goes nowhere, and the reset meets a socket nobody reads.
  const id = (await docker(d, ['run', '-d', 'busybox', 'sh', '-c', 'while true; do echo tick; usleep 10000; done'])).stdout.trim();
  const exec = await d.api('POST', `/containers/${id}/exec`, { AttachStdout: true, AttachStdin: true, Cmd: ['sh', '-c', 'while true; do echo x; usleep 1000; done'] });
  // A reset (RST) after some output: SO_LINGER 0, which Node cannot do on a unix socket. Any request
  // may ask for an upgrade; then Node hands the socket over and watches it no more.
  const script = `
import socket, struct, sys, time
sock, cid, eid = sys.argv[1:4]
for method, path, body, upgrade in [
    ("POST", f"/containers/{cid}/attach?stream=1&stdout=1&stdin=1", b"", True),
    ("POST", f"/containers/{cid}/attach?stream=1&stdout=1&stdin=1", b"", False),
    ("POST", f"/exec/{eid}/start", b'{"Detach":false,"Tty":false}', True),
    ("GET", f"/containers/{cid}/logs?follow=1&stdout=1", b"", True),
    ("GET", f"/containers/{cid}/stats", b"", True),
    ("GET", "/events", b"", True),
    ("GET", f"/containers/{cid}/export", b"", False),
]:
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    up = b"Connection: Upgrade\\r\\nUpgrade: tcp\\r\\n" if upgrade else b""
    s.send(f"{method} {path} HTTP/1.1\\r\\nHost: x\\r\\n".encode() + up + f"Content-Type: application/json\\r\\nContent-Length: {len(body)}\\r\\n\\r\\n".encode() + body)
    time.sleep(0.2)
    s.recv(100)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    time.sleep(0.1)
`;
  const r = spawnSync('python3', ['-c', script, d.socket, id, (exec.body as { Id: string }).Id], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(d.child.exitCode, null, 'berthd is still running');
  assert.equal((await docker(d, ['exec', id, 'echo', 'still serving'])).stdout, 'still serving\n');
});
