/**
 * A `kill -9` of the registry in the middle of a push: the push fails with
 * the connection's error in the stream, and once the registry is back (same
 * storage) a retry succeeds and the image pulls back intact.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

/** POST a push; `onPushing` runs at the first `Pushing` message; resolves with the whole stream. */
function push(d: Daemon, name: string, tag: string, onPushing: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: `/images/${name}/push?tag=${tag}`, headers: { 'X-Registry-Auth': 'e30=' } }, (res) => {
      let text = '';
      let fired = false;
      res.on('data', (c: Buffer) => {
        text += c.toString();
        if (!fired && text.includes('"status":"Pushing"')) {
          fired = true;
          onPushing();
        }
      });
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

async function untilListening(host: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`http://${host}/v2/`);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('registry did not come back');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

test('a push cut by kill -9 of the registry fails, and succeeds when retried', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  let again: ChildProcess | undefined;
  t.after(() => {
    if (again && again.exitCode === null && again.signalCode === null) again.kill('SIGKILL');
  });
  const image = `${reg.host}/cut/img:v1`;
  const made = await docker(d, ['run', '--name', 'maker', 'busybox', 'sh', '-c', 'dd if=/dev/urandom of=/big bs=1M count=48 2>/dev/null && md5sum /big > /big.md5']);
  assert.equal(made.code, 0, made.stderr);
  assert.equal((await docker(d, ['commit', 'maker', image])).code, 0);
  assert.equal((await docker(d, ['rm', 'maker'])).code, 0);

  const stream = await push(d, `${reg.host}/cut/img`, 'v1', () => reg.child.kill('SIGKILL'));
  const last = JSON.parse(stream.trimEnd().split('\n').at(-1)!) as { error?: string };
  assert.ok(last.error, stream);

  again = spawn('/usr/bin/docker-registry', ['serve', path.join(reg.dir, 'config.yml')], { stdio: 'ignore' });
  await untilListening(reg.host);
  const retry = await docker(d, ['push', image]);
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stdout, /^v1: digest: sha256:[a-f0-9]{64} size: \d+$/m);

  const other = await startDaemon(t, { bootstrap: false });
  assert.equal((await docker(other, ['pull', image])).code, 0);
  const check = await docker(other, ['run', '--rm', image, 'md5sum', '-c', '/big.md5']);
  assert.deepEqual([check.code, check.stdout], [0, '/big: OK\n']);
  await assertNoMounts(d, other);
  const exited = new Promise((r) => again!.once('exit', r));
  again.kill('SIGTERM');
  await exited;
});
