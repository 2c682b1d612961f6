/**
 * ADD on real directories (no daemon): local archives in every compression
 * extracted (and other files copied as they are), URL sources downloaded
 * from a local HTTP server, --checksum verified; compared with Docker
 * 20.10's classic builder (BuildKit's words for --checksum).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { FileCopier } from '../../../src/engine/build/copy-files.ts';
import { requireRoot } from '../../helpers/daemon.ts';
import { contextOf, copy, look, makeRootfs, names, request, tempDir, writeTree } from './copy-fixtures.ts';

const ARCHIVE_TIME = new Date('2003-03-03T00:00:00Z');

/** A tar with a directory, a file, a symlink, a nested file and a whiteout-looking file, owned 1000:1001. */
async function makeTar(): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const owner = { uid: 1000, gid: 1001, mtime: ARCHIVE_TIME };
  pack.entry({ name: 'top/', type: 'directory', mode: 0o755, ...owner });
  pack.entry({ name: 'top/f', mode: 0o640, ...owner }, 't\n');
  pack.entry({ name: 'top/l', type: 'symlink', linkname: 'f', ...owner });
  pack.entry({ name: 'top/sub/', type: 'directory', mode: 0o700, ...owner });
  pack.entry({ name: 'top/sub/g', mode: 0o644, ...owner }, 's\n');
  pack.entry({ name: 'top/.wh.gone', mode: 0o644, ...owner }, '');
  pack.finalize();
  await once(pack, 'end');
  return Buffer.concat(chunks);
}

function compressWith(tool: string, data: Buffer): Buffer | undefined {
  const r = spawnSync(tool, ['-c'], { input: data, maxBuffer: 1 << 26 });
  return r.status === 0 ? r.stdout : undefined;
}

async function setup(t: TestContext) {
  const dir = await tempDir(t);
  const ctxRoot = path.join(dir, 'ctx');
  const plain = await makeTar();
  await writeTree(ctxRoot, { 'a.txt': 'hello\n', 'arcdir/': '' });
  await writeFile(path.join(ctxRoot, 't.tar'), plain);
  await writeFile(path.join(ctxRoot, 't.tgz'), gzipSync(plain));
  await writeFile(path.join(ctxRoot, 'arcdir/t.tar'), plain);
  await writeFile(path.join(ctxRoot, 'plain.gz'), gzipSync('not a tar\n'));
  const skipped: string[] = [];
  for (const [tool, name] of [['bzip2', 't.tar.bz2'], ['xz', 't.tar.xz'], ['zstd', 't.tar.zst']] as const) {
    const data = compressWith(tool, plain);
    if (data) await writeFile(path.join(ctxRoot, name), data);
    else skipped.push(tool);
  }
  const rootfs = await makeRootfs(dir);
  return { dir, ctxRoot, rootfs, copier: new FileCopier({ tmpDir: dir }), ctx: await contextOf(ctxRoot), skipped };
}

async function assertExtracted(rootfs: string, at: string): Promise<void> {
  assert.deepEqual(await names(rootfs, `${at}/top`), ['.wh.gone', 'f', 'l', 'sub'], `${at}: whiteouts are plain files here`);
  const f = await look(rootfs, `${at}/top/f`);
  assert.deepEqual([f?.content, f?.mode, f?.uid, f?.gid, f?.mtime], ['t\n', 0o640, 1000, 1001, ARCHIVE_TIME.getTime() / 1000]);
  assert.equal((await look(rootfs, `${at}/top/l`))?.target, 'f');
  assert.equal((await look(rootfs, `${at}/top/sub`))?.mode, 0o700);
  assert.equal((await look(rootfs, `${at}/top/sub/g`))?.content, 's\n');
}

test('ADD extracts local tar archives, plain or compressed, with the archive owners', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx, skipped } = await setup(t);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tar'], dest: '/a' });
  await assertExtracted(rootfs, 'a');
  assert.equal((await look(rootfs, 'a'))?.uid, 0);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tgz'], dest: '/b/' });
  await assertExtracted(rootfs, 'b');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tar'], dest: '/e', chown: '5:6' });
  assert.equal((await look(rootfs, 'e/top/f'))?.uid, 1000, '--chown does not apply to an extracted archive');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tar'], dest: '/h/x.tar' });
  await assertExtracted(rootfs, 'h/x.tar');
  // zstd: Docker 23+ (20.10 copies a .zst as a plain file); the engine follows the newer.
  for (const [name, at] of [['t.tar.bz2', 'c'], ['t.tar.xz', 'd'], ['t.tar.zst', 'zs']] as const) {
    if (!ctx.entries.has(name)) continue;
    await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [name], dest: `/${at}` });
    await assertExtracted(rootfs, at);
  }
  if (skipped.length > 0) t.diagnostic(`not tried (tool missing): ${skipped.join(', ')}`);
});

