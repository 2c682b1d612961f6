/**
 * Pull's bad input, each one clear line with dockerd's status and words,
 * the stores untouched; credentials (htpasswd basic auth) from the docker
 * CLI's config.json and X-Registry-Auth; `docker run` of an image only in
 * the registry; `pull -a`; `--pull always|never`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BERTH, DOCKER, ROOT, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { freePort } from '../../helpers/net-check.ts';
import { startRegistry } from '../../helpers/registry.ts';

const ARCHIVE = `docker-archive:${ROOT}/test/fixtures/busybox-ref.tar`;

function post(socket: string, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'POST', path: urlPath, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const authHeader = (username: string, password: string): string => Buffer.from(JSON.stringify({ username, password })).toString('base64url');

test('bad input: no registry, unknown host, no tag, invalid references; nothing stored', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  reg.push(ARCHIVE, 'busybox:latest');
  const d = await startDaemon(t, { bootstrap: false });
  const closed = await freePort();

  const refused = await runCli(DOCKER, d, ['pull', `127.0.0.1:${closed}/busybox`]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `Error response from daemon: Get "http://127.0.0.1:${closed}/v2/": dial tcp 127.0.0.1:${closed}: connect: connection refused\n`);

  const unknown = await post(d.socket, '/images/create?fromImage=nosuch.invalid/busybox&tag=latest');
  assert.equal(unknown.status, 500);
  assert.match(JSON.parse(unknown.text).message, /^Get "https:\/\/nosuch\.invalid\/v2\/": dial tcp: lookup nosuch\.invalid( on \S+)?: (no such host|Temporary failure in name resolution)$/);

  const noTag = await runCli(DOCKER, d, ['pull', `${reg.host}/busybox:nope`]);
  assert.equal(noTag.code, 1);
  assert.equal(noTag.stderr, `Error response from daemon: manifest for ${reg.host}/busybox:nope not found: manifest unknown: manifest unknown\n`);
  const noRepo = await post(d.socket, `/images/create?fromImage=${reg.host}/nothere&tag=latest`);
  assert.equal(noRepo.status, 404);
  assert.deepEqual(JSON.parse(noRepo.text), { message: `manifest for ${reg.host}/nothere:latest not found: manifest unknown: manifest unknown` });

  // (`UPPER/case` parses with UPPER as a registry host under distribution/reference 0.5+, as Docker 28 does.)
  const upper = await post(d.socket, '/images/create?fromImage=library/UPPER&tag=latest');
  assert.equal(upper.status, 400);
  assert.deepEqual(JSON.parse(upper.text), { message: 'invalid reference format: repository name must be lowercase' });
  const colons = await post(d.socket, '/images/create?fromImage=a:b:c');
  assert.equal(colons.status, 400);
  assert.deepEqual(JSON.parse(colons.text), { message: 'invalid reference format' });

  assert.deepEqual((await d.api('GET', '/images/json')).body, []);
});

test('htpasswd auth: no credentials, wrong ones, X-Registry-Auth and the CLI config.json', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t, { auth: { user: 'user', pass: 's3cret' } });
  reg.push(ARCHIVE, 'private/busybox:latest');
  const d = await startDaemon(t, { bootstrap: false });
  const ref = `${reg.host}/private/busybox:latest`;

  const none = await runCli(DOCKER, d, ['pull', ref]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, `Error response from daemon: Head "http://${reg.host}/v2/private/busybox/manifests/latest": no basic auth credentials\n`);
  const wrong = await post(d.socket, `/images/create?fromImage=${reg.host}/private/busybox&tag=latest`, { 'X-Registry-Auth': authHeader('user', 'nope') });
  assert.equal(wrong.status, 500);
  assert.deepEqual(JSON.parse(wrong.text), { message: 'unauthorized: authentication required' });
  assert.deepEqual((await d.api('GET', '/images/json')).body, []);

  const ok = await post(d.socket, `/images/create?fromImage=${reg.host}/private/busybox&tag=latest`, { 'X-Registry-Auth': authHeader('user', 's3cret') });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /Status: Downloaded newer image/);
  await d.api('DELETE', `/images/${encodeURIComponent(ref)}`);

  // The docker CLI sends what its config.json holds for the registry.
  const cfg = await mkdtemp(path.join(os.tmpdir(), 'berth-dockercfg-'));
  t.after(() => rm(cfg, { recursive: true, force: true }));
  await writeFile(path.join(cfg, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from('user:s3cret').toString('base64') } } }));
  const cli = await runCli(DOCKER, d, ['pull', ref], { env: { DOCKER_CONFIG: cfg } });
  assert.equal(cli.code, 0, cli.stderr);
  const run = await runCli(DOCKER, d, ['run', '--rm', ref, 'true'], { env: { DOCKER_CONFIG: cfg } });
  assert.equal(run.code, 0, run.stderr);
});

test('docker run of an image only in the registry pulls it; pull -a; --pull always and never', async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t);
  reg.push(ARCHIVE, 'box:1');
  reg.push(ARCHIVE, 'box:2');
  const d = await startDaemon(t, { bootstrap: false });
  const ref = `${reg.host}/box:1`;

  const never = await runCli(DOCKER, d, ['run', '--rm', '--pull', 'never', ref, 'true']);
  assert.equal(never.code, 125);
  assert.match(never.stderr, new RegExp(`No such image: ${ref.replace(/[.]/g, '\\.')}`));

  const run = await runCli(DOCKER, d, ['run', '--rm', ref, 'echo', 'from the registry']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'from the registry\n');
  assert.match(run.stderr, new RegExp(`^Unable to find image '${ref.replace(/[.]/g, '\\.')}' locally\n1: Pulling from box\n`));
  assert.match(run.stderr, /Status: Downloaded newer image for /);

  const gets = reg.blobGets().length;
  const always = await runCli(DOCKER, d, ['run', '--rm', '--pull', 'always', ref, 'true']);
  assert.equal(always.code, 0, always.stderr);
  assert.match(always.stderr, /Status: Image is up to date for /);
  assert.equal(reg.blobGets().length, gets);

  const all = await runCli(DOCKER, d, ['pull', '-a', `${reg.host}/box`]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^1: Pulling from box$/m);
  assert.match(all.stdout, /^2: Pulling from box$/m);
  assert.match(all.stdout, new RegExp(`^Status: Downloaded newer image for ${reg.host.replace(/[.]/g, '\\.')}/box$`, 'm'));
  const tags = ((await d.api('GET', '/images/json')).body as { RepoTags: string[] }[]).flatMap((i) => i.RepoTags).sort();
  assert.deepEqual(tags, [`${reg.host}/box:1`, `${reg.host}/box:2`]);

  // berth run does the same.
  reg.push(ARCHIVE, 'box:3');
  const ref3 = `${reg.host}/box:3`;
  const bNever = await runCli(BERTH, d, ['run', '--rm', '--pull', 'never', ref3, 'true']);
  assert.equal(bNever.code, 125);
  const bRun = await runCli(BERTH, d, ['run', '--rm', ref3, 'echo', 'berth pulled']);
  assert.equal(bRun.code, 0, bRun.stderr);
  assert.equal(bRun.stdout, 'berth pulled\n');
  assert.match(bRun.stderr, new RegExp(`^Unable to find image '${ref3.replace(/[.]/g, '\\.')}' locally\n`));
});
