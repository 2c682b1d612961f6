/**
 * COPY on real directories (no daemon): a context hashed by walking it, a
 * fake rootfs with /etc/passwd, and FileCopier's results compared with what
 * Docker 20.10's classic builder writes (checked side by side).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, link, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileCopier } from '../../../src/engine/build/copy-files.ts';
import { native } from '../../../src/drivers/native.ts';
import { requireRoot } from '../../helpers/daemon.ts';
import { contextOf, copy, keyOf, look, makeRootfs, names, tempDir, writeTree } from './copy-fixtures.ts';

const OLD = 981173106; // 2001-02-03T04:05:06Z

async function setup(t: TestContext) {
  const dir = await tempDir(t);
  const ctxRoot = path.join(dir, 'ctx');
  await writeTree(ctxRoot, {
    'a.txt': 'hello\n',
    'b.txt': 'b\n',
    'dir/c.txt': 'c\n',
    'dir/sub/d.txt': 'd\n',
    'dir/lnk': '-> c.txt',
    'dir/uplink': '-> ../a.txt',
    'toplink': '-> a.txt',
    'abslink': '-> /etc/passwd',
    'star*.txt': 'star\n',
    'etc/': '',
  });
  await link(path.join(ctxRoot, 'dir/c.txt'), path.join(ctxRoot, 'dir/hard'));
  await chmod(path.join(ctxRoot, 'dir/sub'), 0o750);
  await chmod(path.join(ctxRoot, 'b.txt'), 0o600);
  await chown(path.join(ctxRoot, 'a.txt'), 1234, 1234);
  await utimes(path.join(ctxRoot, 'a.txt'), OLD, OLD);
  await utimes(path.join(ctxRoot, 'dir/sub'), OLD, OLD);
  const rootfs = await makeRootfs(dir);
  const copier = new FileCopier({ tmpDir: dir });
  return { dir, ctxRoot, rootfs, copier, ctx: await contextOf(ctxRoot) };
}

test('a file keeps its mode and mtime, is owned by root, and lands in, or as, the destination', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/x' });
  assert.deepEqual(await look(rootfs, 'x'), { ...(await look(rootfs, 'x'))!, type: 'file', content: 'hello\n', mode: 0o644, uid: 0, gid: 0, mtime: OLD });
  await copy(copier, rootfs, ctx, { sources: ['b.txt'], dest: '/tmp' });
  assert.equal((await look(rootfs, 'tmp/b.txt'))?.mode, 0o600, 'an existing directory receives the file');
  await copy(copier, rootfs, ctx, { sources: ['/a.txt'], dest: '/new/dir/' });
  const parent = await look(rootfs, 'new/dir');
  assert.equal(parent?.type, 'dir');
  assert.equal(parent?.mode, 0o755);
  assert.equal((await look(rootfs, 'new/dir/a.txt'))?.content, 'hello\n');
  await copy(copier, rootfs, ctx, { sources: ['./a.txt'], dest: 'rel', workdir: '/app' });
  assert.equal((await look(rootfs, 'app/rel'))?.content, 'hello\n', 'a relative destination is under WORKDIR');
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '.', workdir: '/tmp' });
  assert.equal((await look(rootfs, 'tmp/a.txt'))?.content, 'hello\n', "'.' is WORKDIR, an existing directory");
});

test('a directory copies its contents: modes, mtimes, symlinks and hard links kept', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/e' });
  assert.deepEqual(await names(rootfs, 'e'), ['c.txt', 'hard', 'lnk', 'sub', 'uplink']);
  const e = await look(rootfs, 'e');
  assert.equal(e?.mode, 0o755, 'the new destination is 0755, not the source directory');
  assert.notEqual(e?.mtime, OLD);
  const sub = await look(rootfs, 'e/sub');
  assert.equal(sub?.mode, 0o750);
  assert.equal(sub?.mtime, OLD);
  assert.equal((await look(rootfs, 'e/lnk'))?.target, 'c.txt');
  assert.equal((await look(rootfs, 'e/uplink'))?.target, '../a.txt');
  assert.equal((await look(rootfs, 'e/hard'))?.ino, (await look(rootfs, 'e/c.txt'))?.ino, 'hard links stay linked');
  assert.equal((await look(rootfs, 'e/sub/d.txt'))?.content, 'd\n');
  // The root of the context, into an existing directory (merged).
  await copy(copier, rootfs, ctx, { sources: ['.'], dest: '/e/' });
  assert.equal((await look(rootfs, 'e/a.txt'))?.content, 'hello\n');
  assert.equal((await look(rootfs, 'e/dir/sub/d.txt'))?.content, 'd\n');
});

test('a symlink source copies what it points to, under its own name, resolved inside the context', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['toplink', 'a.txt'], dest: '/d/' });
  const l = await look(rootfs, 'd/toplink');
  assert.equal(l?.type, 'file');
  assert.equal(l?.content, 'hello\n');
  await assert.rejects(copier.prepare({ instruction: 'COPY', sources: ['abslink'], inline: [], dest: '/x', workdir: '/', link: false, excludes: [] }, ctx), {
    message: 'COPY failed: file not found in build context or excluded by .dockerignore: stat abslink: file does not exist',
  });
});

test('wildcards match with Go filepath.Match semantics, per path', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['*.txt'], dest: '/g/' });
  assert.deepEqual(await names(rootfs, 'g'), ['a.txt', 'b.txt', 'star*.txt']);
  await copy(copier, rootfs, ctx, { sources: ['dir/*/d.txt', '[ab].txt'], dest: '/h/' });
  assert.deepEqual(await names(rootfs, 'h'), ['a.txt', 'b.txt', 'd.txt']);
  await copy(copier, rootfs, ctx, { sources: ['?.txt'], dest: '/i/' });
  assert.deepEqual(await names(rootfs, 'i'), ['a.txt', 'b.txt']);
  await copy(copier, rootfs, ctx, { sources: ['star[*].txt'], dest: '/one' });
  assert.equal((await look(rootfs, 'one'))?.content, 'star\n', 'a class matches a literal *; one match may name a file');
  await copy(copier, rootfs, ctx, { sources: ['d*'], dest: '/j/' });
  assert.deepEqual(await names(rootfs, 'j'), ['c.txt', 'hard', 'lnk', 'sub', 'uplink'], 'a matched directory copies its contents');
});

