/**
 * Content reclaimed by rmi and image prune (issue 9, item 5), on a real
 * daemon through the real docker CLI: what an image brought into content/
 * and layers/ goes with it, a kill -9 mid-rmi never takes a blob a remaining
 * image needs, the next start sweeps what a crash left, and `system df`'s
 * Reclaimable is exactly what `image prune -a` frees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainIds, type DiffId } from '../../../src/oci/digest.ts';
import { docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { buildTar } from './helpers.ts';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/busybox-ref.tar');

/** go-units' HumanSize, as the docker CLI prints sizes: 4 significant digits, decimal units. */
function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  for (; bytes >= 1000 && i < units.length - 1; i++) bytes /= 1000;
  return `${Number(bytes.toPrecision(4))}${units[i]}`;
}

/** What content/ and layers/ hold, one path a line (two levels: blobs, layer dirs). */
async function listing(d: Daemon): Promise<string[]> {
  const out: string[] = [];
  for (const top of ['content', 'layers']) {
    for (const name of await fs.readdir(path.join(d.dataRoot, top))) {
      out.push(`${top}/${name}`);
      const sub = path.join(d.dataRoot, top, name);
      if (top === 'content' && (await fs.stat(sub)).isDirectory()) for (const n of await fs.readdir(sub)) out.push(`${top}/${name}/${n}`);
    }
  }
  return out.sort();
}

async function ok(d: Daemon, args: string[], input?: string | Buffer): Promise<string> {
  const r = await docker(d, args, { input });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A rootfs tarball for `docker import` with `files` small files (distinct per `seed`). */
function rootfs(seed: string, files = 3): Promise<Buffer> {
  return buildTar([{ name: 'data/', type: 'directory', mode: 0o755 }, ...Array.from({ length: files }, (_, i) => ({ name: `data/${seed}-${i}`, body: `${seed} ${i}\n`, mode: 0o644 }))]);
}

/** Commit a container of `from` that wrote one file; returns the new image's ID. */
async function commitOn(d: Daemon, from: string, ref: string): Promise<string> {
  const name = `c-${ref.replace(/\W/g, '-')}`;
  await ok(d, ['run', '--name', name, from, 'sh', '-c', `echo ${ref} > /${name}`]);
  const id = await ok(d, ['commit', name, ref]);
  await ok(d, ['rm', name]);
  return id;
}

/** The blobs and layer dirs the store must hold for its images (and the containers' images), nothing else. */
async function referenced(d: Daemon): Promise<{ blobs: string[]; layers: string[] }> {
  const ids = (await ok(d, ['images', '-a', '-q', '--no-trunc'])).split('\n').filter(Boolean);
  const blobs = new Set<string>();
  const layers = new Set<string>();
  for (const id of ids) {
    const inspect = JSON.parse(await ok(d, ['image', 'inspect', id])) as Array<{ Id: string; RootFS: { Layers?: string[] } }>;
    const image = inspect[0]!;
    blobs.add(image.Id.slice('sha256:'.length));
    for (const l of image.RootFS.Layers ?? []) blobs.add(l.slice('sha256:'.length));
    for (const c of chainIds((image.RootFS.Layers ?? []) as DiffId[])) layers.add(c.slice('sha256:'.length));
  }
  return { blobs: [...blobs].sort(), layers: [...layers].sort() };
}

async function onDisk(d: Daemon): Promise<{ blobs: string[]; layers: string[] }> {
  const hex = /^[a-f0-9]{64}$/;
  const blobs = (await fs.readdir(path.join(d.dataRoot, 'content/sha256'))).filter((n) => hex.test(n)).sort();
  const layers = (await fs.readdir(path.join(d.dataRoot, 'layers'))).filter((n) => hex.test(n)).sort();
  return { blobs, layers };
}

test('rmi of committed, imported and loaded images, shared tags and child images leaves content/ and layers/ as before them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await ok(d, ['run', '--rm', 'busybox', 'true']); // whatever a first container adds under layers/ is in the baseline
  const before = await listing(d);

  // commit, and a child image sharing its layers; the parent goes after the child.
  await commitOn(d, 'busybox', 'committed:1');
  await commitOn(d, 'committed:1', 'child:1');
  const parent = await ok(d, ['images', '-q', '--no-trunc', 'committed:1']);
  assert.match((await docker(d, ['rmi', parent])).stderr, /image has dependent child images/);
  assert.equal(await ok(d, ['rmi', 'committed:1']), 'Untagged: committed:1'); // the parent stays for its child
  assert.match(await ok(d, ['rmi', 'child:1']), new RegExp(`Deleted: ${parent}`)); // and goes with it
  assert.deepEqual(await listing(d), before, 'commit + rmi');
  await commitOn(d, 'busybox', 'committed:1');
  await commitOn(d, 'committed:1', 'child:1');
  await ok(d, ['rmi', 'child:1']);
  await ok(d, ['rmi', 'committed:1']);
  assert.deepEqual(await listing(d), before, 'commit + rmi, the child first');

  // import, tagged twice: the first rmi only untags.
  await ok(d, ['import', '-', 'imported:1'], await rootfs('a'));
  await ok(d, ['tag', 'imported:1', 'imported:2']);
  assert.doesNotMatch(await ok(d, ['rmi', 'imported:1']), /Deleted/);
  await ok(d, ['rmi', 'imported:2']);
  assert.deepEqual(await listing(d), before, 'import + rmi');

  // a tag moved from one image to another: the dangling one is pruned.
  await ok(d, ['import', '-', 'moved:1'], await rootfs('b'));
  await ok(d, ['import', '-', 'moved:1'], await rootfs('c'));
  await ok(d, ['image', 'prune', '-f']);
  await ok(d, ['rmi', 'moved:1']);
  assert.deepEqual(await listing(d), before, 'a moved tag + prune + rmi');

  // load (a docker save archive, and one Berth saved), then rmi.
  await ok(d, ['load', '-i', FIXTURE]);
  const loaded = await ok(d, ['images', '-q', '--no-trunc', 'busybox-ref']);
  await ok(d, ['rmi', loaded]);
  assert.deepEqual(await listing(d), before, 'load + rmi');
  await commitOn(d, 'busybox', 'saved:1');
  const saved = path.join(path.dirname(d.dataRoot), 'saved.tar');
  await ok(d, ['save', '-o', saved, 'saved:1']);
  await ok(d, ['rmi', 'saved:1']);
  assert.deepEqual(await listing(d), before, 'commit + save + rmi');
  await ok(d, ['load', '-i', saved]);
  await ok(d, ['run', '--rm', 'saved:1', 'cat', '/c-saved-1']);
  await ok(d, ['rmi', 'saved:1']);
  assert.deepEqual(await listing(d), before, 'load of a saved child + rmi');

  // rmi -f of an image a stopped container uses keeps its layers until both are gone.
  await commitOn(d, 'busybox', 'used:1');
  await ok(d, ['create', '--name', 'user', 'used:1', 'cat', '/c-used-1']);
  await ok(d, ['rmi', '-f', 'used:1']);
  assert.equal((await docker(d, ['start', '-a', 'user'])).stdout, 'used:1\n');
  assert.notDeepEqual(await listing(d), before, 'the container keeps its layers');
  await ok(d, ['rm', 'user']);
  // Swept in the background once the container's rootfs is released.
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && (await listing(d)).join() !== before.join(); ) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await listing(d), before, 'rmi -f of an image in use, then the container');
});

