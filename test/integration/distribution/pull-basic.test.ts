/**
 * Pull from Debian's docker-registry on 127.0.0.1 (plain HTTP: loopback is
 * insecure) with the real docker CLI and the API into an empty data root:
 * progress as dockerd, run, RepoDigests, a second pull fetches nothing, by digest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER, ROOT, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from '../volumes/helpers.ts';

const ARCHIVE = `docker-archive:${ROOT}/test/fixtures/busybox-ref.tar`;

test('the docker CLI pulls an image from a local registry into an empty data root and runs it', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  reg.push(ARCHIVE, 'tools/busybox:1.0');
  const d = await startDaemon(t, { bootstrap: false });
  const ref = `${reg.host}/tools/busybox:1.0`;

  const pulled = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const lines = pulled.stdout.trim().split('\n');
  assert.equal(lines[0], '1.0: Pulling from tools/busybox');
  assert.match(pulled.stdout, /^[0-9a-f]{12}: Pull complete$/m);
  assert.match(pulled.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
  assert.equal(lines.at(-2), `Status: Downloaded newer image for ${ref}`);
  assert.equal(lines.at(-1), ref);
  const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(pulled.stdout)![1]!;

  const inspect = await d.api('GET', `/images/${encodeURIComponent(ref)}/json`);
  assert.equal(inspect.status, 200);
  assert.deepEqual(inspect.body.RepoTags, [ref]);
  assert.deepEqual(inspect.body.RepoDigests, [`${reg.host}/tools/busybox@${digest}`]);

  const run = await runCli(DOCKER, d, ['run', '--rm', ref, 'echo', 'pulled']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'pulled\n');

  // A second pull only asks for the manifest.
  const blobGets = reg.blobGets().length;
  const again = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `1.0: Pulling from tools/busybox\nDigest: ${digest}\nStatus: Image is up to date for ${ref}\n${ref}\n`);
  assert.equal(reg.blobGets().length, blobGets);

  // By digest, through the API: the JSON messages.
  await d.api('DELETE', `/images/${encodeURIComponent(ref)}`);
  const byDigest = await d.api('POST', `/images/create?fromImage=${encodeURIComponent(`${reg.host}/tools/busybox`)}&tag=${digest}`);
  assert.equal(byDigest.status, 200, byDigest.text);
  const msgs = byDigest.text.trim().split('\n').map((l) => JSON.parse(l));
  // dockerd names the whole reference when pulling by digest.
  assert.deepEqual(msgs[0], { status: 'Pulling from tools/busybox', id: `${reg.host}/tools/busybox@${digest}` });
  assert.equal(msgs.filter((m) => m.status === 'Pulling fs layer').length, 1);
  assert.ok(msgs.some((m) => m.status === 'Downloading' && m.progressDetail.total > 0 && typeof m.progress === 'string'));
  assert.ok(msgs.some((m) => m.status === 'Verifying Checksum'));
  assert.ok(msgs.some((m) => m.status === 'Extracting'));
  assert.deepEqual(msgs.at(-2), { status: `Digest: ${digest}` });
  assert.deepEqual(msgs.at(-1), { status: `Status: Downloaded newer image for ${reg.host}/tools/busybox@${digest}` });
  const list = await d.api('GET', '/images/json');
  assert.equal(list.body.length, 1);
  assert.equal(list.body[0].RepoTags, null);
  assert.deepEqual(list.body[0].RepoDigests, [`${reg.host}/tools/busybox@${digest}`]);
  await assertNoMounts(d.dataRoot);
});

test('a registry on loopback serving HTTPS with a self-signed certificate is pulled from over HTTPS (insecure: not verified)', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t, { tls: true });
  reg.push(ARCHIVE, 'tls/busybox:latest');
  const d = await startDaemon(t, { bootstrap: false });
  const r = await runCli(DOCKER, d, ['pull', `${reg.host}/tls/busybox`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Status: Downloaded newer image for /);
  // The registry speaks TLS only: the blobs came over HTTPS.
  assert.ok(reg.blobGets().length > 0);
});