test('source errors are worded as dockerd words them', async (t) => {
  if (!requireRoot(t)) return;
  const { copier, ctx } = await setup(t);
  const fails = (sources: string[], dest: string, message: string) =>
    assert.rejects(copier.prepare({ instruction: 'COPY', sources, inline: [], dest, workdir: '/', link: false, excludes: [] }, ctx), { message });
  await fails(['../x'], '/', 'COPY failed: forbidden path outside the build context: ../x ()');
  await fails(['./../x'], '/', 'COPY failed: forbidden path outside the build context: ../x ()');
  await fails(['dir/../../x'], '/', 'COPY failed: forbidden path outside the build context: dir/../../x ()');
  await fails(['dir/c.txt/x'], '/', 'COPY failed: forbidden path outside the build context: dir/c.txt/x ()');
  await fails(['missing.txt'], '/', 'COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist');
  await fails(['nomatch*'], '/', 'COPY failed: no source files were specified');
  await fails(['a.txt', 'b.txt'], '/dst', 'When using COPY with more than one source file, the destination must be a directory and end with a /');
  await fails(['a.txt', 'b.txt'], '.', 'When using COPY with more than one source file, the destination must be a directory and end with a /');
  await fails(['*.txt'], '/dst', 'When using COPY with more than one source file, the destination must be a directory and end with a /');
  await fails(['http://127.0.0.1:1/x'], '/', "COPY failed: source can't be a URL for COPY");
  await symlink('loop', path.join(ctx.root, 'loop'));
  await fails(['loop'], '/', 'COPY failed: forbidden path outside the build context: loop ()');
});

test('--chown takes numbers or names from the destination rootfs, the user as group when none', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/x', chown: 'nobody' });
  assert.deepEqual([(await look(rootfs, 'x'))?.uid, (await look(rootfs, 'x'))?.gid], [65534, 65534]);
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/y', chown: 'app:staff' });
  assert.deepEqual([(await look(rootfs, 'y'))?.uid, (await look(rootfs, 'y'))?.gid], [1000, 50]);
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/q/r/s', chown: '7:8' });
  for (const p of ['q', 'q/r', 'q/r/s']) assert.deepEqual([(await look(rootfs, p))?.uid, (await look(rootfs, p))?.gid], [7, 8], `${p}: a file's new parents are the owner's`);
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/w/v/', chown: '12' });
  assert.deepEqual([(await look(rootfs, 'w'))?.uid, (await look(rootfs, 'w/v'))?.uid, (await look(rootfs, 'w/v/sub/d.txt'))?.gid], [0, 12, 12], "a directory's new parents are root's, itself the owner's");
  assert.equal((await look(rootfs, 'w/v/lnk'))?.uid, 12, 'symlinks too');
  const fails = async (chownFlag: string, message: string) => {
    const prepared = await copier.prepare({ instruction: 'COPY', sources: ['a.txt'], inline: [], dest: '/z', workdir: '/', link: false, excludes: [], chown: chownFlag }, ctx);
    await assert.rejects(prepared.apply(rootfs), { message });
    await prepared.dispose();
  };
  await fails('foo', "unable to convert uid/gid chown string to host mapping: can't find uid for user foo: no such user: foo");
  await fails('1:foo', "unable to convert uid/gid chown string to host mapping: can't find gid for group foo: no such group: foo");
  await fails('solo', "unable to convert uid/gid chown string to host mapping: can't find gid for group solo: no such group: solo");
  await fails('1:2:3', 'unable to convert uid/gid chown string to host mapping: invalid chown string format: 1:2:3');
  assert.equal(await look(rootfs, 'z'), undefined);
});

