/**
 * docker cp and export on a plain directory standing in for a container's
 * root filesystem (no container needed). Needs root for lchown of entries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { archiveContainerPath, exportRootfs, extractToContainer, statContainerPath, type ArchiveTarget } from './archive.ts';
import { NotFoundError, SystemError } from '../../util/errors.ts';

interface Listed {
  name: string;
  type: string;
  linkname: string | null | undefined;
  body: string;
}

async function list(stream: Readable): Promise<Listed[]> {
  const extract = tar.extract();
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  const out: Listed[] = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ name: entry.header.name, type: entry.header.type, linkname: entry.header.linkname, body: Buffer.concat(chunks).toString() });
  }
  return out;
}

async function tarOf(entries: { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; linkname?: string; uid?: number }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    pack.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: e.type === 'directory' ? 0o755 : 0o644, uid: e.uid ?? 0, gid: 0, mtime: new Date('2020-01-02T03:04:05Z') }, e.body ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Extraction sets owners from the headers (lchown), which needs root. */
const ROOT_ONLY = { skip: process.getuid?.() !== 0 ? 'needs root (lchown)' : false };

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

async function fixture(t: { after: (fn: () => Promise<void>) => void }): Promise<{ target: ArchiveTarget; base: string }> {
  const base = await mkdtemp(path.join(tmpdir(), 'berth-archive-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'merged');
  const vol = path.join(base, 'vol');
  await mkdir(path.join(root, 'd/sub'), { recursive: true });
  await mkdir(path.join(root, 'data'), { recursive: true });
  await mkdir(path.join(root, 'dst'), { recursive: true });
  await mkdir(path.join(root, 'ro'), { recursive: true });
  await mkdir(vol);
  await writeFile(path.join(root, 'd/f'), 'hi\n');
  await link(path.join(root, 'd/f'), path.join(root, 'd/hard'));
  await symlink('f', path.join(root, 'd/rel'));
  await symlink('/d', path.join(root, 'lnk'));
  await symlink('../../../../../../', path.join(root, 'dst/escape'));
  await writeFile(path.join(vol, 'v.txt'), 'volume\n');
  await utimes(path.join(root, 'd'), new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00.5Z'));
  return {
    target: { root, ref: 'web', mounts: [{ destination: '/data', source: vol }, { destination: '/ro', source: vol, readOnly: true }] },
    base,
  };
}

test('stat reports Go file modes, names and resolved link targets', async (t) => {
  const { target } = await fixture(t);
  const d = await statContainerPath(target, '/d');
  assert.deepEqual(d, { name: 'd', size: d.size, mode: 2 ** 31 + 0o755, mtime: '2021-01-01T00:00:00.5Z', linkTarget: '' });
  assert.equal((await statContainerPath(target, '/d/.')).name, '.');
  const l = await statContainerPath(target, '/lnk');
  assert.deepEqual([l.name, l.mode, l.size, l.linkTarget], ['lnk', 2 ** 27 + 0o777, 2, '/d']);
  assert.equal((await statContainerPath(target, '/lnk/')).mode, 2 ** 31 + 0o755);
  assert.equal((await statContainerPath(target, '/d/rel')).linkTarget, '/d/f');
  assert.equal((await statContainerPath(target, '/')).name, '/');
  assert.equal((await statContainerPath(target, '/data/v.txt')).size, 7);
  await assert.rejects(statContainerPath(target, '/nonexist'), (e: unknown) => e instanceof NotFoundError && e.message === 'Could not find the file /nonexist in container web');
  await assert.rejects(statContainerPath(target, '/d/f/'), SystemError);
});

test('GET archives a directory under its name, hard links as links', async (t) => {
  const { target } = await fixture(t);
  const { stat, stream } = await archiveContainerPath(target, '/d');
  assert.equal(stat.name, 'd');
  const entries = await list(stream);
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.linkname ?? null]),
    [
      ['d/', 'directory', null],
      ['d/f', 'file', null],
      ['d/hard', 'link', 'd/f'],
      ['d/rel', 'symlink', 'f'],
      ['d/sub/', 'directory', null],
    ],
  );
  assert.equal(entries[1]?.body, 'hi\n');
});

test('GET with "/." rebases to ".", a final symlink is archived as a link, "/" keeps its slash', async (t) => {
  const { target } = await fixture(t);
  const dot = await list((await archiveContainerPath(target, '/lnk/.')).stream);
  assert.deepEqual(dot.map((e) => e.name).slice(0, 2), ['./', './f']);
  const viaSlash = await list((await archiveContainerPath(target, '/lnk/')).stream);
  assert.equal(viaSlash[0]?.name, 'lnk/');
  const l = await list((await archiveContainerPath(target, '/lnk')).stream);
  assert.deepEqual(l.map((e) => [e.name, e.type, e.linkname]), [['lnk', 'symlink', '/d']]);
  const root = await list((await archiveContainerPath(target, '/')).stream);
  assert.deepEqual(root.slice(0, 2).map((e) => e.name), ['/', '/d/']);
  assert.ok(root.some((e) => e.name === '/data/v.txt' && e.body === 'volume\n'), 'mount contents appear at the destination');
});

