/**
 * A `kill -9` of the daemon in the middle of a push, then a retry: the push
 * completes, the registry has a manifest whose blobs are all there, and the
 * image pulls back into another daemon and runs.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

/** POST a push and resolve once the stream says a layer is being sent (the push is then mid-upload). */
function pushUntilPushing(d: Daemon, name: string, tag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: `/images/${name}/push?tag=${tag}`, headers: { 'X-Registry-Auth': 'e30=' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('"status":"Pushing"')) {
          resolve();
          res.destroy();
        }
      });
      res.on('end', () => reject(new Error(`push ended before uploading: ${text}`)));
      res.on('error', () => undefined); // destroyed on purpose, or the daemon died
    });
    req.on('error', reject);
    req.end();
  });
}

test('a push cut by kill -9 of the daemon succeeds when retried', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  const image = `${reg.host}/big/img:v1`;
  // 48 MB of random data: the upload takes long enough to be cut.
  const made = await docker(d, ['run', '--name', 'maker', 'busybox', 'sh', '-c', 'dd if=/dev/urandom of=/big bs=1M count=48 2>/dev/null && md5sum /big | cut -d" " -f1 > /big.md5']);
  assert.equal(made.code, 0, made.stderr);
  assert.equal((await docker(d, ['commit', 'maker', image])).code, 0);
  assert.equal((await docker(d, ['rm', 'maker'])).code, 0);

  await pushUntilPushing(d, `${reg.host}/big/img`, 'v1');
  await d.stop(true);
  await d.restart();

  const retry = await docker(d, ['push', image]);
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stdout, /^v1: digest: sha256:[a-f0-9]{64} size: \d+$/m);

  const other = await startDaemon(t, { bootstrap: false });
  const pulled = await docker(other, ['pull', image]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const check = await docker(other, ['run', '--rm', image, 'sh', '-c', 'md5sum /big | cut -d" " -f1 | cmp - /big.md5 && echo same']);
  assert.deepEqual([check.code, check.stdout], [0, 'same\n']);
  await assertNoMounts(d, other);
});
