/**
 * URL contexts: `berth build URL` passes the URL as `remote` and the daemon
 * fetches it: a (gzipped) tarball over http, and a git repository served
 * over git's "dumb" http protocol, with a `#ref:subdir` fragment.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { assertNoMounts, buildOk, makeDir, runIn } from './cli-helpers.ts';

/** A static file server on 127.0.0.1 for `dir`, closed after the test. */
async function serve(t: TestContext, dir: string): Promise<string> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return gzipSync(Buffer.concat(chunks));
}

test('berth build takes an http tarball and a git repository as its context', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const www = makeDir(t, {});
  const base = await serve(t, www);

  writeFileSync(path.join(www, 'ctx.tar.gz'), await tarGz({ Dockerfile: 'FROM busybox\nCOPY hello /hello\n', hello: 'from-tarball\n' }));
  await buildOk(d, ['-q', '-t', 'cli-remote:tar', `${base}/ctx.tar.gz`]);
  assert.equal(await runIn(d, 'cli-remote:tar', ['cat', '/hello']), 'from-tarball\n');

  // A bare repository made servable over dumb http (update-server-info), a branch and a subdirectory.
  const work = makeDir(t, { 'app/Dockerfile': 'FROM busybox\nCOPY msg /msg\n', 'app/msg': 'from-git\n', 'README': 'root\n' });
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'ctx');
  git(work, 'branch', 'feature');
  git(www, 'clone', '-q', '--bare', work, 'repo.git');
  git(path.join(www, 'repo.git'), 'update-server-info');
  await buildOk(d, ['-q', '-t', 'cli-remote:git', `${base}/repo.git#feature:app`]);
  assert.equal(await runIn(d, 'cli-remote:git', ['cat', '/msg']), 'from-git\n');
  await assertNoMounts(d);
});