test('--chmod applies to every copied file and directory', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['dir', 'b.txt'], dest: '/m/', chmod: '0710' });
  for (const p of ['m', 'm/sub', 'm/c.txt', 'm/sub/d.txt', 'm/b.txt']) assert.equal((await look(rootfs, p))?.mode, 0o710, p);
  await assert.rejects(copier.prepare({ instruction: 'COPY', sources: ['a.txt'], inline: [], dest: '/', workdir: '/', link: false, excludes: [], chmod: '888' }, ctx), {
    message: "invalid chmod parameter: '888'. it should be octal string and between 0 and 07777",
  });
});

test('the destination is resolved inside the rootfs: its symlinks are followed without escaping', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, copier, ctx } = await setup(t);
  await mkdir(path.join(rootfs, 'p2'));
  await symlink('/p2', path.join(rootfs, 'lnk'));
  await symlink('../../p3', path.join(rootfs, 'rel'));
  await symlink('/../../../outside', path.join(rootfs, 'esc'));
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/lnk/' });
  assert.equal((await look(rootfs, 'p2/a.txt'))?.content, 'hello\n');
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/lnk' });
  assert.equal((await look(rootfs, 'lnk'))?.type, 'symlink', 'a link to a directory is followed, not replaced');
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/rel' });
  assert.equal((await look(rootfs, 'p3'))?.content, 'hello\n', 'a dangling link is written through, inside the rootfs');
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/esc/in/' });
  assert.equal((await look(rootfs, 'outside/in/c.txt'))?.content, 'c\n');
  assert.equal(await look(dir, 'outside'), undefined, 'nothing escaped the rootfs');
});

test('files from an image keep their owners unless --chown', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, copier } = await setup(t);
  const image = path.join(dir, 'image');
  await writeTree(image, { 'etc/app.conf': 'conf\n', 'bin/tool': 'tool\n', 'bin/toolbox': 'box\n', 'data/x': 'x\n' });
  await chown(path.join(image, 'etc/app.conf'), 33, 44);
  await chown(path.join(image, 'data/x'), 5, 6);
  const from = { kind: 'image' as const, root: image, imageId: 'sha256:' + 'a'.repeat(64) };
  await copy(copier, rootfs, from, { sources: ['/etc/app.conf', '/data'], dest: '/got/' });
  assert.deepEqual([(await look(rootfs, 'got/app.conf'))?.uid, (await look(rootfs, 'got/app.conf'))?.gid], [33, 44]);
  assert.deepEqual([(await look(rootfs, 'got/x'))?.uid, (await look(rootfs, 'got/x'))?.gid], [5, 6]);
  await copy(copier, rootfs, from, { sources: ['/etc/app.conf'], dest: '/own', chown: '1:2' });
  assert.deepEqual([(await look(rootfs, 'own'))?.uid, (await look(rootfs, 'own'))?.gid], [1, 2]);
  native().mknod(path.join(image, 'data/fifo'), 0o010640, 0);
  await copy(copier, rootfs, from, { sources: ['/data'], dest: '/specials/' });
  const fifo = await look(rootfs, 'specials/fifo');
  assert.deepEqual([fifo?.type, fifo?.mode], ['other', 0o640], 'a fifo is made again, as Docker\'s tar copies it');
  await copy(copier, rootfs, from, { sources: ['/bin/t*x'], dest: '/bb/' });
  assert.deepEqual(await names(rootfs, 'bb'), ['toolbox']);
  await assert.rejects(copier.prepare({ instruction: 'COPY', sources: ['/nonexist'], inline: [], dest: '/', workdir: '/', link: false, excludes: [] }, from), {
    message: 'COPY failed: stat nonexist: file does not exist',
  });
});

