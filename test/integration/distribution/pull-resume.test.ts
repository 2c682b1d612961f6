/**
 * Pulls through a proxy that misbehaves: a cut mid-blob resumes with Range
 * (nothing fetched twice); 5xx answers are retried; a corrupt blob fails with
 * dockerd's words and leaves the stores as they were; a daemon killed with
 * SIGKILL mid-layer resumes at the next pull, with nothing corrupt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { DOCKER, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { startProxy } from '../../helpers/registry-proxy.ts';
import { makeImage, pushImage, type MadeImage } from '../../helpers/oci-image.ts';

const MB = 1 << 20;

async function bigImage(): Promise<MadeImage> {
  return makeImage({ layers: [{ 'data/random': randomBytes(8 * MB) }, { 'data/small': 'small\n' }] });
}

function ls(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Nothing but what a complete image needs: no temp dirs, no ingest, no partial downloads. */
function assertNoLeftovers(d: Daemon): void {
  assert.deepEqual(ls(`${d.dataRoot}/layers`).filter((n) => n.startsWith('.tmp-')), []);
  assert.deepEqual(ls(`${d.dataRoot}/content/ingest`), []);
  assert.deepEqual(ls(`${d.dataRoot}/content/partial`), []);
}

test('a download cut mid-layer resumes with a Range request and fetches nothing twice; 5xx is retried', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const img = await bigImage();
  await pushImage(reg.host, 'big', 'v1', img);
  const proxy = await startProxy(t, reg.host);
  const big = img.layers[0]!;
  proxy.fault(big.digest, { cutAfter: 3 * MB });
  proxy.fault(img.layers[1]!.digest, { status: 503, times: 2 });
  const d = await startDaemon(t, { bootstrap: false });

  const r = await runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  assert.equal(r.code, 0, r.stderr);
  const gets = proxy.blobGets().filter((g) => g.url.includes(big.digest));
  assert.equal(gets.length, 2);
  assert.equal(gets[0]!.range, undefined);
  const m = /^bytes=(\d+)-$/.exec(gets[1]!.range ?? '');
  assert.ok(m, `second GET has a Range: ${gets[1]!.range}`);
  assert.ok(Number(m[1]) >= 3 * MB - 256 * 1024 && Number(m[1]) <= 3 * MB, `resumed near the cut: ${m[1]}`);
  assert.equal(proxy.blobGets().filter((g) => g.url.includes(img.layers[1]!.digest)).length, 3);
  const inspect = await d.api('GET', `/images/${encodeURIComponent(`${proxy.host}/big:v1`)}/json`);
  assert.deepEqual(inspect.body.RootFS.Layers, img.diffIds);
  assertNoLeftovers(d);
});

test('a corrupt blob fails with dockerd words and leaves the stores as they were', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const img = await bigImage();
  await pushImage(reg.host, 'big', 'v1', img);
  const proxy = await startProxy(t, reg.host);
  proxy.fault(img.layers[0]!.digest, { corrupt: true, times: 100 });
  const d = await startDaemon(t, { bootstrap: false });

  const r = await runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `filesystem layer verification failed for digest ${img.layers[0]!.digest}\n`);
  assert.deepEqual((await d.api('GET', '/images/json')).body, []);
  assert.deepEqual(ls(`${d.dataRoot}/layers`).filter((n) => n.startsWith('.tmp-')), []);
  assert.deepEqual(ls(`${d.dataRoot}/content/ingest`), []);
  // The corrupt download is dropped; the other layer's verified download is kept for a retry.
  assert.deepEqual(ls(`${d.dataRoot}/content/partial`), [img.layers[1]!.digest.slice(7)]);
  // Blobs and layers the failed pull made are unreferenced: swept when it ended (in the background).
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && ls(`${d.dataRoot}/layers`).filter((n) => !n.startsWith('.')).length + ls(`${d.dataRoot}/content/sha256`).length > 0) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(ls(`${d.dataRoot}/layers`).filter((n) => !n.startsWith('.')), [], 'layers');
  assert.deepEqual(ls(`${d.dataRoot}/content/sha256`), [], 'blobs');
});

test('kill -9 of the daemon mid-layer, then a retry resumes and succeeds with nothing corrupt', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const img = await bigImage();
  await pushImage(reg.host, 'big', 'v1', img);
  const proxy = await startProxy(t, reg.host);
  const big = img.layers[0]!;
  const d = await startDaemon(t, { bootstrap: false });
  let fired!: () => void;
  const stalled = new Promise<void>((r) => (fired = r));
  proxy.fault(big.digest, { cutAfter: 5 * MB, stall: true, onFire: () => fired() });

  const pulling = runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  await stalled;
  await new Promise((r) => setTimeout(r, 300)); // let the daemon write what it got
  await d.stop(true);
  const first = await pulling;
  assert.notEqual(first.code, 0);

  await d.restart();
  const r = await runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  assert.equal(r.code, 0, r.stderr);
  const gets = proxy.blobGets().filter((g) => g.url.includes(big.digest));
  assert.equal(gets.length, 2);
  const m = /^bytes=(\d+)-$/.exec(gets[1]!.range ?? '');
  assert.ok(m && Number(m[1]) > 0, `the retry resumes: ${gets[1]!.range}`);
  const inspect = await d.api('GET', `/images/${encodeURIComponent(`${proxy.host}/big:v1`)}/json`);
  assert.deepEqual(inspect.body.RootFS.Layers, img.diffIds);
  // The unpacked layer is the right one: export it back and compare the tar's digest (save uses the kept tars).
  const out = `${d.dataRoot}/../saved.tar`;
  const run = await runCli(DOCKER, d, ['image', 'save', `${proxy.host}/big:v1`, '-o', out]);
  assert.equal(run.code, 0, run.stderr);
  assertNoLeftovers(d);
});

test('a download cut again and again gives up after the retries with one clear line; what came is kept for the next try', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const img = await bigImage();
  await pushImage(reg.host, 'big', 'v1', img);
  const proxy = await startProxy(t, reg.host);
  const big = img.layers[0]!;
  proxy.fault(big.digest, { cutAfter: 512 * 1024, times: 5 });
  const d = await startDaemon(t, { bootstrap: false });

  const r = await runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'unexpected EOF\n');
  assert.equal(proxy.blobGets().filter((g) => g.url.includes(big.digest)).length, 5);
  assert.deepEqual((await d.api('GET', '/images/json')).body, []);
  assert.ok(ls(`${d.dataRoot}/content/partial`).includes(big.digest.slice(7)));

  // The next pull goes on from there: one more request, from 5 × 512 KiB.
  const again = await runCli(DOCKER, d, ['pull', `${proxy.host}/big:v1`]);
  assert.equal(again.code, 0, again.stderr);
  const gets = proxy.blobGets().filter((g) => g.url.includes(big.digest));
  assert.equal(gets.length, 6);
  assert.equal(gets[5]!.range, `bytes=${5 * 512 * 1024}-`);
  assertNoLeftovers(d);
});
