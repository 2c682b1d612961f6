/**
 * `remote=` contexts, opened in-process (engine/build/context.ts): a
 * tarball URL (compressed or not, whatever its content type says), a URL
 * whose text/plain body is the Dockerfile, a git repository served by
 * `git daemon` (default branch, `#ref`, `#ref:subdir`), and the failures in
 * dockerd's words; nothing is left in the tmp dir.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openBuildContext } from '../../../src/engine/build/context.ts';
import { makeTar } from './api-helpers.ts';
import { gitServer, httpServer } from './remote-servers.ts';

async function tmpDir(t: TestContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-remote-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a tarball URL, a Dockerfile URL and their failures', async (t) => {
  const tmp = await tmpDir(t);
  const tarball = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nCOPY a /a\n' }, { name: 'a', body: 'content of a' }]);
  const base = await httpServer(t, {
    '/ctx.tar.gz': { type: 'application/gzip', body: gzipSync(tarball) },
    '/ctx.tar': { type: 'application/octet-stream', body: tarball },
    '/Dockerfile': { type: 'text/plain', body: 'FROM busybox\nRUN true\n' },
    '/page': { type: 'text/html', body: '<html></html>' },
  });
  for (const name of ['/ctx.tar.gz', '/ctx.tar']) {
    const progress: unknown[] = [];
    const ctx = await openBuildContext({ kind: 'remote', url: base + name }, { tmpDir: tmp, onDownload: (e) => progress.push(e) });
    assert.equal(ctx.dockerfile, 'FROM busybox\nCOPY a /a\n');
    await ctx.ready?.(['a']); // files are held until a step reads them
    assert.equal(await fs.readFile(path.join(ctx.root, 'a'), 'utf8'), 'content of a');
    assert.ok(ctx.entries.get('a')?.digest?.startsWith('sha256:'));
    assert.deepEqual(progress, [{ current: name.endsWith('gz') ? gzipSync(tarball).length : tarball.length }]);
    await ctx.close();
  }
  const progress: unknown[] = [];
  const df = await openBuildContext({ kind: 'remote', url: `${base}/Dockerfile` }, { tmpDir: tmp, onDownload: (e) => progress.push(e) });
  assert.equal(df.dockerfile, 'FROM busybox\nRUN true\n');
  assert.deepEqual([...df.entries.keys()], ['']);
  assert.deepEqual(progress, [{ current: 22 }, { end: 'dockerfile' }]);
  await df.close();

  await assert.rejects(openBuildContext({ kind: 'remote', url: `${base}/nosuch` }, { tmpDir: tmp }), {
    message: `error downloading remote context ${base}/nosuch: failed to GET ${base}/nosuch with status 404 Not Found: no such file`,
  });
  await assert.rejects(openBuildContext({ kind: 'remote', url: `${base}/page` }, { tmpDir: tmp }), { message: 'unsupported Content-Type "text/html"' });
  await assert.rejects(openBuildContext({ kind: 'remote', url: 'http://127.0.0.1:1/x.tar' }, { tmpDir: tmp }), {
    message: 'error downloading remote context http://127.0.0.1:1/x.tar: Get "http://127.0.0.1:1/x.tar": dial tcp 127.0.0.1:1: connect: connection refused',
  });
  await assert.rejects(openBuildContext({ kind: 'remote', url: 'ftp://x' }, { tmpDir: tmp }), { message: 'remoteURL (ftp://x) could not be recognized as URL' });
  assert.deepEqual(await fs.readdir(tmp), []);
});

test('a git repository: master by default, a ref, a ref and a subdirectory', async (t) => {
  const tmp = await tmpDir(t);
  const url = await gitServer(t, { Dockerfile: 'FROM busybox\n# main\n', 'sub/Dockerfile': 'FROM busybox\n# sub on main\n' }, { 'sub/Dockerfile': 'FROM busybox\n# sub on feature\n', 'sub/f': 'feature file' });
  const main = await openBuildContext({ kind: 'remote', url }, { tmpDir: tmp });
  assert.equal(main.dockerfile, 'FROM busybox\n# main\n');
  assert.ok(main.entries.has('sub/Dockerfile'));
  await main.close();
  const feature = await openBuildContext({ kind: 'remote', url: `${url}#feature` }, { tmpDir: tmp, dockerfile: 'sub/Dockerfile' });
  assert.equal(feature.dockerfile, 'FROM busybox\n# sub on feature\n');
  await feature.close();
  const sub = await openBuildContext({ kind: 'remote', url: `${url}#feature:sub` }, { tmpDir: tmp });
  assert.equal(sub.dockerfile, 'FROM busybox\n# sub on feature\n');
  assert.equal(await fs.readFile(path.join(sub.root, 'f'), 'utf8'), 'feature file');
  assert.ok(sub.entries.has('f') && !sub.entries.has('sub'));
  await sub.close();
  await assert.rejects(openBuildContext({ kind: 'remote', url: `${url}#nosuchref` }, { tmpDir: tmp }), { message: "error fetching: fatal: couldn't find remote ref nosuchref\n: exit status 128" });
  await assert.rejects(openBuildContext({ kind: 'remote', url: `${url}#master:../..` }, { tmpDir: tmp }), /not within git root|Cannot locate/);
  assert.deepEqual(await fs.readdir(tmp), []);
});