test('PUT round-trips an archive into another directory', ROOT_ONLY, async (t) => {
  const { target } = await fixture(t);
  const { stream } = await archiveContainerPath(target, '/d');
  await extractToContainer(target, '/dst', stream, { noOverwriteDirNonDir: false });
  const root = target.root;
  assert.equal(await readFile(path.join(root, 'dst/d/f'), 'utf8'), 'hi\n');
  assert.equal((await lstat(path.join(root, 'dst/d/hard'))).ino, (await lstat(path.join(root, 'dst/d/f'))).ino);
  assert.equal(await readlink(path.join(root, 'dst/d/rel')), 'f');
  assert.equal((await lstat(path.join(root, 'dst/d'))).mtime.toISOString(), '2021-01-01T00:00:00.000Z');
  // Through a symlink to a directory, into a mount.
  await extractToContainer(target, '/lnk', Readable.from(await tarOf([{ name: 'new.txt', body: 'n' }])), { noOverwriteDirNonDir: false });
  assert.equal(await readFile(path.join(root, 'd/new.txt'), 'utf8'), 'n');
  await extractToContainer(target, '/data', once(gzipSync(await tarOf([{ name: 'z.txt', body: 'gz', uid: 1234 }]))), { noOverwriteDirNonDir: false });
  const z = await lstat(path.join(path.dirname(root), 'vol/z.txt'));
  assert.equal(z.uid, 1234);
});

test('PUT errors are Docker words', ROOT_ONLY, async (t) => {
  const { target } = await fixture(t);
  const small = async () => Readable.from(await tarOf([{ name: 'x', body: 'x' }]));
  await assert.rejects(extractToContainer(target, '/nonexist', await small(), { noOverwriteDirNonDir: false }), {
    message: 'Could not find the file /nonexist in container web',
  });
  await assert.rejects(extractToContainer(target, '/d/f', await small(), { noOverwriteDirNonDir: false }), { message: 'extraction point is not a directory' });
  await assert.rejects(extractToContainer(target, '/ro', await small(), { noOverwriteDirNonDir: false }), { message: 'mounted volume is marked read-only' });
  await assert.rejects(extractToContainer({ ...target, readonlyRootfs: true }, '/d', await small(), { noOverwriteDirNonDir: false }), {
    message: 'container rootfs is marked read-only',
  });
  await extractToContainer({ ...target, readonlyRootfs: true }, '/data', await small(), { noOverwriteDirNonDir: false });
  await assert.rejects(
    extractToContainer(target, '/d', Readable.from(await tarOf([{ name: 'sub', body: 'file now' }])), { noOverwriteDirNonDir: true }),
    { message: 'Error processing tar file(exit status 1): cannot overwrite directory "/d/sub" with non-directory "/d"' },
  );
  await assert.rejects(
    extractToContainer(target, '/d', Readable.from(await tarOf([{ name: 'f', type: 'directory' }])), { noOverwriteDirNonDir: true }),
    { message: 'Error processing tar file(exit status 1): cannot overwrite non-directory "/d/f" with directory "/d"' },
  );
  // Without the flag a directory replaces the file.
  await extractToContainer(target, '/d', Readable.from(await tarOf([{ name: 'f', type: 'directory' }])), { noOverwriteDirNonDir: false });
  assert.ok((await lstat(path.join(target.root, 'd/f'))).isDirectory());
});

test('PUT never writes outside the container', ROOT_ONLY, async (t) => {
  const { target, base } = await fixture(t);
  await assert.rejects(extractToContainer(target, '/d', Readable.from(await tarOf([{ name: '../../x', body: 'x' }])), { noOverwriteDirNonDir: false }), /is outside of/);
  await assert.rejects(
    extractToContainer(target, '/d', Readable.from(await tarOf([{ name: 'evil', type: 'symlink', linkname: '../../../etc' }])), { noOverwriteDirNonDir: false }),
    /invalid symlink "\/d\/evil" -> "..\/..\/..\/etc"/,
  );
  // dst/escape points far above the root: inside the container it means "/".
  await extractToContainer(target, '/dst', Readable.from(await tarOf([{ name: 'escape/landed.txt', body: 'in root' }])), { noOverwriteDirNonDir: false });
  assert.equal(await readFile(path.join(target.root, 'landed.txt'), 'utf8'), 'in root');
  await assert.rejects(lstat(path.join(base, '..', 'landed.txt')));
  await assert.rejects(lstat('/landed.txt'));
});

test('export tars the whole rootfs with relative names and no root entry', async (t) => {
  const { target } = await fixture(t);
  const names = (await list(exportRootfs(target.root))).map((e) => e.name);
  assert.deepEqual(names.slice(0, 3), ['d/', 'd/f', 'd/hard']);
  assert.ok(names.includes('lnk'));
  assert.ok(names.includes('data/'));
  assert.ok(!names.includes('data/v.txt'), 'mount contents are not part of the rootfs');
});
