/**
 * POST /build end to end on a real daemon: the docker CLI's legacy
 * builder path (`DOCKER_BUILDKIT=0 docker build`, which prints its
 * deprecation note) and raw HTTP. Every query parameter reaches the build
 * (tags, dockerfile, buildargs, labels, target, nocache, q, networkmode,
 * extrahosts, memory, shmsize, rm/forcerm, remote), the stream lines are
 * dockerd's, failures are the errorDetail line (with the exit code), a
 * client that goes away cancels the build and leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';
import { builderTmpLeft, makeTar, post } from './api-helpers.ts';
import { gitServer, httpServer } from './remote-servers.ts';

const LEGACY = { env: { DOCKER_BUILDKIT: '0' } };

async function contextDir(t: { after: (fn: () => Promise<void>) => void }, files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-build-ctx-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function runOut(d: Daemon, image: string, script: string): Promise<string> {
  const r = await docker(d, ['run', '--rm', '--network', 'none', image, 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function mountsUnder(d: Daemon): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(d.dataRoot));
}

/** No container, no context directory, no mount under the data root (contexts and released containers go in the background: polled). */
async function nothingLeft(d: Daemon): Promise<void> {
  assert.deepEqual((await d.api('GET', '/containers/json?all=1')).body, [], 'no container left');
  // The context goes once the reply has ended.
  const contexts = await pollUntil(() => builderTmpLeft(d.dataRoot), (c) => c.length === 0, { timeoutMs: 10_000 }).catch(() => builderTmpLeft(d.dataRoot));
  assert.deepEqual(contexts, [], 'no context left');
  const left = await pollUntil(() => mountsUnder(d), (m) => m.length === 0, { timeoutMs: 10_000 }).catch(() => mountsUnder(d));
  assert.deepEqual(left, [], 'no mount left under the data root');
}

test('docker build (legacy API): tags, -f, build args, labels, target, .dockerignore, quiet', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await contextDir(t, {
    'docker/Build.file': 'FROM busybox AS base\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\nCOPY . /ctx\nFROM base AS final\nLABEL stage=final\nFROM base AS unused\nRUN exit 3\n',
    '.dockerignore': '*.log\nsecret\n',
    'app.txt': 'app',
    'debug.log': 'ignored',
    secret: 'ignored',
  });
  const r = await docker(d, ['build', '-t', 'multi:one', '-t', 'multi:two', '-f', path.join(dir, 'docker/Build.file'), '--build-arg', 'GREETING=hello', '--label', 'from=cli', '--target', 'final', dir], LEGACY);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /DEPRECATED: The legacy builder is deprecated/);
  assert.match(r.stdout, /^Sending build context to Docker daemon/);
  assert.match(r.stdout, /Step 1\/\d+ : FROM busybox AS base\n/);
  const built = /Successfully built ([0-9a-f]{12})\n/.exec(r.stdout);
  assert.ok(built, r.stdout);
  assert.match(r.stdout, /Successfully tagged multi:one\nSuccessfully tagged multi:two\n$/);
  assert.doesNotMatch(r.stdout, /exit 3/, 'the unused stage is skipped');
  const inspect = (await d.api('GET', '/images/multi:two/json')).body;
  assert.ok(inspect.Id.startsWith(`sha256:${built[1]}`));
  assert.deepEqual(inspect.RepoTags.sort(), ['multi:one', 'multi:two']);
  assert.equal(inspect.Config.Labels.from, 'cli');
  assert.equal(inspect.Config.Labels.stage, 'final');
  assert.equal(await runOut(d, 'multi:one', 'cat /greeting; ls -A /ctx | sort | tr "\\n" " "'), 'hello\n.dockerignore app.txt docker ');

  // Without DOCKER_BUILDKIT=0 and without buildx, the CLI falls back to this API and says why.
  const quiet = await docker(d, ['build', '-q', '-f', path.join(dir, 'docker/Build.file'), '--target', 'base', dir], { env: { DOCKER_BUILDKIT: undefined } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.match(quiet.stderr, /Install the buildx component to build images with BuildKit/);
  await nothingLeft(d);
});