test('ADD copies what is not a local tar as it is: a gzip of text, an archive in a directory, COPY of an archive', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['plain.gz'], dest: '/f' });
  assert.equal((await look(rootfs, 'f'))?.type, 'file');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['arcdir'], dest: '/g' });
  assert.deepEqual(await names(rootfs, 'g'), ['t.tar']);
  await copy(copier, rootfs, ctx, { sources: ['t.tar'], dest: '/i' });
  assert.equal((await look(rootfs, 'i'))?.type, 'file');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tar', 'a.txt'], dest: '/k/' });
  assert.deepEqual(await names(rootfs, 'k'), ['a.txt', 'top']);
});

test('an archive replaces what is in its way', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  await mkdir(path.join(rootfs, 'j/top/l'), { recursive: true });
  await writeFile(path.join(rootfs, 'j/top/f'), 'old\n');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['t.tar'], dest: '/j' });
  await assertExtracted(rootfs, 'j');
});

/** A local server: `/files/<name>` with Last-Modified, `/redir` → a file, `/nolm`, `/404`, `/` with Content-Disposition. */
async function serve(t: TestContext): Promise<string> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/redir')) return res.writeHead(302, { Location: '/files/target.txt' }).end();
    if (url.startsWith('/nolm')) return res.end('nolm\n');
    if (url.startsWith('/404')) return res.writeHead(404, 'Not Found').end('nope\n');
    if (url.startsWith('/gz')) return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync('decoded\n'));
    if (url.startsWith('/big')) return res.writeHead(200, { 'Content-Length': String(BIG.length) }).end(BIG);
    const headers: http.OutgoingHttpHeaders = { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' };
    if (url === '/') headers['Content-Disposition'] = 'attachment; filename="cd.txt"';
    res.writeHead(200, headers).end(`content of ${url}\n`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const BIG = Buffer.alloc(3 * 1024 * 1024, 7);
const LAST_MODIFIED = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT') / 1000;

test('ADD downloads a URL: named after its last segment, 0600, Last-Modified time, never extracted', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, copier, ctx } = await setup(t);
  const base = await serve(t);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/files/x.txt`], dest: '/' });
  const x = await look(rootfs, 'x.txt');
  assert.deepEqual([x?.content, x?.mode, x?.uid, x?.mtime], ['content of /files/x.txt\n', 0o600, 0, LAST_MODIFIED]);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/files/y.txt?q=1`], dest: '/u/' });
  assert.deepEqual(await names(rootfs, 'u'), ['y.txt']);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/files/z.txt`], dest: '/named' });
  assert.equal((await look(rootfs, 'named'))?.content, 'content of /files/z.txt\n');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/redir`], dest: '/r/' });
  assert.equal((await look(rootfs, 'r/redir'))?.content, 'content of /files/target.txt\n', 'named after the URL as written');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/nolm`], dest: '/n/' });
  assert.equal((await look(rootfs, 'n/nolm'))?.mtime, 0);
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/`], dest: '/s/', chown: '3:4' });
  const cd = await look(rootfs, 's/cd.txt');
  assert.deepEqual([cd?.uid, cd?.gid], [3, 4], 'named by Content-Disposition, owned per --chown');
  const left = (await readdir(dir)).filter((n) => n.startsWith('berth-copy-'));
  assert.deepEqual(left, [], 'dispose removed the downloads');
  await assert.rejects(copier.prepare(request({ instruction: 'ADD', sources: [`${base}/404`], dest: '/' }), ctx), {
    message: `ADD failed: failed to GET ${base}/404 with status 404 Not Found: nope`,
  });
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/gz.txt`], dest: '/' });
  assert.equal((await look(rootfs, 'gz.txt'))?.content, 'decoded\n', 'a gzip Content-Encoding is decoded, as Go does');
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/nolm/`], dest: '/unnamed' });
  assert.equal((await look(rootfs, 'unnamed'))?.content, 'nolm\n', 'no name from the URL or the reply: the destination names it');
  await assert.rejects(copier.prepare(request({ instruction: 'ADD', sources: [`${base}/nolm/`], dest: '/d/' }), ctx), {
    message: `ADD failed: cannot determine filename for source ${base}/nolm/`,
  });
  await assert.rejects(copier.prepare(request({ instruction: 'ADD', sources: ['http://127.0.0.1:1/x.txt'], dest: '/' }), ctx), {
    message: 'ADD failed: Get "http://127.0.0.1:1/x.txt": dial tcp 127.0.0.1:1: connect: connection refused',
  });
});

