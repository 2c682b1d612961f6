import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostPathOf, resolveInRoot, type ContainerFs } from './resolve-in-root.ts';

async function fixture(t: { after: (fn: () => Promise<void>) => void }): Promise<{ fs: ContainerFs; base: string }> {
  const base = await mkdtemp(path.join(tmpdir(), 'berth-resolve-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'root');
  const vol = path.join(base, 'vol');
  await mkdir(path.join(root, 'etc'), { recursive: true });
  await mkdir(path.join(root, 'data'), { recursive: true });
  await mkdir(path.join(root, 'a/b'), { recursive: true });
  await mkdir(vol, { recursive: true });
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0\n');
  await symlink('/etc', path.join(root, 'abs-etc'));
  await symlink('../../../../../etc', path.join(root, 'a/b/climb'));
  await symlink('b', path.join(root, 'a/rel'));
  await symlink('loop2', path.join(root, 'loop1'));
  await symlink('loop1', path.join(root, 'loop2'));
  await symlink('/etc/passwd', path.join(root, 'pw'));
  await symlink('/', path.join(root, 'to-root'));
  await symlink('/etc', path.join(vol, 'back-to-etc'));
  await writeFile(path.join(vol, 'file'), 'v');
  return { fs: { root, mounts: [{ destination: '/data', source: vol }] }, base };
}

const follow = { followFinalSymlink: true };
const noFollow = { followFinalSymlink: false };

test('absolute symlinks resolve against the container root', async (t) => {
  const { fs } = await fixture(t);
  const r = await resolveInRoot(fs, '/abs-etc/passwd', follow);
  assert.equal(r.containerPath, '/etc/passwd');
  assert.equal(r.hostPath, path.join(fs.root, 'etc/passwd'));
});

test('.. in a link target never climbs above the root', async (t) => {
  const { fs } = await fixture(t);
  assert.equal((await resolveInRoot(fs, '/a/b/climb/passwd', follow)).containerPath, '/etc/passwd');
  assert.equal((await resolveInRoot(fs, '/../../../etc', follow)).containerPath, '/etc');
  assert.equal((await resolveInRoot(fs, '/to-root/..', follow)).hostPath, fs.root);
});

test('the final symlink is kept unless asked to follow it', async (t) => {
  const { fs } = await fixture(t);
  assert.equal((await resolveInRoot(fs, '/a/rel', noFollow)).containerPath, '/a/rel');
  assert.equal((await resolveInRoot(fs, '/a/rel', follow)).containerPath, '/a/b');
  assert.equal((await resolveInRoot(fs, '/abs-etc/', noFollow)).containerPath, '/abs-etc');
  assert.equal((await resolveInRoot(fs, '/pw', follow)).containerPath, '/etc/passwd');
});

test('missing components are kept lexically', async (t) => {
  const { fs } = await fixture(t);
  assert.equal((await resolveInRoot(fs, '/abs-etc/nope/x/../y', follow)).containerPath, '/etc/nope/y');
  assert.equal((await resolveInRoot(fs, '/etc/passwd/x', follow)).containerPath, '/etc/passwd/x');
});

test('symlink loops fail instead of spinning', async (t) => {
  const { fs } = await fixture(t);
  await assert.rejects(resolveInRoot(fs, '/loop1', follow), /too many links/);
});

test('paths under a mount map to its source; links in the mount stay in the container', async (t) => {
  const { fs, base } = await fixture(t);
  const f = await resolveInRoot(fs, '/data/file', follow);
  assert.equal(f.hostPath, path.join(base, 'vol/file'));
  assert.equal(f.mount?.destination, '/data');
  const back = await resolveInRoot(fs, '/data/back-to-etc/passwd', follow);
  assert.equal(back.hostPath, path.join(fs.root, 'etc/passwd'));
  assert.equal(back.mount, undefined);
  assert.equal(hostPathOf(fs, '/data').hostPath, path.join(base, 'vol'));
  assert.equal(hostPathOf(fs, '/database').hostPath, path.join(fs.root, 'database'));
});
