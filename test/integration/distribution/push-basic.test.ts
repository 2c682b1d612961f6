/**
 * Push to Debian's docker-registry on 127.0.0.1 (no auth): dockerd's
 * progress words through the real docker CLI and berth, the manifest the
 * registry ends up with, `Layer already exists` on a second push, a
 * cross-repository mount (`Mounted from`), push -a, RepoDigests, and the
 * errors for a missing tag or image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BERTH, docker, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry, type Registry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

const berth = (d: Daemon, args: string[], env?: NodeJS.ProcessEnv) => runCli(BERTH, d, args, { env });

async function manifestOf(reg: Registry, repo: string, tag: string): Promise<{ digest: string | null; body: { layers: { digest: string; mediaType: string }[]; config: { digest: string } } }> {
  const r = await reg.get(`/v2/${repo}/manifests/${tag}`, { accept: 'application/vnd.docker.distribution.manifest.v2+json' });
  assert.equal(r.status, 200, r.text);
  return { digest: r.headers.get('docker-content-digest'), body: JSON.parse(r.text) };
}

test('the docker CLI pushes an image; a second push finds its layer; another repository mounts it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  const image = `${reg.host}/a/bb:v1`;
  assert.equal((await docker(d, ['tag', 'busybox', image])).code, 0);
  const id = (await d.api('GET', '/images/busybox/json')).body.Id as string;
  const diffId = ((await d.api('GET', '/images/busybox/json')).body.RootFS.Layers as string[])[0]!;
  const short = diffId.slice(7, 19);

  const first = await docker(d, ['push', image]);
  assert.equal(first.code, 0, first.stderr);
  const m = await manifestOf(reg, 'a/bb', 'v1');
  assert.equal(m.body.config.digest, id);
  assert.equal(m.body.layers[0]!.mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip');
  const lines = first.stdout.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 2), [`The push refers to repository [${reg.host}/a/bb]`, `${short}: Preparing`]);
  assert.equal(lines[2], `${short}: Pushed`);
  assert.match(lines[3]!, new RegExp(`^v1: digest: ${m.digest} size: \\d+$`));

  const inspect = (await d.api('GET', `/images/${encodeURIComponent(image)}/json`)).body;
  assert.deepEqual(inspect.RepoDigests, [`${reg.host}/a/bb@${m.digest}`]);

  const again = await docker(d, ['push', image]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.split('\n')[2], `${short}: Layer already exists`);
  assert.equal(again.stdout.split('\n')[3], first.stdout.split('\n')[3]);

  assert.equal((await docker(d, ['tag', 'busybox', `${reg.host}/b/other:v2`])).code, 0);
  const mounted = await docker(d, ['push', `${reg.host}/b/other:v2`]);
  assert.equal(mounted.code, 0, mounted.stderr);
  assert.equal(mounted.stdout.split('\n')[2], `${short}: Mounted from a/bb`);
  assert.equal((await manifestOf(reg, 'b/other', 'v2')).body.layers[0]!.digest, m.body.layers[0]!.digest);
  await assertNoMounts(d);
});

test('berth push -a pushes every tag; -q prints only the reference', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  for (const tag of ['t1', 't2']) assert.equal((await berth(d, ['tag', 'busybox', `${reg.host}/multi:${tag}`])).code, 0);
  const bad = await berth(d, ['push', '-a', `${reg.host}/multi:t1`]);
  assert.deepEqual([bad.code, bad.stderr], [1, "tag can't be used with --all-tags/-a\n"]);
  const all = await berth(d, ['push', '-a', `${reg.host}/multi`]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^t1: digest: sha256:[a-f0-9]{64} size: \d+$/m);
  assert.match(all.stdout, /^t2: digest: sha256:[a-f0-9]{64} size: \d+$/m);
  const tags = await reg.get('/v2/multi/tags/list');
  assert.deepEqual(JSON.parse(tags.text).tags.sort(), ['t1', 't2']);
  const quiet = await berth(d, ['push', '-q', `${reg.host}/multi:t1`]);
  assert.deepEqual([quiet.code, quiet.stdout], [0, `${reg.host}/multi:t1\n`]);
  const dflt = await berth(d, ['push', `${reg.host}/multi`]);
  assert.equal(dflt.stdout.split('\n')[0], 'Using default tag: latest');
});

test('pushing a missing tag or image fails with dockerd words', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  assert.equal((await docker(d, ['tag', 'busybox', `${reg.host}/x:v1`])).code, 0);
  for (const cli of [docker, (dd: Daemon, a: string[]) => berth(dd, a)]) {
    const noTag = await cli(d, ['push', `${reg.host}/x:nope`]);
    assert.equal(noTag.code, 1);
    assert.equal(noTag.stdout, `The push refers to repository [${reg.host}/x]\n`);
    assert.equal(noTag.stderr, `tag does not exist: ${reg.host}/x:nope\n`);
    const noImage = await cli(d, ['push', '-a', `${reg.host}/zz`]);
    assert.equal(noImage.stderr, `An image does not exist locally with the tag: ${reg.host}/zz\n`);
  }
  const raw = await d.api('POST', `/images/${reg.host}/x/push?tag=v1`);
  assert.deepEqual([raw.status, raw.body], [400, { message: 'Bad parameters and missing X-Registry-Auth: EOF' }]);
});

test('an image of seven layers lists them top first and makes the last two wait, as dockerd', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  let base = 'busybox';
  for (let i = 1; i <= 6; i++) {
    assert.equal((await docker(d, ['run', '--name', `layer${i}`, base, 'sh', '-c', `echo ${i} > /f${i}`])).code, 0);
    assert.equal((await docker(d, ['commit', `layer${i}`, `seven:${i}`])).code, 0);
    assert.equal((await docker(d, ['rm', `layer${i}`])).code, 0);
    base = `seven:${i}`;
  }
  const layers = ((await d.api('GET', '/images/seven:6/json')).body.RootFS.Layers as string[]).map((l) => l.slice(7, 19));
  assert.equal(layers.length, 7);
  assert.equal((await docker(d, ['tag', 'seven:6', `${reg.host}/seven:v1`])).code, 0);
  const r = await docker(d, ['push', `${reg.host}/seven:v1`]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const top = [...layers].reverse();
  assert.deepEqual(lines.slice(1, 10), [...top.map((l) => `${l}: Preparing`), `${top[5]}: Waiting`, `${top[6]}: Waiting`]);
  for (const l of layers) assert.ok(lines.includes(`${l}: Pushed`), `${l}: ${r.stdout}`);
  await assertNoMounts(d);
});

test('two tags of one image pushed at once to one repository: both land, each blob uploaded once', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  // A layer of its own (never pushed, never compressed), under two tags.
  assert.equal((await docker(d, ['run', '--name', 'src', 'busybox', 'sh', '-c', 'head -c 3000000 /dev/urandom > /blob'])).code, 0);
  assert.equal((await docker(d, ['commit', 'src', `${reg.host}/c/app:one`])).code, 0);
  assert.equal((await docker(d, ['tag', `${reg.host}/c/app:one`, `${reg.host}/c/app:two`])).code, 0);
  const [one, two] = await Promise.all([docker(d, ['push', `${reg.host}/c/app:one`]), docker(d, ['push', `${reg.host}/c/app:two`])]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const [m1, m2] = [await manifestOf(reg, 'c/app', 'one'), await manifestOf(reg, 'c/app', 'two')];
  assert.deepEqual(m1.body, m2.body);
  for (const l of m1.body.layers) assert.equal((await reg.get(`/v2/c/app/blobs/${l.digest}`)).status, 200);
  // Each layer was pushed by one of them; the other saw it there.
  const pushed = [one.stdout, two.stdout].join('').match(/: Pushed\n/g)?.length ?? 0;
  assert.equal(pushed, m1.body.layers.length, `${one.stdout}\n${two.stdout}`);
  await docker(d, ['rm', 'src']);
  await assertNoMounts(d);
});