test('a heredoc source becomes a 0644 file owned per --chown', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: [], inline: [{ name: 'EOF', content: 'hi there\n' }], dest: '/etc/greeting', chown: 'nobody' });
  const f = await look(rootfs, 'etc/greeting');
  assert.deepEqual([f?.content, f?.mode, f?.uid], ['hi there\n', 0o644, 65534]);
  await copy(copier, rootfs, ctx, { sources: [], inline: [{ name: 'A', content: 'a' }, { name: 'B', content: 'b' }], dest: '/docs/' });
  assert.deepEqual(await names(rootfs, 'docs'), ['A', 'B']);
});

test('what is in the way is replaced; a directory met by a directory is merged', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await mkdir(path.join(rootfs, 'e/sub/keep'), { recursive: true });
  await writeFile(path.join(rootfs, 'e/c.txt'), 'old');
  await mkdir(path.join(rootfs, 'e/lnk'));
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/e' });
  assert.equal((await look(rootfs, 'e/c.txt'))?.content, 'c\n');
  assert.equal((await look(rootfs, 'e/lnk'))?.type, 'symlink');
  assert.equal((await look(rootfs, 'e/sub/keep'))?.type, 'dir');
  assert.equal((await look(rootfs, 'e/sub'))?.mode, 0o750, 'the merged directory takes the source mode');
});

test('the key follows what the copy writes: content, mode, link target, dest, chown, chmod; nothing else', async (t) => {
  if (!requireRoot(t)) return;
  const { ctxRoot, copier } = await setup(t);
  const key = async (sources: string[], extra: Partial<Parameters<typeof keyOf>[2]> = {}) => keyOf(copier, await contextOf(ctxRoot), { sources, dest: '/d/', ...extra });
  const file = await key(['a.txt']);
  const dirKey = await key(['dir']);
  const multi = await key(['a.txt', 'dir']);
  assert.match(file, /^file:[0-9a-f]{64}$/);
  assert.match(dirKey, /^dir:[0-9a-f]{64}$/);
  assert.match(multi, /^multi:[0-9a-f]{64}$/);
  assert.equal(await key(['a.txt']), file, 'stable');
  await writeFile(path.join(ctxRoot, 'b.txt'), 'unrelated change');
  await utimes(path.join(ctxRoot, 'a.txt'), OLD + 10, OLD + 10);
  assert.equal(await key(['a.txt']), file, 'an unrelated file or a touched mtime changes nothing');
  assert.equal(await key(['dir']), dirKey);
  assert.notEqual(await key(['a.txt'], { dest: '/e/' }), file, 'dest');
  assert.notEqual(await key(['a.txt'], { chown: '1' }), file, 'chown');
  assert.notEqual(await key(['a.txt'], { chmod: '0600' }), file, 'chmod');
  assert.notEqual(await key(['a.txt'], { instruction: 'ADD' }), file, 'ADD may extract');
  assert.notEqual(await key(['toplink']), file, 'the name written');
  await chmod(path.join(ctxRoot, 'a.txt'), 0o600);
  const moded = await key(['a.txt']);
  assert.notEqual(moded, file, 'mode');
  await writeFile(path.join(ctxRoot, 'a.txt'), 'new content');
  assert.notEqual(await key(['a.txt']), moded, 'content');
  await writeFile(path.join(ctxRoot, 'dir/sub/d.txt'), 'deep change');
  const dirChanged = await key(['dir']);
  assert.notEqual(dirChanged, dirKey, 'a file deep in a directory');
  await rm(path.join(ctxRoot, 'dir/lnk'));
  await symlink('hard', path.join(ctxRoot, 'dir/lnk'));
  assert.notEqual(await key(['dir']), dirChanged, 'a link target');
  const image = { kind: 'image' as const, root: ctxRoot, imageId: 'sha256:' + 'b'.repeat(64) };
  const fromImage = await keyOf(copier, image, { sources: ['a.txt'], dest: '/d/' });
  assert.notEqual(fromImage, await keyOf(copier, { ...image, imageId: 'sha256:' + 'c'.repeat(64) }, { sources: ['a.txt'], dest: '/d/' }), 'another image');
  assert.equal(fromImage, await keyOf(copier, image, { sources: ['a.txt'], dest: '/d/' }));
});

test('a destination that cannot be a directory fails in dockerd words, with container paths', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  const fails = async (sources: string[], dest: string, message: string) => {
    const prepared = await copier.prepare({ instruction: 'COPY', sources, inline: [], dest, workdir: '/', link: false, excludes: [] }, ctx);
    await assert.rejects(prepared.apply(rootfs), { message });
    await prepared.dispose();
  };
  await fails(['dir'], '/etc/passwd', 'failed to copy files: failed to copy directory: mkdir /etc/passwd: not a directory');
  await fails(['a.txt'], '/etc/passwd/', 'failed to copy files: failed to create new directory: mkdir /etc/passwd: not a directory');
  assert.equal((await look(rootfs, 'etc/passwd'))?.type, 'file');
});

