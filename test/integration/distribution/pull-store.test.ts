/**
 * What a pull keeps: each layer once as the compressed blob it downloaded
 * (recorded as the layer's tar) and once unpacked, no uncompressed tar. Save
 * writes the layers as their uncompressed DiffID-addressed tars all the same
 * (the kept blob decompressed); the saved archive loads back and saves the
 * same; removing the image reclaims the kept blobs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { DOCKER, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { makeImage, pushImage } from '../../helpers/oci-image.ts';
import { assertNoMounts } from './mounts.ts';

const MB = 1 << 20;

function ls(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** The saved archive's manifest.json and the sha256 of each of its files, by name. */
async function readSaved(file: string): Promise<{ manifest: { Config: string; Layers: string[] }[]; digests: Map<string, string> }> {
  const extract = tar.extract();
  const digests = new Map<string, string>();
  let manifest = '';
  const reading = (async () => {
    for await (const entry of extract) {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        hash.update(chunk as Buffer);
        if (entry.header.name === 'manifest.json') chunks.push(chunk as Buffer);
      }
      digests.set(entry.header.name, `sha256:${hash.digest('hex')}`);
      if (entry.header.name === 'manifest.json') manifest = Buffer.concat(chunks).toString('utf8');
    }
  })();
  await pipeline(createReadStream(file), extract);
  await reading;
  return { manifest: JSON.parse(manifest), digests };
}

test('a pulled layer is kept as its compressed blob only; save writes its DiffID tar; load and rmi round trip', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const img = await makeImage({ layers: [{ 'data/random': randomBytes(3 * MB) }, { 'data/small': 'small\n' }] });
  await pushImage(reg.host, 'kept', 'v1', img);
  const d = await startDaemon(t, { bootstrap: false });
  const ref = `${reg.host}/kept:v1`;

  const pulled = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const blobs = ls(`${d.dataRoot}/content/sha256`).map((h) => `sha256:${h}`);
  for (const layer of img.layers) assert.ok(blobs.includes(layer.digest), `the downloaded blob ${layer.digest} is kept`);
  for (const diffId of img.diffIds) assert.ok(!blobs.includes(diffId), `no uncompressed tar ${diffId} is kept`);
  assert.deepEqual(ls(`${d.dataRoot}/content/partial`), []);

  // save: the layers are the uncompressed tars, named by (and hashing to) their DiffIDs.
  const out = `${d.dataRoot}/../saved.tar`;
  t.after(() => rmSync(out, { force: true }));
  const saved = await runCli(DOCKER, d, ['save', '-o', out, ref]);
  assert.equal(saved.code, 0, saved.stderr);
  const archive = await readSaved(out);
  assert.deepEqual(archive.manifest[0]!.Layers, img.diffIds.map((id) => `blobs/sha256/${id.slice(7)}`));
  for (const name of archive.manifest[0]!.Layers) assert.equal(archive.digests.get(name), `sha256:${name.slice('blobs/sha256/'.length)}`);

  // rmi reclaims the kept blobs and the layers.
  const removed = await runCli(DOCKER, d, ['rmi', ref]);
  assert.equal(removed.code, 0, removed.stderr);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && ls(`${d.dataRoot}/content/sha256`).length + ls(`${d.dataRoot}/layers`).length > 0) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(ls(`${d.dataRoot}/content/sha256`), []);
  assert.deepEqual(ls(`${d.dataRoot}/layers`), []);

  // The saved archive loads back, runs nothing (no shell in it) but saves to the same layers.
  const loaded = await runCli(DOCKER, d, ['load', '-i', out]);
  assert.equal(loaded.code, 0, loaded.stderr);
  const inspect = await d.api('GET', `/images/${encodeURIComponent(ref)}/json`);
  assert.deepEqual(inspect.body.RootFS.Layers, img.diffIds);
  rmSync(out, { force: true });
  const again = await runCli(DOCKER, d, ['save', '-o', out, ref]);
  assert.equal(again.code, 0, again.stderr);
  const second = await readSaved(out);
  for (const name of archive.manifest[0]!.Layers) assert.equal(second.digests.get(name), archive.digests.get(name));

  // A second pull over the loaded image fetches nothing.
  const gets = reg.blobGets().length;
  const repull = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(repull.code, 0, repull.stderr);
  assert.equal(reg.blobGets().length, gets);
  await assertNoMounts(d);
});