test('image prune -a frees exactly what system df calls reclaimable, and leaves content/ and layers/ as before', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await ok(d, ['run', '--rm', 'busybox', 'true']); // whatever a first container adds under layers/ is in the baseline
  await ok(d, ['create', '--name', 'keep', 'busybox', 'true']); // busybox stays: containers use it
  await ok(d, ['create', '--name', 'keep2', 'busybox', 'true']);
  const before = await listing(d);
  await commitOn(d, 'busybox', 'used:1');
  await commitOn(d, 'used:1', 'child:1'); // unused, shares used:1's layers
  await ok(d, ['import', '-', 'imported:1'], await rootfs('p', 50));
  await ok(d, ['load', '-i', FIXTURE]); // shares nothing (a different busybox)
  await ok(d, ['create', '--name', 'user', 'used:1', 'true']);

  const df = (await d.api('GET', '/system/df')).body as { LayersSize: number; Images: Array<{ RepoTags: string[]; Size: number; SharedSize: number; Containers: number }> };
  assert.equal(df.Images.find((i) => i.RepoTags.includes('busybox:latest'))?.Containers, 2);
  const shown = (await ok(d, ['system', 'df', '--format', '{{.Type}} {{.Reclaimable}}'])).split('\n')[0];
  // The docker CLI's Reclaimable for images (cli/command/formatter/disk_usage.go).
  const reclaimable = df.LayersSize - df.Images.filter((i) => i.Containers > 0).reduce((n, i) => n + i.Size - i.SharedSize, 0);
  const pruned = (await d.api('POST', '/images/prune?filters=' + encodeURIComponent('{"dangling":["false"]}'))).body as { SpaceReclaimed: number; ImagesDeleted: unknown[] };
  assert.ok(pruned.SpaceReclaimed > 0);
  assert.equal(pruned.SpaceReclaimed, reclaimable);
  assert.equal(shown, `Images ${humanSize(pruned.SpaceReclaimed)} (${Math.floor((pruned.SpaceReclaimed * 100) / df.LayersSize)}%)`);
  const after = (await d.api('GET', '/system/df')).body as typeof df;
  assert.equal(after.LayersSize, df.LayersSize - pruned.SpaceReclaimed);
  assert.equal((await ok(d, ['system', 'df', '--format', '{{.Type}} {{.Reclaimable}}'])).split('\n')[0], 'Images 0B (0%)');

  await ok(d, ['rm', 'user']);
  await ok(d, ['image', 'prune', '-a', '-f']);
  assert.deepEqual(await listing(d), before);
  await ok(d, ['rm', 'keep', 'keep2']);
  await ok(d, ['image', 'prune', '-a', '-f']);
  assert.deepEqual(await onDisk(d), { blobs: [], layers: [] });
});