test('--exclude leaves out matching entries of a directory and matches of a pattern, and out of the key', async (t) => {
  if (!requireRoot(t)) return;
  const { ctxRoot, rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/x/', excludes: ['sub', 'lnk'] });
  assert.deepEqual(await names(rootfs, 'x'), ['c.txt', 'hard', 'uplink']);
  await copy(copier, rootfs, ctx, { sources: ['dir'], dest: '/y/', excludes: ['**/*.txt', '!sub/d.txt'] });
  assert.deepEqual(await names(rootfs, 'y'), ['hard', 'lnk', 'sub', 'uplink']);
  assert.deepEqual(await names(rootfs, 'y/sub'), ['d.txt'], 'an exception re-includes below an excluded pattern');
  await copy(copier, rootfs, ctx, { sources: ['?.txt'], dest: '/z/', excludes: ['b.txt'] });
  assert.deepEqual(await names(rootfs, 'z'), ['a.txt']);
  await copy(copier, rootfs, ctx, { sources: ['a.txt'], dest: '/w/', excludes: ['a.txt'] });
  assert.deepEqual(await names(rootfs, 'w'), ['a.txt'], 'a source named without wildcards is copied');
  const before = await keyOf(copier, ctx, { sources: ['dir'], dest: '/k/', excludes: ['sub'] });
  await writeFile(path.join(ctxRoot, 'dir/sub/d.txt'), 'changed');
  assert.equal(await keyOf(copier, await contextOf(ctxRoot), { sources: ['dir'], dest: '/k/', excludes: ['sub'] }), before);
  await assert.rejects(copier.prepare({ instruction: 'COPY', sources: ['dir'], inline: [], dest: '/', workdir: '/', link: false, excludes: ['[z'] }, ctx), /invalid excludepatterns/);
});

test('chowned files lose setuid (and setgid with group-execute) and capabilities as the classic builder leaves them', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, ctxRoot, rootfs, copier } = await setup(t);
  await writeTree(ctxRoot, { 'suid': 's', 'sdir/sg': 'g', 'sdir/lock': 'l', 'sdir/keepdir/': '' });
  await chmod(path.join(ctxRoot, 'suid'), 0o4755);
  await chmod(path.join(ctxRoot, 'sdir/sg'), 0o2755);
  await chmod(path.join(ctxRoot, 'sdir/lock'), 0o2644);
  await chmod(path.join(ctxRoot, 'sdir/keepdir'), 0o2775);
  const ctx = await contextOf(ctxRoot);
  await copy(copier, rootfs, ctx, { sources: ['suid'], dest: '/a' });
  await copy(copier, rootfs, ctx, { sources: ['sdir'], dest: '/b' });
  await copy(copier, rootfs, ctx, { sources: ['suid'], dest: '/c', chmod: '4755' });
  assert.deepEqual(
    await Promise.all(['a', 'b/sg', 'b/lock', 'b/keepdir', 'c'].map(async (p) => (await look(rootfs, p))?.mode)),
    [0o755, 0o755, 0o2644, 0o2775, 0o4755],
  );
  const image = path.join(dir, 'image');
  await writeTree(image, { 'bin/su': 'su' });
  await chmod(path.join(image, 'bin/su'), 0o4755);
  const from = { kind: 'image' as const, root: image, imageId: 'sha256:' + 'd'.repeat(64) };
  // A file capability (cap_net_raw, effective): vfs_cap_data revision 2.
  const cap = Buffer.from([0x01, 0, 0, 0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  native().lsetxattr(path.join(image, 'bin/su'), 'security.capability', cap);
  await copy(copier, rootfs, from, { sources: ['/bin/su'], dest: '/kept' });
  await copy(copier, rootfs, from, { sources: ['/bin/su'], dest: '/chowned', chown: '1:1' });
  assert.deepEqual([(await look(rootfs, 'kept'))?.mode, (await look(rootfs, 'chowned'))?.mode], [0o4755, 0o755]);
  assert.deepEqual(native().lgetxattr(path.join(rootfs, 'kept'), 'security.capability'), cap, 'file capabilities kept with the owner');
  assert.equal(native().lgetxattr(path.join(rootfs, 'chowned'), 'security.capability'), null, 'and dropped by a chown');
});
