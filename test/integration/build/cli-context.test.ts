/**
 * `berth build`'s context: a directory packed with `.dockerignore` (and
 * `<Dockerfile>.dockerignore`) as the docker CLI packs it, `-f` inside or
 * outside the context, and the stdin forms (a bare Dockerfile, a gzipped
 * tar, `-f -` with a directory), each checked by what COPY saw in the image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { assertNoMounts, berth, buildOk, makeDir, runIn } from './cli-helpers.ts';

const sorted = (text: string) => text.split('\n').filter((l) => l !== '').sort();

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

test('berth build packs the context as the docker CLI does: .dockerignore with ! exceptions, the Dockerfile sent even when ignored, -f outside the context', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = makeDir(t, {
    Dockerfile: 'FROM busybox\nCOPY . /ctx/\n',
    '.dockerignore': '# comment\n*.log\nsecret\n!secret/public\nDockerfile\n.dockerignore\n',
    'a.txt': 'a',
    'b.log': 'b',
    'secret/key': 'k',
    'secret/public/p.txt': 'p',
    'sub/c.txt': 'c',
    'sub/d.log': 'd',
    'link': { symlink: 'a.txt' },
  });
  await buildOk(d, ['-q', '-t', 'cli-ctx:ignore', ctx]);
  // Matched as docker does: `*.log` only at the top, `secret` re-entered for its exception, the ignored build files not in COPY's view.
  assert.deepEqual(sorted(await runIn(d, 'cli-ctx:ignore', ['find', '/ctx'])), [
    '/ctx',
    '/ctx/a.txt',
    '/ctx/link',
    '/ctx/secret',
    '/ctx/secret/public',
    '/ctx/secret/public/p.txt',
    '/ctx/sub',
    '/ctx/sub/c.txt',
    '/ctx/sub/d.log',
  ]);
  assert.equal(await runIn(d, 'cli-ctx:ignore', ['readlink', '/ctx/link']), 'a.txt\n');

  // A Dockerfile outside the context: sent under a generated name that COPY . never sees.
  const outside = makeDir(t, { 'elsewhere.Dockerfile': 'FROM busybox\nCOPY . /ctx/\n' });
  const small = makeDir(t, { 'only.txt': 'x', Dockerfile: 'FROM scratch\n' });
  await buildOk(d, ['-q', '-t', 'cli-ctx:outside', '-f', `${outside}/elsewhere.Dockerfile`, small]);
  assert.deepEqual(sorted(await runIn(d, 'cli-ctx:outside', ['find', '/ctx'])), ['/ctx', '/ctx/Dockerfile', '/ctx/only.txt']);

  // -f inside the context, relative to the current directory; <Dockerfile>.dockerignore wins over .dockerignore.
  const own = makeDir(t, {
    'docker/app.Dockerfile': 'FROM busybox\nCOPY . /ctx/\n',
    'docker/app.Dockerfile.dockerignore': '*.txt\n',
    '.dockerignore': '*.md\n',
    'x.txt': 'x',
    'y.md': 'y',
  });
  await buildOk(d, ['-q', '-t', 'cli-ctx:own', '-f', 'docker/app.Dockerfile', '.'], { cwd: own });
  assert.deepEqual(sorted(await runIn(d, 'cli-ctx:own', ['find', '/ctx'])), ['/ctx', '/ctx/.dockerignore', '/ctx/docker', '/ctx/docker/app.Dockerfile', '/ctx/docker/app.Dockerfile.dockerignore', '/ctx/y.md']);
  await assertNoMounts(d);
});

test('berth build reads stdin as docker does: a bare Dockerfile, a gzipped tar, -f - with a directory, and refuses the ambiguous forms', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);

  await buildOk(d, ['-q', '-t', 'cli-stdin:bare', '-'], { input: 'FROM busybox\nRUN echo from-stdin > /f\n' });
  assert.equal(await runIn(d, 'cli-stdin:bare', ['cat', '/f']), 'from-stdin\n');

  const archive = gzipSync(await tarOf({ 'build/Dockerfile': 'FROM busybox\nCOPY data.txt /data.txt\n', 'data.txt': 'from-tar\n' }));
  await buildOk(d, ['-q', '-t', 'cli-stdin:tar', '-f', 'build/Dockerfile', '-'], { input: archive });
  assert.equal(await runIn(d, 'cli-stdin:tar', ['cat', '/data.txt']), 'from-tar\n');

  const ctx = makeDir(t, { 'data.txt': 'from-dir\n', Dockerfile: 'FROM scratch\n' });
  await buildOk(d, ['-q', '-t', 'cli-stdin:dash-f', '-f', '-', ctx], { input: 'FROM busybox\nCOPY . /ctx/\n' });
  assert.deepEqual(sorted(await runIn(d, 'cli-stdin:dash-f', ['find', '/ctx'])), ['/ctx', '/ctx/Dockerfile', '/ctx/data.txt']);

  const refusals: [string[], string, string][] = [
    [['-f', '-', '-'], 'FROM busybox\n', "invalid argument: can't use stdin for both build context and dockerfile\n"],
    [['-f', 'Dockerfile', '-'], 'FROM busybox\n', 'unable to prepare context from STDIN: ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles\n'],
    [['/nonexistent-context-dir'], '', 'unable to prepare context: path "/nonexistent-context-dir" not found\n'],
    [['-f', '/nonexistent/Dockerfile', ctx], '', 'unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /nonexistent: no such file or directory\n'],
    [[`${ctx}/data.txt`], '', `unable to prepare context: context must be a directory: ${ctx}/data.txt\n`],
    [[makeDir(t, {})], '', 'unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat EMPTY/Dockerfile: no such file or directory\n'],
  ];
  for (const [args, input, stderr] of refusals) {
    const r = await berth(d, ['build', ...args], { input });
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', stderr.replace('EMPTY', args[0] ?? '')], args.join(' '));
  }
  await assertNoMounts(d);
});