test('ADD --checksum verifies the download, in BuildKit words', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, copier, ctx } = await setup(t);
  const base = await serve(t);
  const url = `${base}/files/sum.txt`;
  const good = `sha256:${createHash('sha256').update('content of /files/sum.txt\n').digest('hex')}`;
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [url], dest: '/sum', checksum: good });
  assert.equal((await look(rootfs, 'sum'))?.content, 'content of /files/sum.txt\n');
  const bad = `sha256:${'0'.repeat(64)}`;
  await assert.rejects(copier.prepare(request({ instruction: 'ADD', sources: [url], dest: '/', checksum: bad }), ctx), {
    message: `digest mismatch for ${url}: ${good} (expected: ${bad})`,
  });
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('berth-copy-')), [], 'a failed prepare leaves nothing');
  const fails = (partial: Parameters<typeof request>[0], message: string) => assert.rejects(copier.prepare(request(partial), ctx), { message });
  await fails({ sources: [url], dest: '/', checksum: good }, "checksum can't be specified for COPY");
  await fails({ instruction: 'ADD', sources: [url, url], dest: '/x/', checksum: good }, "checksum can't be specified for multiple sources");
  await fails({ instruction: 'ADD', sources: ['a.txt'], dest: '/', checksum: good }, "checksum can't be specified for non-HTTP(S) sources");
  await fails({ instruction: 'ADD', sources: [url], dest: '/', checksum: 'sha256:abc' }, 'invalid checksum digest length');
  await fails({ instruction: 'ADD', sources: [url], dest: '/', checksum: 'abc' }, 'invalid checksum digest format');
});

test('a cancelled build stops a stalled download and an apply, leaving no temporary files', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, copier, ctx } = await setup(t);
  const stalled = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': '1000' });
    res.write('partial');
  });
  stalled.listen(0, '127.0.0.1');
  await once(stalled, 'listening');
  t.after(() => new Promise<void>((resolve) => {
    stalled.closeAllConnections();
    stalled.close(() => resolve());
  }));
  const controller = new AbortController();
  const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/big.bin`;
  const preparing = copier.prepare(request({ instruction: 'ADD', sources: [url], dest: '/', signal: controller.signal }), ctx);
  setTimeout(() => controller.abort(new Error('build cancelled')), 200);
  await assert.rejects(preparing, { message: 'build cancelled' });
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('berth-copy-')), []);
  const prepared = await copier.prepare(request({ sources: ['t.tar'], dest: '/x' }), ctx);
  await assert.rejects(prepared.apply(rootfs, AbortSignal.abort(new Error('stop'))), { message: 'stop' });
  await prepared.dispose();
  await prepared.dispose();
});

test('a download reports its progress as moby does, ending with the whole size', async (t) => {
  if (!requireRoot(t)) return;
  const { rootfs, copier, ctx } = await setup(t);
  const base = await serve(t);
  const seen: [number, number][] = [];
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/big.bin`], dest: '/', onDownloadProgress: (c, total) => seen.push([c, total]) });
  assert.deepEqual(seen.at(-1), [BIG.length, BIG.length]);
  assert.ok(seen.every(([c], i) => i === 0 || c >= seen[i - 1]![0]));
  const small: [number, number][] = [];
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: [`${base}/files/s.txt`], dest: '/', onDownloadProgress: (c, total) => small.push([c, total]) });
  assert.deepEqual(small, [[24, -1]], 'a chunked reply has no total');
  assert.equal((await look(rootfs, 'big.bin'))?.mode, 0o600);
});

test("downloads go through the daemon's HTTP_PROXY unless NO_PROXY exempts the host", async (t) => {
  if (!requireRoot(t)) return;
  const { dir, rootfs, ctx } = await setup(t);
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.url} host=${req.headers.host} auth=${req.headers['proxy-authorization'] ?? ''}`);
    res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }).end('via proxy\n');
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  t.after(() => new Promise<void>((resolve) => {
    proxy.closeAllConnections();
    proxy.close(() => resolve());
  }));
  const port = (proxy.address() as AddressInfo).port;
  const env = { HTTP_PROXY: `http://user:p%40ss@127.0.0.1:${port}`, NO_PROXY: 'skip.invalid' };
  const copier = new FileCopier({ tmpDir: dir, env });
  await copy(copier, rootfs, ctx, { instruction: 'ADD', sources: ['http://files.invalid/p.txt'], dest: '/p.txt' });
  assert.equal((await look(rootfs, 'p.txt'))?.content, 'via proxy\n');
  assert.deepEqual(seen, [`http://files.invalid/p.txt host=files.invalid auth=Basic ${Buffer.from('user:p@ss').toString('base64')}`]);
  await assert.rejects(copier.prepare(request({ instruction: 'ADD', sources: ['http://skip.invalid/p.txt'], dest: '/' }), ctx), {
    message: 'ADD failed: Get "http://skip.invalid/p.txt": dial tcp: lookup skip.invalid: no such host',
  });
  assert.equal(seen.length, 1, 'NO_PROXY hosts are fetched directly');
  // https goes through a CONNECT tunnel (here to no TLS server: the handshake fails, after the tunnel).
  const tunnels: string[] = [];
  proxy.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket) => {
    tunnels.push(`${req.url} auth=${req.headers['proxy-authorization'] ?? ''}`);
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\nnot tls at all', () => socket.destroy());
  });
  const secure = new FileCopier({ tmpDir: dir, env: { HTTPS_PROXY: `127.0.0.1:${port}` } });
  await assert.rejects(secure.prepare(request({ instruction: 'ADD', sources: ['https://secure.invalid/x'], dest: '/' }), ctx), /^SystemError: ADD failed: Get "https:\/\/secure\.invalid\/x": /);
  assert.deepEqual(tunnels, ['secure.invalid:443 auth=']);
});
