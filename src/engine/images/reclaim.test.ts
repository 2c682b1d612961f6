import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Digest } from '../../oci/digest.ts';
import type { ImageConfig } from '../../oci/image.ts';
import { ContentStore } from '../../store/content/content-store.ts';
import { LayerStore } from '../../store/layers/layer-store.ts';
import { ImageStore } from './image-store.ts';
import { Reclaimer } from './reclaim.ts';

/** Stores in a temp dir; images without layers, so no unpacking (and no root) is needed. */
async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-reclaim-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const content = new ContentStore(path.join(dir, 'content'));
  await content.init();
  const layers = new LayerStore(path.join(dir, 'layers'));
  await layers.init();
  const store = new ImageStore(path.join(dir, 'images'));
  await store.load(async () => undefined);
  const reclaimer = new Reclaimer({ store, content, layers, heldLayers: () => [] });
  const record = async (created: string): Promise<Digest> => {
    const config: ImageConfig = { architecture: 'amd64', os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } };
    const { digest } = await content.ingestBuffer(JSON.stringify(config));
    await store.put({ record: { id: digest }, config });
    return digest;
  };
  return { content, store, reclaimer, record };
}

test('a sweep deletes the blobs no record names and keeps the config blobs of records', async (t) => {
  const { content, reclaimer, record } = await setup(t);
  const kept = await record('2024-01-01T00:00:00Z');
  const garbage = (await content.ingestBuffer('left by a crash')).digest;
  await reclaimer.sweep();
  assert.deepEqual(await content.list(), [kept]);
  assert.equal(await content.has(garbage), false);
});

test('a sweep asked for while a load holds the store waits for it, and runs when it ends', async (t) => {
  const { content, store, reclaimer } = await setup(t);
  let staged: Digest | undefined;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const load = reclaimer.hold(async () => {
    staged = (await content.ingestBuffer('written before its record')).digest;
    await released;
  });
  while (!staged) await new Promise((r) => setImmediate(r));
  await reclaimer.sweep(); // deferred: returns at once
  assert.equal(await content.has(staged), true, 'a held blob survives a sweep');
  release();
  await load;
  // The deferred sweep started as the hold ended; the next hold waits for it.
  await reclaimer.hold(async () => assert.equal(await content.has(staged!), false, 'swept once the hold ended'));
  assert.equal(store.images.size, 0);
});

test('a failed hold asks for a sweep of what it wrote', async (t) => {
  const { content, reclaimer, record } = await setup(t);
  const kept = await record('2024-01-01T00:00:00Z');
  await assert.rejects(
    reclaimer.hold(async () => {
      await content.ingestBuffer('half an import');
      throw new Error('cut short');
    }),
    /cut short/,
  );
  await reclaimer.hold(async () => assert.deepEqual(await content.list(), [kept]));
});
