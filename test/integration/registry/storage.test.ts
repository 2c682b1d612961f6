/**
 * The registry's storage under stress: a kill -9 mid-push (monolithic and
 * chunked) leaves no blob and no manifest pointing at missing content, a
 * retry or a resumed upload succeeds and what is served verifies; a big
 * upload never sits in memory; concurrent pushes of one blob all succeed;
 * `berth registry gc` removes what no manifest references and stale uploads.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH_NODE, startRegistryProcess, tempDir, type RegistryProcess } from '../../helpers/registry-server.ts';

const MiB = 1024 * 1024;
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Deterministic content of `size` bytes, readable from any offset, never held whole. */
class BigBlob {
  private readonly block: Buffer;
  readonly digest: string;
  constructor(readonly size: number, seed: string) {
    this.block = Buffer.alloc(MiB);
    for (let i = 0; i < MiB; i += 32) createHash('sha256').update(`${seed}:${i}`).digest().copy(this.block, i);
    const h = createHash('sha256');
    for (const c of this.chunks(0)) h.update(c);
    this.digest = `sha256:${h.digest('hex')}`;
  }
  /** The bytes from `offset` to the end, in pieces of at most 1 MiB (block i is the base block with i in its first bytes). */
  *chunks(offset: number): Generator<Buffer> {
    for (let pos = offset; pos < this.size; ) {
      const i = Math.floor(pos / MiB);
      const block = Buffer.from(this.block);
      block.writeUInt32BE(i, 0);
      const end = Math.min((i + 1) * MiB, this.size);
      yield block.subarray(pos - i * MiB, end - i * MiB);
      pos = end;
    }
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(reg: RegistryProcess, method: string, p: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${reg.url}${p}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Stream `blob` from `offset` as a request body; call `onSent(bytes)` as it goes (it may kill the server). */
function streamRequest(reg: RegistryProcess, method: string, p: string, blob: BigBlob, offset: number, headers: Record<string, string>, onSent?: (n: number) => void): Promise<Reply | Error> {
  return new Promise((resolve) => {
    const req = http.request(`${reg.url}${p}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', resolve);
    });
    req.on('error', resolve);
    const it = blob.chunks(offset);
    let sent = 0;
    const pump = () => {
      for (;;) {
        const next = it.next();
        if (next.done) return req.end();
        sent += next.value.length;
        onSent?.(sent);
        if (req.destroyed) return;
        if (!req.write(next.value)) return req.once('drain', pump);
      }
    };
    pump();
  });
}

async function hashOfBlob(reg: RegistryProcess, name: string, digest: string): Promise<{ status: number; digest: string; size: number }> {
  return new Promise((resolve, reject) => {
    http.get(`${reg.url}/v2/${name}/blobs/${digest}`, (res) => {
      const h = createHash('sha256');
      let size = 0;
      res.on('data', (c: Buffer) => {
        h.update(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, digest: `sha256:${h.digest('hex')}`, size }));
    }).on('error', reject);
  });
}

function peakRssKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

function manifestFor(config: { digest: string; size: number }, layers: { digest: string; size: number }[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })),
  });
}
const MANIFEST_HEADERS = { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' };

test('a kill -9 mid monolithic push leaves nothing half-written; the retry succeeds and streams (never in memory)', { timeout: 180_000 }, async (t) => {
  const blob = new BigBlob(256 * MiB, 'mono');
  const reg = await startRegistryProcess(t);
  const name = 'crash/mono';
  const cut = await streamRequest(reg, 'POST', `/v2/${name}/blobs/uploads/?digest=${blob.digest}`, blob, 0, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) }, (n) => {
    if (n === 96 * MiB) reg.child.kill('SIGKILL');
  });
  assert.ok(cut instanceof Error, 'the cut request fails');
  await reg.kill9();
  assert.equal(existsSync(path.join(reg.root, 'blobs/sha256', blob.digest.slice(7))), false, 'no blob file for a cut upload');

  const again = await startRegistryProcess(t, { root: reg.root });
  assert.equal((await request(again, 'HEAD', `/v2/${name}/blobs/${blob.digest}`)).status, 404);
  const config = Buffer.from('{}');
  assert.equal((await request(again, 'POST', `/v2/${name}/blobs/uploads/?digest=${sha(config)}`, config)).status, 201);
  const early = await request(again, 'PUT', `/v2/${name}/manifests/v1`, manifestFor({ digest: sha(config), size: 2 }, [{ digest: blob.digest, size: blob.size }]), MANIFEST_HEADERS);
  assert.equal(early.status, 404);
  assert.match(early.body.toString(), /MANIFEST_BLOB_UNKNOWN/);
  assert.equal((await request(again, 'GET', `/v2/${name}/manifests/v1`)).status, 404, 'no manifest linked without its blobs');

  const ok = await streamRequest(again, 'POST', `/v2/${name}/blobs/uploads/?digest=${blob.digest}`, blob, 0, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) });
  assert.ok(!(ok instanceof Error) && ok.status === 201, `retry: ${ok instanceof Error ? ok.message : ok.status}`);
  const peak = peakRssKiB(again.child.pid!);
  assert.ok(peak < 200 * 1024, `a 256 MiB upload streams: peak RSS ${peak} KiB`);
  const served = await hashOfBlob(again, name, blob.digest);
  assert.deepEqual(served, { status: 200, digest: blob.digest, size: blob.size });
  const range = await request(again, 'GET', `/v2/${name}/blobs/${blob.digest}`, undefined, { Range: `bytes=${MiB - 2}-${MiB + 1}` });
  assert.equal(range.status, 206);
  assert.equal(range.headers['content-range'], `bytes ${MiB - 2}-${MiB + 1}/${blob.size}`);
  const expected = Buffer.concat([...blob.chunks(MiB - 2)].slice(0, 2)).subarray(0, 4);
  assert.deepEqual(range.body, expected);
  const put = await request(again, 'PUT', `/v2/${name}/manifests/v1`, manifestFor({ digest: sha(config), size: 2 }, [{ digest: blob.digest, size: blob.size }]), MANIFEST_HEADERS);
  assert.equal(put.status, 201);
});

test('a kill -9 mid chunked upload: after a restart the upload resumes from the Range the registry reports', { timeout: 180_000 }, async (t) => {
  const blob = new BigBlob(160 * MiB, 'chunked');
  const reg = await startRegistryProcess(t);
  const name = 'crash/chunked';
  const start = await request(reg, 'POST', `/v2/${name}/blobs/uploads/`);
  assert.equal(start.status, 202);
  const location = start.headers.location!;
  const first = Buffer.concat([...blob.chunks(0)].slice(0, 32));
  const p1 = await request(reg, 'PATCH', location, first, { 'Content-Type': 'application/octet-stream', 'Content-Range': `0-${first.length - 1}` });
  assert.equal(p1.status, 202);
  assert.equal(p1.headers.range, `0-${32 * MiB - 1}`);
  const cut = await streamRequest(reg, 'PATCH', location, blob, 32 * MiB, { 'Content-Type': 'application/octet-stream' }, (n) => {
    if (n === 64 * MiB) reg.child.kill('SIGKILL');
  });
  assert.ok(cut instanceof Error);
  await reg.kill9();

  const again = await startRegistryProcess(t, { root: reg.root });
  const status = await request(again, 'GET', location);
  assert.equal(status.status, 204);
  const m = /^0-(\d+)$/.exec(String(status.headers.range));
  assert.ok(m, `Range: ${status.headers.range}`);
  const offset = Number(m[1]) + 1;
  assert.ok(offset >= 32 * MiB && offset <= blob.size, `resume offset ${offset}`);
  const out = await request(again, 'PATCH', location, Buffer.from('x'), { 'Content-Range': `${offset + 5}-${offset + 5}` });
  assert.equal(out.status, 416, 'a chunk out of order is refused');
  const rest = await streamRequest(again, 'PATCH', location, blob, offset, { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${blob.size - 1}`, 'Content-Length': String(blob.size - offset) });
  assert.ok(!(rest instanceof Error) && rest.status === 202, `resume: ${rest instanceof Error ? rest.message : rest.status + rest.body.toString()}`);
  const wrong = await request(again, 'PUT', `${location}?digest=${sha('nope')}`);
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.toString(), /DIGEST_INVALID/);
  assert.equal((await request(again, 'HEAD', `/v2/${name}/blobs/${sha('nope')}`)).status, 404);

  // The wrong digest ended that upload: push once more, in two chunks.
  const s2 = await request(again, 'POST', `/v2/${name}/blobs/uploads/`);
  const loc2 = s2.headers.location!;
  const a = await streamRequest(again, 'PATCH', loc2, blob, 0, { 'Content-Type': 'application/octet-stream' });
  assert.ok(!(a instanceof Error) && a.status === 202);
  const done = await request(again, 'PUT', `${loc2}?digest=${blob.digest}`);
  assert.equal(done.status, 201, done.body.toString());
  assert.equal(done.headers['docker-content-digest'], blob.digest);
  assert.deepEqual(await hashOfBlob(again, name, blob.digest), { status: 200, digest: blob.digest, size: blob.size });
});

test('concurrent pushes of the same blob all succeed and leave one good blob', { timeout: 60_000 }, async (t) => {
  const reg = await startRegistryProcess(t);
  const blob = new BigBlob(8 * MiB, 'same');
  const pushes = Array.from({ length: 6 }, (_, i) =>
    i % 2 === 0
      ? streamRequest(reg, 'POST', `/v2/race/r${i}/blobs/uploads/?digest=${blob.digest}`, blob, 0, { 'Content-Type': 'application/octet-stream' })
      : (async () => {
          const s = await request(reg, 'POST', `/v2/race/r${i}/blobs/uploads/`);
          const p = await streamRequest(reg, 'PATCH', s.headers.location!, blob, 0, {});
          if (p instanceof Error) return p;
          return request(reg, 'PUT', `${s.headers.location!}?digest=${blob.digest}`);
        })(),
  );
  for (const r of await Promise.all(pushes)) assert.ok(!(r instanceof Error) && r.status === 201, r instanceof Error ? r.message : String(r.status));
  for (let i = 0; i < 6; i++) assert.deepEqual(await hashOfBlob(reg, `race/r${i}`, blob.digest), { status: 200, digest: blob.digest, size: blob.size });
});

function berth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BERTH_NODE, ...args], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

test('berth registry gc removes unreferenced blobs and stale uploads, keeps what manifests reference', { timeout: 60_000 }, async (t) => {
  const reg = await startRegistryProcess(t);
  const name = 'gc/img';
  const layer = Buffer.from('layer bytes');
  const config = Buffer.from('{"config":{}}');
  const orphan = Buffer.from('nobody references me');
  const gone = Buffer.from('referenced only by a deleted manifest');
  for (const b of [layer, config, orphan, gone]) assert.equal((await request(reg, 'POST', `/v2/${name}/blobs/uploads/?digest=${sha(b)}`, b)).status, 201);
  const manifest = manifestFor({ digest: sha(config), size: config.length }, [{ digest: sha(layer), size: layer.length }]);
  assert.equal((await request(reg, 'PUT', `/v2/${name}/manifests/v1`, manifest, MANIFEST_HEADERS)).status, 201);
  const other = manifestFor({ digest: sha(config), size: config.length }, [{ digest: sha(gone), size: gone.length }]);
  assert.equal((await request(reg, 'PUT', `/v2/${name}/manifests/old`, other, MANIFEST_HEADERS)).status, 201);
  assert.equal((await request(reg, 'DELETE', `/v2/${name}/manifests/${sha(other)}`)).status, 202);
  const stale = await request(reg, 'POST', `/v2/${name}/blobs/uploads/`);
  assert.equal((await request(reg, 'PATCH', stale.headers.location!, 'half')).status, 202);

  const dry = await berth(['registry', 'gc', '--root', reg.root, '--dry-run', '--upload-max-age', '0s']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`blob eligible for deletion: ${sha(orphan)}`));
  assert.ok(existsSync(path.join(reg.root, 'blobs/sha256', sha(orphan).slice(7))), 'a dry run removes nothing');

  const r = await berth(['registry', 'gc', '--root', reg.root, '--upload-max-age', '0s']);
  assert.equal(r.code, 0, r.stderr);
  for (const b of [orphan, gone]) assert.equal(existsSync(path.join(reg.root, 'blobs/sha256', sha(b).slice(7))), false, `${b.toString()} removed`);
  assert.match(r.stdout, /3 blobs marked, 3 blobs and 1 uploads deleted/);
  assert.equal((await request(reg, 'GET', `/v2/${name}/manifests/v1`)).status, 200);
  assert.equal((await request(reg, 'GET', `/v2/${name}/blobs/${sha(layer)}`)).body.toString(), layer.toString());
  assert.equal((await request(reg, 'GET', `/v2/${name}/blobs/${sha(config)}`)).status, 200);
  assert.equal((await request(reg, 'HEAD', `/v2/${name}/blobs/${sha(orphan)}`)).status, 404);
  assert.equal((await request(reg, 'GET', stale.headers.location!)).status, 404);
});
