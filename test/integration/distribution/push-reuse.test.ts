/**
 * A pulled image is pushed with the very blobs it was pulled as (no
 * recompression): mounted within the registry it came from, sent byte for
 * byte to another registry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { startRegistry, type Registry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

async function layersOf(reg: Registry, repo: string, tag: string): Promise<string[]> {
  const r = await reg.get(`/v2/${repo}/manifests/${tag}`, { accept: 'application/vnd.docker.distribution.manifest.v2+json' });
  assert.equal(r.status, 200, r.text);
  return (JSON.parse(r.text) as { layers: { digest: string }[] }).layers.map((l) => l.digest);
}

test('a pulled image is mounted from its repository and pushed elsewhere as the same blobs', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  const other = await startRegistry(t);
  const origin = await startDaemon(t);
  assert.equal((await docker(origin, ['tag', 'busybox', `${reg.host}/src/img:1`])).code, 0);
  assert.equal((await docker(origin, ['push', `${reg.host}/src/img:1`])).code, 0);
  const blobs = await layersOf(reg, 'src/img', '1');

  const d = await startDaemon(t, { bootstrap: false });
  const pulled = await docker(d, ['pull', `${reg.host}/src/img:1`]);
  assert.equal(pulled.code, 0, pulled.stderr);
  const short = ((await d.api('GET', `/images/${reg.host}/src/img:1/json`)).body.RootFS.Layers[0] as string).slice(7, 19);

  assert.equal((await docker(d, ['tag', `${reg.host}/src/img:1`, `${reg.host}/dst/img:1`])).code, 0);
  const mounted = await docker(d, ['push', `${reg.host}/dst/img:1`]);
  assert.equal(mounted.code, 0, mounted.stderr);
  assert.equal(mounted.stdout.split('\n')[2], `${short}: Mounted from src/img`);
  assert.deepEqual(await layersOf(reg, 'dst/img', '1'), blobs);

  assert.equal((await docker(d, ['tag', `${reg.host}/src/img:1`, `${other.host}/copy:1`])).code, 0);
  const sent = await docker(d, ['push', `${other.host}/copy:1`]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(sent.stdout.split('\n')[2], `${short}: Pushed`);
  assert.deepEqual(await layersOf(other, 'copy', '1'), blobs);
  await assertNoMounts(origin, d);
});
