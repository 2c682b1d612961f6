/**
 * Indexes and manifest shapes: an index of two platforms pulls the daemon's
 * (linux/amd64) or the one `platform=` asks; an index without ours fails
 * with dockerd's words; OCI manifests with zstd and uncompressed layers;
 * GET /distribution/{name}/json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { makeImage, makeIndex, pushImage, putManifest } from '../../helpers/oci-image.ts';

test('an index of two platforms pulls the right one; platform= picks the other; none of ours fails as dockerd', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const amd = await makeImage({ layers: [{ which: 'amd64\n' }], architecture: 'amd64', oci: true });
  const arm = await makeImage({ layers: [{ which: 'arm64\n' }], architecture: 'arm64', variant: 'v8', oci: true });
  await pushImage(reg.host, 'multi', 'amd', amd);
  await pushImage(reg.host, 'multi', 'arm', arm);
  const index = makeIndex([
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
  ]);
  await putManifest(reg.host, 'multi', 'latest', index);
  const armOnly = makeIndex([{ image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }], false);
  await putManifest(reg.host, 'multi', 'armonly', armOnly);
  const d = await startDaemon(t, { bootstrap: false });
  const ref = `${reg.host}/multi:latest`;

  const r = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Digest: ${index.digest}$`, 'm'));
  let inspect = await d.api('GET', `/images/${encodeURIComponent(ref)}/json`);
  assert.equal(inspect.body.Id, amd.config.digest);
  assert.equal(inspect.body.Architecture, 'amd64');
  assert.deepEqual(inspect.body.RepoDigests, [`${reg.host}/multi@${index.digest}`]);
  // The arm64 blobs were never fetched.
  assert.equal(reg.blobGets().filter((u) => u.includes(arm.layers[0]!.digest) || u.includes(arm.config.digest)).length, 0);

  const r2 = await d.api('POST', `/images/create?fromImage=${encodeURIComponent(`${reg.host}/multi`)}&tag=latest&platform=linux/arm64`);
  assert.equal(r2.status, 200, r2.text);
  assert.match(r2.text, /Downloaded newer image/);
  inspect = await d.api('GET', `/images/${encodeURIComponent(ref)}/json`);
  assert.equal(inspect.body.Id, arm.config.digest);
  assert.equal(inspect.body.Variant, 'v8');

  const none = await runCli(DOCKER, d, ['pull', `${reg.host}/multi:armonly`]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'no matching manifest for linux/amd64 in the manifest list entries\n');

  const dist = await d.api('GET', `/distribution/${reg.host}/multi:latest/json`);
  assert.equal(dist.status, 200, dist.text);
  assert.deepEqual(dist.body, {
    Descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: index.digest, size: index.bytes.length },
    Platforms: [{ architecture: 'arm64', os: 'linux', variant: 'v8' }, { architecture: 'amd64', os: 'linux' }],
  });
  const single = await d.api('GET', `/distribution/${reg.host}/multi:amd/json`);
  assert.deepEqual(single.body, {
    Descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd.manifest.digest, size: amd.manifest.bytes.length },
    Platforms: [{ architecture: 'amd64', os: 'linux' }],
  });
  const missing = await d.api('GET', `/distribution/${reg.host}/multi:nope/json`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'manifest unknown: manifest unknown');
});

test('OCI and Docker manifests with zstd, gzip and uncompressed layers pull, sharing what exists', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const base = { 'etc/base': 'base\n' };
  const zst = await makeImage({ layers: [base, { 'z/file': 'zstd layer\n' }], compression: 'zstd', oci: true });
  const plain = await makeImage({ layers: [base, { 'p/file': 'plain layer\n' }], compression: 'none' });
  await pushImage(reg.host, 'shapes', 'zstd', zst);
  await pushImage(reg.host, 'shapes', 'plain', plain);
  const d = await startDaemon(t, { bootstrap: false });

  const a = await runCli(DOCKER, d, ['pull', `${reg.host}/shapes:zstd`]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal((a.stdout.match(/Pull complete/g) ?? []).length, 2);
  const b = await runCli(DOCKER, d, ['pull', `${reg.host}/shapes:plain`]);
  assert.equal(b.code, 0, b.stderr);
  // The base layer's tar is the same bytes in both (diff ID), so its chain is here: "Already exists".
  assert.match(b.stdout, /Already exists/);
  assert.equal((b.stdout.match(/Pull complete/g) ?? []).length, 1);
  for (const [img, tag] of [[zst, 'zstd'], [plain, 'plain']] as const) {
    const inspect = await d.api('GET', `/images/${encodeURIComponent(`${reg.host}/shapes:${tag}`)}/json`);
    assert.deepEqual(inspect.body.RootFS.Layers, img.diffIds);
  }
});
