/**
 * POST /build before any step runs: bad query values, a body that is not a
 * context, a missing Dockerfile, each answered as dockerd answers (status
 * and words, checked against Docker 20.10's classic builder), with nothing
 * left in the builder's tmp dir; /build/prune and /build/cancel; the build
 * cache in `system df`, through raw HTTP and the docker CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { builderTmpLeft, makeTar, post } from './api-helpers.ts';

/** [query, status, message] as dockerd 20.10 answers them (version, tag and squash checks as the v1.43 daemon words them). */
const BAD_QUERIES: Array<[string, number, string]> = [
  ['buildargs=notjson', 400, "error reading build args: invalid character 'o' in literal null (expecting 'u')"],
  ['buildargs=%7B%22a%22%3A1%7D', 400, 'error reading build args: json: cannot unmarshal number into Go value of type string'],
  ['labels=%5B1%5D', 400, 'error reading labels: json: cannot unmarshal array into Go value of type map[string]string'],
  ['cachefrom=x', 500, "invalid character 'x' looking for beginning of value"],
  ['version=3', 500, 'invalid version "3"'],
  // Berth has no BuildKit: refused as a daemon without it (dockerd's is a gRPC session Berth does not speak).
  ['version=2', 400, 'buildkit not supported by daemon: Berth builds with the classic builder (version=1)'],
  ['squash=1', 400, 'squash is only supported with experimental mode'],
  ['shmsize=abc', 500, 'strconv.ParseInt: parsing "abc": invalid syntax'],
  ['platform=foo/bar/baz/qux', 400, '"foo/bar/baz/qux": cannot parse platform specifier: invalid argument'],
  ['outputs=x', 500, "invalid character 'x' looking for beginning of value"],
  ['securityopt=x', 400, 'The daemon on this platform does not support setting security options on build'],
  ['ulimits=x', 400, "error reading ulimit settings: invalid character 'x' looking for beginning of value"],
  ['isolation=hyperv', 400, 'Unsupported isolation: "hyperv"'],
  ['t=Bad:Tag', 400, 'invalid reference format: repository name must be lowercase'],
  ['t=a@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 400, 'build tag cannot contain a digest'],
  ['remote=ftp://x', 500, 'remoteURL (ftp://x) could not be recognized as URL'],
];

test('bad query values and bad contexts get dockerd’s status and words before any output, leaving nothing behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const ok = await makeTar([{ name: 'Dockerfile', body: 'FROM busybox\n' }]);
  for (const [query, status, message] of BAD_QUERIES) {
    const r = await post(d.socket, `/v1.43/build?${query}`, ok);
    assert.equal(r.status, status, `${query}: ${r.text}`);
    assert.deepEqual(r.lines, [{ message }], query);
  }
  const contexts: Array<[string, Buffer, string]> = [
    ['a short non-tar body', Buffer.from('FROM busybox\nRUN true\n'), 'unexpected EOF'],
    ['a long non-tar body', Buffer.from('FROM busybox\n' + 'RUN echo x\n'.repeat(60)), 'archive/tar: invalid tar header'],
    ['an empty body', Buffer.alloc(0), 'Cannot locate specified Dockerfile: Dockerfile'],
    ['a truncated tar', (await makeTar([{ name: 'Dockerfile', body: 'FROM x\n' }, { name: 'big', body: 'y'.repeat(5000) }])).subarray(0, 1500), 'Error processing tar file(exit status 1): unexpected EOF'],
    ['a tar without the Dockerfile', await makeTar([{ name: 'a', body: 'x' }]), 'Cannot locate specified Dockerfile: Dockerfile'],
  ];
  for (const [what, body, message] of contexts) {
    const r = await post(d.socket, '/v1.43/build', body);
    assert.equal(r.status, 500, `${what}: ${r.text}`);
    assert.deepEqual(r.lines, [{ message }], what);
  }
  const named = await post(d.socket, '/v1.43/build?dockerfile=sub/Other', ok);
  assert.deepEqual(named.lines, [{ message: 'Cannot locate specified Dockerfile: sub/Other' }]);
  assert.deepEqual(await builderTmpLeft(d.dataRoot), []);
});

test('the docker CLI shows the daemon’s refusal of a context without a Dockerfile', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const r = await docker(d, ['build', '-'], { input: await makeTar([{ name: 'a', body: 'x' }]), env: { DOCKER_BUILDKIT: '0' } });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Error response from daemon: Cannot locate specified Dockerfile: Dockerfile/);
});

test('build/prune and build/cancel answer as dockerd, and system df lists the build cache', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const pruned = await post(d.socket, '/v1.43/build/prune?all=1&keep-storage=10');
  assert.equal(pruned.status, 200);
  assert.deepEqual(pruned.lines, [{ CachesDeleted: null, SpaceReclaimed: 0 }]);
  const badFilter = await post(d.socket, `/v1.43/build/prune?filters=${encodeURIComponent('{"bogus":["x"]}')}`);
  assert.equal(badFilter.status, 400);
  assert.deepEqual(badFilter.lines, [{ message: "failed to prune build cache: Invalid filter 'bogus'" }]);
  const badKeep = await post(d.socket, '/v1.43/build/prune?keep-storage=abc');
  assert.equal(badKeep.status, 500);
  assert.deepEqual(badKeep.lines, [{ message: 'keep-storage is in bytes and expects an integer, got abc: strconv.Atoi: parsing "abc": invalid syntax' }]);
  const noId = await post(d.socket, '/v1.43/build/cancel');
  assert.equal(noId.status, 500);
  assert.deepEqual(noId.lines, [{ message: 'build ID not provided' }]);
  const cancel = await post(d.socket, '/v1.43/build/cancel?id=nosuch');
  assert.equal(cancel.status, 200);

  const df = await d.api('GET', '/v1.43/system/df?type=build-cache');
  assert.deepEqual(df.body, { Images: null, Containers: null, Volumes: null, BuildCache: [] });
  const old = await d.api('GET', '/v1.41/system/df');
  assert.deepEqual(old.body.BuildCache, []);
  assert.equal(old.body.BuilderSize, 0);

  const prune = await docker(d, ['builder', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.equal(prune.stdout, 'Total reclaimed space: 0B\n');
  const sdf = await docker(d, ['system', 'df']);
  assert.equal(sdf.code, 0, sdf.stderr);
  assert.match(sdf.stdout, /^Build Cache\s+0\s+0\s+0B\s+0B$/m);
});

test('what a build left in the builder tmp dir is swept when the daemon starts', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await fs.mkdir(path.join(d.dataRoot, 'builder/tmp/context-stale/root'), { recursive: true });
  await fs.writeFile(path.join(d.dataRoot, 'builder/tmp/context-stale/root/f'), 'x');
  await d.stop(true);
  await d.restart();
  assert.deepEqual(await builderTmpLeft(d.dataRoot), []);
});