test('raw POST /build: the stream lines, aux, q, a parse error, a failing RUN with its code, rm/forcerm', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nRUN echo out\n' }]);
  const r = await post(d.socket, '/v1.43/build?t=raw:1&labels=%7B%22k%22%3A%22v%22%7D', ctx);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  const streams = r.lines.filter((l) => 'stream' in l).map((l) => l.stream as string).join('');
  // dockerd adds `labels` as a last LABEL step.
  assert.match(streams, /^Step 1\/3 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/3 : RUN echo out\n ---> Running in [0-9a-f]{12}\nout\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\nStep 3\/3 : LABEL k=v\n/);
  const aux = r.lines.find((l) => 'aux' in l) as { aux: { ID: string } } | undefined;
  assert.match(aux?.aux.ID ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.match(streams, /Successfully tagged raw:1\n$/);
  assert.ok(r.text.endsWith('\r\n'), 'lines end in \\r\\n as dockerd writes them');
  assert.equal((await d.api('GET', '/images/raw:1/json')).body.Config.Labels.k, 'v');

  const old = await post(d.socket, '/v1.29/build', ctx);
  assert.ok(!old.lines.some((l) => 'aux' in l), 'no aux before API 1.30');

  const oldBuilt = /Successfully built ([0-9a-f]{12})/.exec(old.lines.map((l) => l.stream ?? '').join(''));
  const quiet = await post(d.socket, '/v1.43/build?q=1', ctx);
  assert.equal(quiet.lines.length, 1, quiet.text);
  assert.match(quiet.lines[0]!.stream as string, new RegExp(`^sha256:${oldBuilt?.[1]}[0-9a-f]{52}\n$`));

  const parse = await post(d.socket, '/v1.43/build', await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nBOGUS x\n' }]));
  assert.equal(parse.status, 400);
  assert.deepEqual(parse.lines, [{ message: 'dockerfile parse error line 2: unknown instruction: BOGUS' }]);

  const failing = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nRUN echo before; exit 7\n' }]);
  const fail = await post(d.socket, '/v1.43/build?t=never:1', failing);
  assert.equal(fail.status, 200);
  const message = "The command '/bin/sh -c echo before; exit 7' returned a non-zero code: 7";
  assert.deepEqual(fail.lines.at(-1), { errorDetail: { code: 7, message }, error: message });
  assert.equal((await d.api('GET', '/images/never:1/json')).status, 404);
  // rm=1 (the default): unlike dockerd, which keeps the failed step's container, nothing is left (the issue's rule).
  assert.deepEqual((await d.api('GET', '/containers/json?all=1')).body, []);
  const forced = await post(d.socket, '/v1.43/build?forcerm=1', failing);
  assert.deepEqual(forced.lines.at(-1), { errorDetail: { code: 7, message }, error: message });
  const quietFail = await post(d.socket, '/v1.43/build?q=1&forcerm=1', failing);
  assert.ok(quietFail.lines.some((l) => l.stream === 'before\n'), 'q: the held output comes before the error');
  assert.deepEqual(quietFail.lines.at(-1), { errorDetail: { code: 7, message }, error: message });
  const noRm = await post(d.socket, '/v1.43/build?rm=0&nocache=1', ctx);
  assert.equal(noRm.status, 200);
  assert.equal(((await d.api('GET', '/containers/json?all=1')).body as unknown[]).length, 1, 'rm=0 keeps the step container');
  for (const c of (await d.api('GET', '/containers/json?all=1')).body as { Id: string }[]) await d.api('DELETE', `/containers/${c.Id}?force=1`);
  await nothingLeft(d);

  const cli = await docker(d, ['build', '--force-rm', '-'], { input: failing, ...LEGACY });
  assert.equal(cli.code, 7, cli.stderr);
  assert.match(cli.stderr, new RegExp(`${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
});

test('query parameters reach the RUN steps: buildargs, nocache, networkmode, extrahosts, memory, shmsize', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const probe = await makeTar([
    {
      name: 'Dockerfile',
      body: [
        'FROM busybox',
        'ARG V',
        'RUN echo "arg=$V" > /probe',
        'RUN (ls /sys/class/net | tr "\\n" " "; echo) >> /probe',
        'RUN grep -c "myhost" /etc/hosts >> /probe || echo 0 >> /probe',
        'RUN cat /sys/fs/cgroup/memory/memory.limit_in_bytes >> /probe 2>/dev/null || cat /sys/fs/cgroup/memory.max >> /probe',
        'RUN df -k /dev/shm | tail -1 | awk \'{print $2}\' >> /probe',
        '',
      ].join('\n'),
    },
  ]);
  const q = new URLSearchParams({ t: 'probe:1', buildargs: JSON.stringify({ V: 'x1' }), networkmode: 'none', extrahosts: 'myhost:10.1.2.3', memory: String(64 * 1024 * 1024), shmsize: String(8 * 1024 * 1024), nocache: '1' });
  const r = await post(d.socket, `/v1.43/build?${q}`, probe);
  assert.equal(r.status, 200);
  assert.ok(!r.lines.some((l) => 'error' in l), r.text);
  assert.ok(!r.lines.some((l) => l.stream === ' ---> Using cache\n'), 'nocache');
  const [arg, nets, hosts, memory, shm] = (await runOut(d, 'probe:1', 'cat /probe')).trim().split('\n');
  assert.equal(arg, 'arg=x1');
  assert.equal(nets!.trim(), 'lo', 'networkmode=none: only the loopback');
  assert.equal(hosts, '1', 'extrahosts in /etc/hosts');
  assert.equal(memory, String(64 * 1024 * 1024));
  assert.equal(shm, String(8 * 1024));
  const again = await post(d.socket, `/v1.43/build?${new URLSearchParams({ buildargs: JSON.stringify({ V: 'x1' }), networkmode: 'none', extrahosts: 'myhost:10.1.2.3', memory: String(64 * 1024 * 1024), shmsize: String(8 * 1024 * 1024) })}`, probe);
  assert.ok(again.lines.filter((l) => l.stream === ' ---> Using cache\n').length >= 5, `a rebuild uses the cache: ${again.text}`);
  await nothingLeft(d);
});

test('remote=: a tarball URL, a Dockerfile URL and a git repository', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const tarball = gzipSync(await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nCOPY a /a\n' }, { name: 'a', body: 'from the tarball' }]));
  const base = await httpServer(t, { '/ctx.tar.gz': { type: 'application/gzip', body: tarball }, '/Dockerfile': { type: 'text/plain', body: 'FROM busybox\nRUN echo from-url > /u\n' } });
  const tar = await post(d.socket, `/v1.43/build?t=remote:tar&remote=${encodeURIComponent(`${base}/ctx.tar.gz`)}`);
  assert.deepEqual(tar.lines[0], { status: `${base}/ctx.tar.gz`, progressDetail: { current: tarball.length }, progress: `${tarball.length}B`.padStart(8), id: 'Downloading context' });
  assert.ok(!tar.lines.some((l) => 'error' in l), tar.text);
  assert.equal(await runOut(d, 'remote:tar', 'cat /a'), 'from the tarball');
  const df = await post(d.socket, `/v1.43/build?t=remote:df&remote=${encodeURIComponent(`${base}/Dockerfile`)}`);
  assert.deepEqual(df.lines[1], {});
  assert.ok(!df.lines.some((l) => 'error' in l), df.text);
  assert.equal(await runOut(d, 'remote:df', 'cat /u'), 'from-url\n');
  const url = await gitServer(t, { Dockerfile: 'FROM busybox\nCOPY f /f\n', f: 'main' }, { 'sub/Dockerfile': 'FROM busybox\nCOPY g /g\n', 'sub/g': 'feature' });
  const git = await post(d.socket, `/v1.43/build?t=remote:git&remote=${encodeURIComponent(`${url}#feature:sub`)}`);
  assert.ok(!git.lines.some((l) => 'error' in l), git.text);
  assert.equal(await runOut(d, 'remote:git', 'cat /g'), 'feature');
  await nothingLeft(d);
});

test('a client that goes away mid-build cancels it and nothing is left behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // A step that writes without pause: the disconnect lands while writes are in flight.
  const ctx = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nRUN echo started; while true; do echo spam; done\n' }]);
  await new Promise<void>((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: '/v1.43/build?t=cancelled:1', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      let seen = '';
      res.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('started')) {
          req.destroy();
          resolve();
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end(ctx);
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = (await d.api('GET', '/containers/json?all=1')).body as unknown[];
    if (list.length === 0 && (await builderTmpLeft(d.dataRoot)).length === 0) break;
    if (Date.now() > deadline) throw new Error(`the cancelled build left containers ${JSON.stringify(list)} and contexts ${JSON.stringify(await builderTmpLeft(d.dataRoot))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await d.api('GET', '/images/cancelled:1/json')).status, 404);
  await nothingLeft(d);
  // The daemon serves on.
  const after = await post(d.socket, '/v1.43/build?q=1', await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\n' }]));
  assert.equal(after.status, 200);
});

test('builder prune and system df through the docker CLI after builds', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await contextDir(t, { Dockerfile: 'FROM busybox\nRUN echo a > /a\nCOPY f /f\n', f: 'x'.repeat(10_000) });
  const b = await docker(d, ['build', '-t', 'cached:1', dir], LEGACY);
  assert.equal(b.code, 0, b.stderr);
  const df = await d.api('GET', '/v1.43/system/df?type=build-cache');
  assert.ok(Array.isArray(df.body.BuildCache));
  for (const entry of df.body.BuildCache as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(entry), ['ID', 'Parents', 'Type', 'Description', 'InUse', 'Shared', 'Size', 'CreatedAt', 'LastUsedAt', 'UsageCount']);
  }
  const sdf = await docker(d, ['system', 'df']);
  assert.equal(sdf.code, 0, sdf.stderr);
  assert.match(sdf.stdout, new RegExp(`^Build Cache\\s+${df.body.BuildCache.length}\\s`, 'm'));
  const prune = await docker(d, ['builder', 'prune', '-af']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /Total reclaimed space: /);
  const after = await d.api('GET', '/v1.43/system/df?type=build-cache');
  assert.deepEqual(after.body.BuildCache, []);
  const rebuilt = await docker(d, ['build', '-t', 'cached:1', dir], LEGACY);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.doesNotMatch(rebuilt.stdout, /Using cache/, 'the pruned cache is not used');
});

test('X-Berth-Build-Secrets reaches RUN --mount=type=secret and stays out of the image; a bad header is a 400', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\nRUN --mount=type=secret,id=tok md5sum < /run/secrets/tok | cut -c1-8 > /ok\n' }]);
  const secrets = Buffer.from(JSON.stringify({ tok: Buffer.from('zq9-secret-value').toString('base64') })).toString('base64');
  const r = await post(d.socket, '/v1.43/build?t=secret:1', ctx, { 'X-Berth-Build-Secrets': secrets });
  assert.ok(!r.lines.some((l) => 'error' in l), r.text);
  const md5 = createHash('md5').update('zq9-secret-value').digest('hex').slice(0, 8);
  assert.equal(await runOut(d, 'secret:1', 'cat /ok; ls /run/secrets 2>/dev/null | wc -l'), `${md5}\n0\n`);
  const saved = await docker(d, ['save', 'secret:1']);
  assert.ok(!saved.stdout.includes('zq9-secret-value'), 'the secret is in no layer');
  const bad = await post(d.socket, '/v1.43/build', ctx, { 'X-Berth-Build-Secrets': Buffer.from('[1]').toString('base64') });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.lines, [{ message: 'invalid X-Berth-Build-Secrets header: not a JSON object' }]);
  await nothingLeft(d);
});

