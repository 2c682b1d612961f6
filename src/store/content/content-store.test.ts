import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from './content-store.ts';
import { sha256Digest } from '../../oci/digest.ts';
import { InvalidParameterError, NotFoundError } from '../../util/errors.ts';

async function newStore(t: { after: (fn: () => Promise<void>) => void }): Promise<ContentStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-content-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new ContentStore(dir);
  await store.init();
  return store;
}

test('a streamed blob is stored under its digest and read back', async (t) => {
  const store = await newStore(t);
  const chunks = ['hello ', 'world'];
  const info = await store.ingest(Readable.from(chunks.map((c) => Buffer.from(c))));
  assert.equal(info.digest, sha256Digest('hello world'));
  assert.equal(info.size, 11);
  assert.equal(await store.has(info.digest), true);
  assert.equal(await store.size(info.digest), 11);
  let text = '';
  for await (const c of await store.readStream(info.digest)) text += String(c);
  assert.equal(text, 'hello world');
  assert.deepEqual(await store.list(), [info.digest]);
  await store.delete(info.digest);
  assert.equal(await store.has(info.digest), false);
  await assert.rejects(store.readStream(info.digest), NotFoundError);
});

test('a blob whose digest does not match the expected one is not stored', async (t) => {
  const store = await newStore(t);
  await assert.rejects(store.ingestBuffer('abc', sha256Digest('abd')), InvalidParameterError);
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(await readdir(path.join(store.root, 'ingest')), []);
});

test('ingesting a known blob drains the stream and keeps the blob', async (t) => {
  const store = await newStore(t);
  const first = await store.ingestBuffer('x');
  const again = await store.ingestBuffer('x', first.digest);
  assert.deepEqual(again, first);
});

test('many small chunks and batches over 1 MiB are written whole and in order', async (t) => {
  const store = await newStore(t);
  // 3000 chunks of 1000 bytes: more chunks per batch than one writev takes, and several batches.
  const chunks = Array.from({ length: 3000 }, (_, i) => Buffer.alloc(1000, i % 251));
  const info = await store.ingest(Readable.from(chunks));
  assert.equal(info.digest, sha256Digest(Buffer.concat(chunks)));
  assert.equal(info.size, 3_000_000);
  assert.deepEqual(await store.readBuffer(info.digest), Buffer.concat(chunks));
});

test('an unhashed writer stores under the digest its caller gives, and refuses to commit without one', async (t) => {
  const store = await newStore(t);
  const w = await store.openWriter({ hashed: false });
  await w.write(Buffer.from('layer tar'));
  const info = await w.commit(sha256Digest('layer tar'));
  assert.deepEqual(info, { digest: sha256Digest('layer tar'), size: 9 });
  assert.equal((await store.readBuffer(info.digest)).toString(), 'layer tar');
  const bad = await store.openWriter({ hashed: false });
  await bad.write(Buffer.from('x'));
  await assert.rejects(bad.commit(), InvalidParameterError);
  assert.deepEqual(await readdir(path.join(store.root, 'ingest')), []);
});

test('a finished download is linked into place and kept until discarded; sweep drops the ones whose blob is in place', async (t) => {
  const store = await newStore(t);
  const done = Buffer.from('downloaded');
  const half = Buffer.from('half of it');
  const a = await store.openPartial(sha256Digest(done));
  await a.write(done);
  await a.finish();
  await store.linkPartial(sha256Digest(done));
  await store.linkPartial(sha256Digest(done)); // again: a no-op
  assert.equal(await store.has(sha256Digest(done)), true);
  const b = await store.openPartial(sha256Digest(half));
  await b.write(half.subarray(0, 4));
  await b.close();
  const partials = () => readdir(path.join(store.root, 'partial'));
  assert.equal((await partials()).length, 2);
  await store.sweep();
  assert.deepEqual(await partials(), [sha256Digest(half).slice(7)]);
  assert.equal(await store.has(sha256Digest(done)), true);
});
