import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ContentStore } from '../../../src/store/content/content-store.ts';
import { LayerStore } from '../../../src/store/layers/layer-store.ts';
import { MNT_DETACH, native } from '../../../src/drivers/native.ts';
import { sha256Digest, type ChainId } from '../../../src/oci/digest.ts';
import { InvalidParameterError } from '../../../src/util/errors.ts';
import { buildTar, requireRoot, streamOf, tempDir, type TestContext } from './helpers.ts';

// vfs_cap_data v2 with cap_net_raw permitted+effective: contains bytes > 0x7f on purpose.
const CAP = Buffer.from([0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
CAP[4] = 0xff;

async function newStores(t: TestContext): Promise<{ dir: string; content: ContentStore; layers: LayerStore }> {
  const dir = await tempDir(t, 'layers');
  const content = new ContentStore(path.join(dir, 'content'));
  await content.init();
  const layers = new LayerStore(path.join(dir, 'layers'), { content, sys: native() });
  await layers.init();
  return { dir, content, layers };
}

const lowerTar = () =>
  buildTar([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/passwd', body: 'root:x:0:0::/root:/bin/sh\n', mode: 0o644 },
    { name: 'etc/hidden', body: 'gone soon\n' },
    { name: 'var/', type: 'directory', mode: 0o755 },
    { name: 'var/lib/', type: 'directory', mode: 0o755 },
    { name: 'var/lib/old', body: 'old\n' },
    { name: 'bin/', type: 'directory', mode: 0o755 },
    { name: 'bin/tool', body: 'x', mode: 0o4755, uid: 1000, gid: 1000, rawPax: { 'security.capability': CAP } },
    { name: 'bin/tool-link', type: 'link', linkname: 'bin/tool' },
    { name: 'bin/sym', type: 'symlink', linkname: 'tool' },
    { name: 'dev/', type: 'directory' },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
  ]);

const upperTar = () =>
  buildTar([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/.wh.hidden' },
    { name: 'var/lib/', type: 'directory', mode: 0o700 },
    { name: 'var/lib/.wh..wh..opq' },
    { name: 'var/lib/new', body: 'new\n' },
  ]);

test('a layer with whiteouts, opaque dir, hardlink, symlink, device and xattr unpacks for overlayfs', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, content, layers } = await newStores(t);
  const lowerBytes = await lowerTar();
  const lower = await layers.unpack(streamOf(gzipSync(lowerBytes)), undefined);
  assert.equal(lower.diffId, sha256Digest(lowerBytes), 'diffId is the digest of the uncompressed tar');
  assert.equal(lower.chainId, lower.diffId);
  assert.equal(await content.has(sha256Digest(lowerBytes)), true, 'the uncompressed tar is kept');
  const upper = await layers.unpack(streamOf(await upperTar()), lower.chainId);
  assert.equal(upper.parent, lower.chainId);
  assert.deepEqual(layers.lowerDirs(upper.chainId), [layers.diffDir(upper.chainId), layers.diffDir(lower.chainId)]);

  const l = layers.diffDir(lower.chainId);
  const tool = await fs.lstat(path.join(l, 'bin/tool'));
  assert.equal(tool.mode & 0o7777, 0o4755, 'setuid kept (chmod after chown)');
  assert.equal(tool.uid, 1000);
  assert.equal(tool.nlink, 2, 'hardlink within the layer');
  assert.equal(tool.mtime.toISOString(), '2020-01-02T03:04:05.000Z');
  assert.deepEqual(native().lgetxattr(path.join(l, 'bin/tool'), 'security.capability'), CAP, 'binary xattr kept byte for byte');
  assert.equal(await fs.readlink(path.join(l, 'bin/sym')), 'tool');
  assert.equal((await fs.lstat(path.join(l, 'dev/null'))).rdev, 0x103);
  assert.equal((await fs.lstat(path.join(l, 'etc'))).mtime.toISOString(), '2020-01-02T03:04:05.000Z', 'dir times set last');

  const u = layers.diffDir(upper.chainId);
  const wh = await fs.lstat(path.join(u, 'etc/hidden'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout is a 0/0 char device');
  assert.equal(native().lgetxattr(path.join(u, 'var/lib'), 'trusted.overlay.opaque')?.toString(), 'y');

  const merged = path.join(dir, 'merged');
  const work = path.join(dir, 'work');
  const rw = path.join(dir, 'rw');
  await Promise.all([merged, work, rw].map((d) => fs.mkdir(d)));
  native().mount('overlay', merged, 'overlay', 0, `lowerdir=${layers.lowerDirs(upper.chainId).join(':')},upperdir=${rw},workdir=${work}`);
  try {
  assert.equal(await fs.readFile(path.join(merged, 'etc/passwd'), 'utf8'), 'root:x:0:0::/root:/bin/sh\n');
  await assert.rejects(fs.access(path.join(merged, 'etc/hidden')), 'whiteout hides the lower file');
  assert.deepEqual(await fs.readdir(path.join(merged, 'var/lib')), ['new'], 'opaque dir hides lower content');

  // Container-like changes in the rw layer, then changes() and diffTar().
  await fs.writeFile(path.join(merged, 'etc/added'), 'a');
  await fs.rm(path.join(merged, 'etc/passwd'));
  await fs.writeFile(path.join(merged, 'bin/tool'), 'y');
  const list = await layers.changes(rw, layers.lowerDirs(upper.chainId));
  // /bin was copied up with its metadata, so (as in Docker) only the file counts.
  assert.deepEqual(list, [
    { Path: '/bin/tool', Kind: 0 },
    { Path: '/etc', Kind: 0 },
    { Path: '/etc/added', Kind: 1 },
    { Path: '/etc/passwd', Kind: 2 },
  ]);
  const committed = await layers.unpack(layers.diffTar(rw), upper.chainId);
  const c = layers.diffDir(committed.chainId);
  assert.ok((await fs.lstat(path.join(c, 'etc/passwd'))).isCharacterDevice(), 'deletion round-trips as a whiteout');
  assert.equal(await fs.readFile(path.join(c, 'etc/added'), 'utf8'), 'a');
  assert.deepEqual(layers.lowerDirs(committed.chainId).length, 3);
  } finally {
    native().umount2(merged, MNT_DETACH); // before the temp dir's removal (t.after)
  }
});

test('unpacking the same layer twice reuses it', async (t) => {
  if (!requireRoot(t)) return;
  const { layers } = await newStores(t);
  const bytes = await buildTar([{ name: 'a', body: 'a' }]);
  const first = await layers.unpack(streamOf(bytes), undefined);
  const again = await layers.unpack(streamOf(bytes), undefined, { expectedDiffId: first.diffId });
  const third = await layers.unpack(streamOf(bytes), undefined);
  assert.deepEqual(again, first);
  assert.deepEqual(third, first);
  assert.equal((await fs.readdir(layers.root)).length, 1, 'no temp dirs left');
});

test('tar entries cannot escape the layer root', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, layers } = await newStores(t);
  const outside = path.join(dir, 'outside');
  await fs.mkdir(outside);
  const cases = [
    [{ name: '../escape', body: 'x' }],
    [{ name: 'l', type: 'symlink' as const, linkname: '../../../../../x' }],
    [{ name: 'h', type: 'link' as const, linkname: '../x' }],
  ];
  for (const entries of cases) {
    await assert.rejects(layers.unpack(streamOf(await buildTar(entries)), undefined), InvalidParameterError, entries[0]!.name);
  }
  // A symlink to an absolute dir is followed inside the root, never out of it.
  const rec = await layers.unpack(
    streamOf(await buildTar([{ name: 'esc', type: 'symlink', linkname: outside }, { name: 'esc/file', body: 'x' }])),
    undefined,
  );
  assert.deepEqual(await fs.readdir(outside), []);
  assert.equal(await fs.readFile(path.join(layers.diffDir(rec.chainId), outside, 'file'), 'utf8'), 'x');
  assert.equal((await fs.readdir(layers.root)).length, 1, 'failed unpacks leave nothing');
});

test('reconcile drops layer dirs without layer.json', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, content, layers } = await newStores(t);
  const rec = await layers.unpack(streamOf(await buildTar([{ name: 'a', body: 'a' }])), undefined);
  await fs.mkdir(path.join(layers.root, 'f'.repeat(64), 'diff'), { recursive: true });
  await fs.mkdir(path.join(layers.root, '.tmp-1234', 'diff'), { recursive: true });
  const again = new LayerStore(path.join(dir, 'layers'), { content, sys: native() });
  await again.init();
  assert.deepEqual(await fs.readdir(layers.root), [rec.chainId.slice(7)]);
  assert.ok(again.has(rec.chainId as ChainId));
});
