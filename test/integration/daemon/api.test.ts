/** The daemon's API edge: versions, routing, errors in JSON, and clients that misbehave. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startDaemon, requireRoot, apiRequest, docker } from '../../helpers/daemon.ts';

test('GET /_ping answers OK', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const ping = await d.api('GET', '/_ping');
  assert.equal(ping.status, 200);
  assert.equal(ping.text, 'OK');
});

test('the API answers with no version prefix and with versions 1.24 to 1.43, advertising ApiVersion 1.43 and MinAPIVersion 1.24', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  for (const prefix of ['', '/v1.24', '/v1.41', '/v1.43']) {
    const v = await d.api('GET', `${prefix}/version`);
    assert.equal(v.status, 200, prefix);
    assert.equal(v.body.ApiVersion, '1.43');
    assert.equal(v.body.MinAPIVersion, '1.24');
  }
});

test('a version below 1.24 is a 400 saying the client is too old', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const old = await d.api('GET', '/v1.12/version');
  assert.equal(old.status, 400);
  assert.match(old.body.message, /client version 1.12 is too old. Minimum supported API version is 1.24/);
});

test('a version above 1.43 is a 400', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const fresh = await d.api('GET', '/v1.99/version');
  assert.equal(fresh.status, 400);
});

test('an unknown route is a 404 with a JSON message "page not found"', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const missing = await d.api('GET', '/no/such/route');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { message: 'page not found' });
});

test('a request body that is not JSON is a 400 "invalid JSON"', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const badJson = await apiRequest(d.socket, 'POST', '/containers/create', Buffer.from('{not json'));
  assert.equal(badJson.status, 400);
  assert.match(badJson.body.message, /invalid JSON/);
});

test('docker info reports the overlay2 storage driver on linux', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const info = await docker(d, ['info', '--format', '{{.Driver}} {{.OSType}}']);
  assert.equal(info.stdout.trim(), 'overlay2 linux', info.stderr);
});

test('events: an unknown filter is a 400 before the stream starts', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const r = await d.api('GET', `/events?until=${Math.floor(Date.now() / 1000)}&filters=${encodeURIComponent('{"bogus":["x"]}')}`);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { message: "Invalid filter 'bogus'" });
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
