import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { directoryContext, heldContextBytes, openBuildContext } from './context.ts';
import { excludedPaths } from './context-ignore.ts';
import { isGitUrl, parseGitUrl } from './context-remote.ts';

type Item = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; mode?: number; uid?: number; gid?: number; linkname?: string; mtime?: Date };

async function makeTar(items: Item[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const ended = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const it of items) {
    const { body, ...header } = it;
    await new Promise<void>((resolve, reject) => pack.entry({ type: 'file', mode: 0o644, mtime: new Date(1_700_000_000_000), ...header }, body ?? '', (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

async function tmp(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ctx-test-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const body = (b: Buffer | string) => ({ kind: 'body' as const, stream: Readable.from([Buffer.from(b)]) });

test('a context tar is unpacked with digests, modes, owners, links and the Dockerfile read', async (t) => {
  const tmpDir = await tmp(t);
  const data = await makeTar([
    { name: './', type: 'directory', mode: 0o755 },
    { name: 'Dockerfile', body: 'FROM busybox\n' },
    { name: 'app/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
    { name: 'app/run.sh', body: 'echo hi\n', mode: 0o4755, uid: 1000, gid: 50 },
    { name: 'app/link', type: 'symlink', linkname: 'run.sh' },
    { name: 'app/hard', type: 'link', linkname: 'app/run.sh' },
    { name: 'deep/er/file', body: 'x' },
  ]);
  const ctx = await openBuildContext(body(gzipSync(data)), { tmpDir });
  assert.equal(ctx.dockerfile, 'FROM busybox\n');
  assert.equal(ctx.dockerfileName, 'Dockerfile');
  const run = ctx.entries.get('app/run.sh')!;
  assert.deepEqual({ ...run }, { path: 'app/run.sh', type: 'file', mode: 0o4755, uid: 1000, gid: 50, size: 8, digest: sha('echo hi\n'), mtime: 1_700_000_000 });
  assert.equal(ctx.entries.get('app/hard')!.digest, sha('echo hi\n'));
  assert.equal(ctx.entries.get('app/link')!.linkname, 'run.sh');
  assert.equal(ctx.entries.get('deep/er')!.type, 'directory');
  await ctx.ready!(); // files are held until a step needs them
  const st = await fs.stat(path.join(ctx.root, 'app/run.sh'));
  assert.equal(st.mode & 0o7777, 0o4755);
  assert.equal(st.uid, 1000);
  assert.equal(st.mtimeMs, 1_700_000_000_000);
  assert.equal((await fs.stat(path.join(ctx.root, 'app'))).mode & 0o777, 0o750);
  assert.equal((await fs.stat(path.join(ctx.root, 'app/hard'))).ino, st.ino);
  await ctx.close();
  await ctx.close();
  assert.deepEqual(await fs.readdir(tmpDir), []);
});

test('errors are dockerd’s and leave nothing behind', async (t) => {
  const tmpDir = await tmp(t);
  await assert.rejects(openBuildContext(body('FROM busybox\nRUN true\n'), { tmpDir }), { message: 'unexpected EOF' });
  await assert.rejects(openBuildContext(body('FROM busybox\n' + 'RUN echo x\n'.repeat(60)), { tmpDir }), { message: 'archive/tar: invalid tar header' });
  await assert.rejects(openBuildContext(body(''), { tmpDir }), { message: 'Cannot locate specified Dockerfile: Dockerfile' });
  const data = await makeTar([{ name: 'Dockerfile', body: 'FROM x\n' }, { name: 'big', body: 'y'.repeat(5000) }]);
  await assert.rejects(openBuildContext(body(data.subarray(0, 1500)), { tmpDir }), { message: 'Error processing tar file(exit status 1): unexpected EOF' });
  await assert.rejects(openBuildContext(body(await makeTar([{ name: '../evil', body: 'x' }])), { tmpDir }), /is outside of/);
  await assert.rejects(openBuildContext(body(await makeTar([{ name: 'l', type: 'symlink', linkname: '/etc' }, { name: 'l/passwd', body: 'x' }])), { tmpDir }), /not a directory/);
  await assert.rejects(openBuildContext(body(await makeTar([{ name: 'x', body: 'x' }])), { tmpDir, dockerfile: 'sub/Dockerfile.dev' }), { message: 'Cannot locate specified Dockerfile: sub/Dockerfile.dev' });
  assert.deepEqual(await fs.readdir(tmpDir), []);
});

test('the Dockerfile is found by the name given, or lower-case by default', async (t) => {
  const tmpDir = await tmp(t);
  const lower = await openBuildContext(body(await makeTar([{ name: 'dockerfile', body: 'FROM a\n' }])), { tmpDir });
  assert.equal(lower.dockerfileName, 'dockerfile');
  await lower.close();
  const named = await openBuildContext(body(await makeTar([{ name: 'sub/Dockerfile.dev', body: 'FROM b\n' }])), { tmpDir, dockerfile: 'sub/Dockerfile.dev' });
  assert.equal(named.dockerfile, 'FROM b\n');
  await named.close();
});

test('.dockerignore (or <Dockerfile>.dockerignore) removes what it excludes, with ! exceptions', async (t) => {
  const tmpDir = await tmp(t);
  const data = await makeTar([
    { name: 'Dockerfile', body: 'FROM a\n' },
    { name: '.dockerignore', body: '# comment\n*.log\nsecret/\n!secret/keep\nDockerfile\n.dockerignore\n' },
    { name: 'a.log', body: '1' },
    { name: 'sub/b.log', body: '2' },
    { name: 'secret/x', body: '3' },
    { name: 'secret/keep', body: '4' },
    { name: 'main.c', body: '5' },
  ]);
  const ctx = await openBuildContext(body(data), { tmpDir });
  assert.equal(ctx.dockerfile, 'FROM a\n');
  assert.deepEqual([...ctx.entries.keys()].sort(), ['', 'main.c', 'secret', 'secret/keep', 'sub', 'sub/b.log']);
  assert.deepEqual((await fs.readdir(ctx.root)).sort(), ['main.c', 'secret', 'sub']);
  await ctx.close();
  const perFile = await openBuildContext(
    body(await makeTar([{ name: 'x/Dockerfile', body: 'FROM a\n' }, { name: 'x/Dockerfile.dockerignore', body: 'main.c\n' }, { name: '.dockerignore', body: 'other\n' }, { name: 'main.c', body: '' }, { name: 'other', body: '' }])),
    { tmpDir, dockerfile: 'x/Dockerfile' },
  );
  assert.ok(!perFile.entries.has('main.c'));
  assert.ok(perFile.entries.has('other'));
  await perFile.close();
});

test('large files are held until ready(): placeholders first, then content, owner, mode and mtime as unpacked', async (t) => {
  const tmpDir = await tmp(t);
  const big = 'b'.repeat(2 * 1024 * 1024 + 5);
  const data = await makeTar([
    { name: 'Dockerfile', body: 'FROM busybox\n' },
    { name: 'big.bin', body: big, mode: 0o4750, uid: 1000, gid: 50 },
    { name: 'same.bin', type: 'link', linkname: 'big.bin' },
    { name: 'gone.bin', body: big },
    { name: '.dockerignore', body: 'gone.bin\n' },
  ]);
  const ctx = await openBuildContext(body(data), { tmpDir });
  const file = path.join(ctx.root, 'big.bin');
  assert.equal(ctx.entries.get('big.bin')!.digest, sha(big));
  assert.equal(ctx.entries.get('big.bin')!.size, big.length);
  assert.equal(ctx.entries.get('same.bin')!.digest, sha(big));
  assert.equal(ctx.entries.has('gone.bin'), false);
  assert.equal((await fs.lstat(file)).isFile(), true); // the placeholder
  await ctx.ready!();
  await ctx.ready!(); // once
  assert.equal(await fs.readFile(file, 'utf8'), big);
  assert.equal(await fs.readFile(path.join(ctx.root, 'same.bin'), 'utf8'), big);
  const st = await fs.stat(file);
  assert.deepEqual([st.mode & 0o7777, st.uid, st.gid, st.mtimeMs], [0o4750, 1000, 50, 1_700_000_000_000]);
  await assert.rejects(fs.lstat(path.join(ctx.root, 'gone.bin')), { code: 'ENOENT' });
  await ctx.close();
  assert.deepEqual(await fs.readdir(tmpDir), []);
});

test('a held file the Dockerfile reaches (itself or through a symlink) is written before it is read', async (t) => {
  const tmpDir = await tmp(t);
  const text = `FROM busybox\n${'# padding\n'.repeat(120_000)}`;
  const direct = await openBuildContext(body(await makeTar([{ name: 'Dockerfile', body: text }])), { tmpDir });
  assert.equal(direct.dockerfile, text);
  await direct.close();
  const linked = await openBuildContext(body(await makeTar([{ name: 'real/df', body: text }, { name: 'Dockerfile', type: 'symlink', linkname: 'real/df' }])), { tmpDir });
  assert.equal(linked.dockerfile, text);
  await linked.close();
  // Closing without ready(): nothing written, nothing left.
  const unused = await openBuildContext(body(await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\n' }, { name: 'big', body: text }])), { tmpDir });
  assert.equal((await fs.stat(path.join(unused.root, 'big'))).size, 0);
  assert.ok(heldContextBytes.used >= text.length);
  await unused.close();
  assert.equal(heldContextBytes.used, 0);
  assert.deepEqual(await fs.readdir(tmpDir), []);
});

test('ready(sources) writes only the held files those paths reach: under them, hard-linked from them, all through a symlink', async (t) => {
  const tmpDir = await tmp(t);
  const big = (c: string) => c.repeat(1024 * 1024 + 1);
  const data = await makeTar([
    { name: 'Dockerfile', body: 'FROM busybox\n' },
    { name: 'a/one', body: big('1') },
    { name: 'b/two', body: big('2') },
    { name: 'c/three', body: big('3') },
    { name: 'c/linked', type: 'link', linkname: 'b/two' },
    { name: 'd/four', body: big('4') },
    { name: 'e/five', body: big('5') },
    { name: 'e/five', type: 'directory' }, // replaced: nothing to write
    { name: 'f/six', body: big('6') },
    { name: 'g/six', type: 'link', linkname: 'f/six' },
    { name: 'f', type: 'directory' }, // kept (a directory again)
    { name: 'to-d', type: 'symlink', linkname: 'd' },
    { name: 'h/x', body: big('7') },
    { name: 'i', type: 'link', linkname: 'h/x' },
    { name: 'h/x', body: 'small' }, // replaced: its link keeps the held content
  ]);
  const ctx = await openBuildContext(body(data), { tmpDir });
  const size = async (rel: string) => (await fs.stat(path.join(ctx.root, rel))).size;
  await ctx.ready!(['a/*']);
  assert.deepEqual([await size('a/one'), await size('b/two'), await size('d/four')], [1024 * 1024 + 1, 0, 0]);
  await ctx.ready!(['/c/']);
  assert.equal(await fs.readFile(path.join(ctx.root, 'c/linked'), 'utf8'), big('2'));
  assert.equal(await size('c/three'), 1024 * 1024 + 1);
  assert.equal(await size('d/four'), 0);
  await ctx.ready!(['to-d/four']);
  assert.equal(await fs.readFile(path.join(ctx.root, 'd/four'), 'utf8'), big('4'));
  await ctx.ready!(['g']);
  assert.equal(await fs.readFile(path.join(ctx.root, 'g/six'), 'utf8'), big('6'));
  await ctx.ready!();
  assert.equal(await fs.readFile(path.join(ctx.root, 'i'), 'utf8'), big('7'));
  assert.equal(await fs.readFile(path.join(ctx.root, 'h/x'), 'utf8'), 'small');
  await ctx.close();
});

test('directoryContext hashes an existing directory and leaves it alone', async (t) => {
  const dir = await tmp(t);
  await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM c\n');
  await fs.writeFile(path.join(dir, '.dockerignore'), 'skip\n');
  await fs.writeFile(path.join(dir, 'skip'), 's');
  await fs.mkdir(path.join(dir, 'd'));
  await fs.writeFile(path.join(dir, 'd/f'), 'hello');
  await fs.symlink('f', path.join(dir, 'd/l'));
  const ctx = await directoryContext(dir);
  assert.equal(ctx.dockerfile, 'FROM c\n');
  assert.equal(ctx.entries.get('d/f')!.digest, sha('hello'));
  assert.equal(ctx.entries.get('d/l')!.linkname, 'f');
  assert.ok(!ctx.entries.has('skip'));
  await ctx.close();
  assert.ok((await fs.readdir(dir)).includes('skip'));
});

test('excluded paths follow the CLI walk: an exception keeps its directories', () => {
  assert.deepEqual(excludedPaths(['', 'd', 'd/a', 'd/b'], ['d', '!d/a']), ['d/b']);
  assert.deepEqual(excludedPaths(['', 'd', 'd/a', 'e'], ['d']), ['d/a', 'd']);
  assert.deepEqual(excludedPaths(['', 'x.go', 'k/y.go', 'k', 'keep.go'], ['**/*.go', '!keep.go']), ['k/y.go', 'x.go']);
});

test('git URLs are told apart and split as dockerd does', () => {
  assert.ok(isGitUrl('https://example.com/x.git#main:sub'));
  assert.ok(isGitUrl('git://h/x'));
  assert.ok(isGitUrl('git@github.com:a/b.git'));
  assert.ok(isGitUrl('github.com/a/b'));
  assert.ok(!isGitUrl('https://example.com/ctx.tar.gz'));
  assert.deepEqual(parseGitUrl('github.com/a/b#v1:dir/x'), { remote: 'https://github.com/a/b', ref: 'v1', subdir: 'dir/x' });
  assert.deepEqual(parseGitUrl('git://h/x.git'), { remote: 'git://h/x.git', ref: 'master', subdir: '' });
  assert.deepEqual(parseGitUrl('git://h/x.git#:sub'), { remote: 'git://h/x.git', ref: 'master', subdir: 'sub' });
});

test('a context of more files than the descriptor limit opens and is written (placeholders made a few at a time)', async (t) => {
  const tmpDir = await tmp(t);
  const here = path.dirname(new URL(import.meta.url).pathname);
  // A child with a low RLIMIT_NOFILE (lowering is always allowed): 1500 files through 256 descriptors.
  const script = `
    import { Readable } from 'node:stream';
    import tar from 'tar-stream';
    import { openBuildContext } from ${JSON.stringify(path.join(here, 'context.ts'))};
    const pack = tar.pack();
    pack.entry({ name: 'Dockerfile' }, 'FROM busybox\\n');
    for (let i = 0; i < 1500; i++) pack.entry({ name: 'd/f' + i }, 'file ' + i + '\\n');
    pack.finalize();
    const chunks = [];
    for await (const c of pack) chunks.push(c);
    const ctx = await openBuildContext({ kind: 'body', stream: Readable.from(chunks) }, { tmpDir: ${JSON.stringify(tmpDir)} });
    await ctx.ready();
    const { readFileSync } = await import('node:fs');
    console.log(ctx.entries.size, readFileSync(ctx.root + '/d/f1499', 'utf8').trim());
    await ctx.close();
  `;
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('prlimit', ['--nofile=256:256', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1503 file 1499');
  assert.deepEqual(await fs.readdir(tmpDir), []);
});