test('a kill -9 in the middle of an rmi leaves every remaining image runnable, and the next start sweeps the rest', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const big = await rootfs('big', 1000); // a layer that takes a while to delete
  const images = async (): Promise<void> => {
    await ok(d, ['import', '-', 'big:1'], big);
    await commitOn(d, 'busybox', 'small:1');
    await commitOn(d, 'small:1', 'small:2');
  };
  const removeAll = async (): Promise<void> => {
    for (const ref of ['big:1', 'small:2', 'small:1']) await d.api('DELETE', `/images/${ref}`);
  };
  // How long the removals take uninterrupted, to spread the kills over that time.
  await images();
  let started = process.hrtime.bigint();
  await removeAll();
  const fullMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (const fraction of [0.2, 0.5, 0.8]) {
    await images();
    started = process.hrtime.bigint();
    const removing = removeAll().catch(() => undefined); // the daemon dies under it
    await new Promise((r) => setTimeout(r, fullMs * fraction));
    await d.stop(true);
    await removing;
    await d.restart();
    // Exactly what the remaining images reference is left, and each of them runs.
    assert.deepEqual(await onDisk(d), await referenced(d), `after a kill at ${Math.round(fraction * 100)}% of an rmi`);
    for (const ref of ['busybox', 'small:1', 'small:2']) {
      if ((await docker(d, ['image', 'inspect', ref])).code === 0) await ok(d, ['run', '--rm', ref, 'true']);
    }
    await removeAll();
  }
  assert.deepEqual(await onDisk(d), await referenced(d));
});

test('what a crash leaves between a record and its blobs is swept at the next start', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const expected = await onDisk(d);
  const keep = (await ok(d, ['images', '-q', '--no-trunc', 'busybox'])).slice('sha256:'.length);
  await ok(d, ['import', '-', 'lost:1'], await rootfs('lost'));
  await commitOn(d, 'busybox', 'lost:2');
  await d.stop(true);
  // As if the daemon died after deleting the records, before the sweep; and after an ingest, before its record.
  for (const name of await fs.readdir(path.join(d.dataRoot, 'images'))) {
    if (/^[a-f0-9]{64}\.json$/.test(name) && name !== `${keep}.json`) await fs.rm(path.join(d.dataRoot, 'images', name));
  }
  await fs.writeFile(path.join(d.dataRoot, 'content/sha256', 'f'.repeat(64)), 'garbage');
  await d.restart();
  assert.deepEqual(await onDisk(d), expected);
  await ok(d, ['run', '--rm', 'busybox', 'true']);
});

test('an rmi while a load is streaming in sweeps none of the blobs the load has written', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const archive = readFileSync(FIXTURE);
  // The fixture's one layer.tar (2,129,920 bytes) starts at the block after its header, which names it.
  const start = (Math.floor(archive.indexOf('/layer.tar') / 512) + 1) * 512;
  const cut = start + 2_129_920;
  const staged = path.join(d.dataRoot, 'content/sha256', createHash('sha256').update(archive.subarray(start, cut)).digest('hex'));
  const load = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: '/images/load?quiet=1', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(archive.subarray(0, cut));
    void waitFor(staged).then(async () => {
      // The layer tar is in content/ and no record names it yet: a removal's sweep now must leave it.
      await ok(d, ['import', '-', 'other:1'], await rootfs('other'));
      assert.match(await ok(d, ['rmi', 'other:1']), /Deleted/);
      req.end(archive.subarray(cut));
    }, reject);
  });
  const r = await load;
  assert.equal(r.status, 200, r.text);
  assert.doesNotMatch(r.text, /error/i);
  await ok(d, ['run', '--rm', 'busybox-ref', 'true']);
  await ok(d, ['rmi', 'busybox-ref']);
  assert.deepEqual(await onDisk(d), await referenced(d));
});

async function waitFor(file: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    if (await fs.access(file).then(() => true, () => false)) return;
  }
  throw new Error(`${file} did not appear`);
}