test('docker build sends its logins as X-Registry-Config: FROM a private registry pulls with them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const { startRegistry } = await import('../../helpers/registry.ts');
  const reg = await startRegistry(t, { auth: { user: 'u', pass: 'p' } });
  const config = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-docker-config-'));
  t.after(() => fs.rm(config, { recursive: true, force: true }));
  const withConfig = { env: { DOCKER_BUILDKIT: '0', DOCKER_CONFIG: config } };
  assert.equal((await docker(d, ['tag', 'busybox', `${reg.host}/lib/bb:v1`])).code, 0);
  const login = await docker(d, ['login', '-u', 'u', '--password-stdin', reg.host], { input: 'p', ...withConfig });
  assert.equal(login.code, 0, login.stderr);
  const push = await docker(d, ['push', `${reg.host}/lib/bb:v1`], withConfig);
  assert.equal(push.code, 0, push.stderr);
  assert.equal((await docker(d, ['rmi', `${reg.host}/lib/bb:v1`])).code, 0);
  const dir = await contextDir(t, { Dockerfile: `FROM ${reg.host}/lib/bb:v1\nRUN echo pulled > /p\n` });
  const anonymous = await docker(d, ['build', dir], { env: { DOCKER_BUILDKIT: '0', DOCKER_CONFIG: path.join(config, 'none') } });
  assert.notEqual(anonymous.code, 0, 'no credentials, no pull');
  const b = await docker(d, ['build', '-t', 'private:1', dir], withConfig);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  assert.match(b.stdout, /Pulling from lib\/bb/);
  assert.equal(await runOut(d, 'private:1', 'cat /p'), 'pulled\n');
});
