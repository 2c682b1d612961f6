/**
 * The registry server as a library: `startRegistry` in this process on a
 * kernel-picked port, `close()` ending it; and a few behaviours the
 * conformance suite does not pin: invalid names, unsupported digests,
 * TOOMANYREQUESTS past the concurrency limit, Docker schema2 indexes kept
 * with their media type, referrers filtered by artifactType.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { startRegistry } from '../../../src/registry/server/registry-server.ts';
import { tempDir } from '../../helpers/registry-server.ts';
import { pollUntil } from '../../helpers/wait.ts';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const code = async (res: Response) => ((await res.json()) as { errors: { code: string }[] }).errors[0]?.code;

test('startRegistry serves on a picked port until close()', async (t) => {
  const reg = await startRegistry({ addr: '127.0.0.1:0', root: tempDir(t, 'berth-reglib') });
  let closed = false;
  t.after(async () => {
    if (!closed) await reg.close();
  });
  const res = await fetch(`${reg.url}/v2/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
  assert.equal((await fetch(`${reg.url}/v2/UPPER/case/tags/list`)).status, 400);
  assert.equal(await code(await fetch(`${reg.url}/v2/UPPER/case/tags/list`)), 'NAME_INVALID');
  assert.equal(await code(await fetch(`${reg.url}/v2/a/tags/list`)), 'NAME_UNKNOWN');
  assert.equal(await code(await fetch(`${reg.url}/v2/a/blobs/sha512:${'a'.repeat(128)}`)), 'UNSUPPORTED');
  assert.equal(await code(await fetch(`${reg.url}/v2/a/blobs/uploads/nope`)), 'BLOB_UPLOAD_UNKNOWN');
  assert.equal(await code(await fetch(`${reg.url}/v2/a/blobs/uploads/?digest=${sha('x')}`, { method: 'POST', body: 'y' })), 'DIGEST_INVALID');
  assert.equal(await code(await fetch(`${reg.url}/v2/a/manifests/v1`, { method: 'PUT', body: 'not json', headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } })), 'MANIFEST_INVALID');
  await reg.close();
  closed = true;
  await assert.rejects(fetch(`${reg.url}/v2/`));
});

test('Docker schema2 indexes keep their media type; referrers filter by artifactType', async (t) => {
  const reg = await startRegistry({ addr: '127.0.0.1:0', root: tempDir(t, 'berth-reglib') });
  t.after(() => reg.close());
  const put = (p: string, body: string, ct: string) => fetch(`${reg.url}${p}`, { method: 'PUT', body, headers: { 'Content-Type': ct } });
  const blob = async (b: string) => assert.equal((await fetch(`${reg.url}/v2/x/blobs/uploads/?digest=${sha(b)}`, { method: 'POST', body: b })).status, 201);
  await blob('{}');
  const DM = 'application/vnd.docker.distribution.manifest.v2+json';
  const man = JSON.stringify({ schemaVersion: 2, mediaType: DM, config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha('{}'), size: 2 }, layers: [] });
  assert.equal((await put(`/v2/x/manifests/m`, man, DM)).status, 201);
  const DL = 'application/vnd.docker.distribution.manifest.list.v2+json';
  const list = JSON.stringify({ schemaVersion: 2, mediaType: DL, manifests: [{ mediaType: DM, digest: sha(man), size: man.length, platform: { os: 'linux', architecture: 'amd64' } }] });
  const r = await put(`/v2/x/manifests/list`, list, DL);
  assert.equal(r.status, 201);
  const got = await fetch(`${reg.url}/v2/x/manifests/list`);
  assert.equal(got.headers.get('content-type'), DL);
  assert.equal(await got.text(), list);
  const missing = JSON.stringify({ schemaVersion: 2, mediaType: DL, manifests: [{ mediaType: DM, digest: sha('absent'), size: 1 }] });
  assert.equal(await code(await put(`/v2/x/manifests/bad`, missing, DL)), 'MANIFEST_BLOB_UNKNOWN');

  const OM = 'application/vnd.oci.image.manifest.v1+json';
  const sig = (artifactType: string, n: string) =>
    JSON.stringify({ schemaVersion: 2, mediaType: OM, artifactType, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha('{}'), size: 2 }, layers: [], subject: { mediaType: DM, digest: sha(man), size: man.length }, annotations: { n } });
  const s1 = sig('application/x.sig', '1');
  const s2 = sig('application/x.sbom', '2');
  const p1 = await put(`/v2/x/manifests/${sha(s1)}`, s1, OM);
  assert.equal(p1.headers.get('oci-subject'), sha(man));
  await put(`/v2/x/manifests/${sha(s2)}`, s2, OM);
  const all = (await (await fetch(`${reg.url}/v2/x/referrers/${sha(man)}`)).json()) as { manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] };
  assert.deepEqual(all.manifests.map((m) => m.digest).sort(), [sha(s1), sha(s2)].sort());
  const f = await fetch(`${reg.url}/v2/x/referrers/${sha(man)}?artifactType=application/x.sbom`);
  assert.equal(f.headers.get('oci-filters-applied'), 'artifactType');
  assert.equal(f.headers.get('content-type'), 'application/vnd.oci.image.index.v1+json');
  const only = (await f.json()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  assert.deepEqual(only.manifests.map((m) => [m.digest, m.annotations['n']]), [[sha(s2), '2']]);
  assert.equal((await fetch(`${reg.url}/v2/x/manifests/${sha(s2)}`, { method: 'DELETE' })).status, 202);
  const after = (await (await fetch(`${reg.url}/v2/x/referrers/${sha(man)}`)).json()) as { manifests: unknown[] };
  assert.equal(after.manifests.length, 1);
});

test('past maxConcurrentRequests the registry answers 429 TOOMANYREQUESTS', async (t) => {
  const reg = await startRegistry({ addr: '127.0.0.1:0', root: tempDir(t, 'berth-reglib'), maxConcurrentRequests: 1 });
  t.after(() => reg.close());
  const start = await fetch(`${reg.url}/v2/x/blobs/uploads/`, { method: 'POST' });
  const location = start.headers.get('location')!;
  // Hold one request open: a PATCH whose body has not ended.
  const held = http.request(`${reg.url}${location}`, { method: 'PATCH' });
  held.on('error', () => undefined);
  held.write('partial');
  // Until the server has the PATCH, /v2/ still answers 200.
  const res = await pollUntil(() => fetch(`${reg.url}/v2/`), (r) => r.status === 429, { timeoutMs: 5000 });
  assert.equal(res.status, 429);
  assert.equal(await code(res), 'TOOMANYREQUESTS');
  await new Promise<void>((resolve) => {
    held.on('response', (r) => {
      r.resume();
      r.on('end', resolve);
    });
    held.end();
  });
  assert.equal((await fetch(`${reg.url}/v2/`)).status, 200);
});
