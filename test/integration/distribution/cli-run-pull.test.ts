/**
 * `run`/`create` of an image that is only in a registry, through the docker
 * CLI and berth: "Unable to find image … locally" on stderr, the pull, then
 * the container; `--pull never` refuses, `--pull always` pulls a present image.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BERTH, docker, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

const berth = (d: Daemon, args: string[]) => runCli(BERTH, d, args);

test('run of an image only in the registry pulls it first, with either CLI', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  const image = `${reg.host}/only/remote:v1`;
  assert.equal((await docker(d, ['tag', 'busybox', image])).code, 0);
  assert.equal((await docker(d, ['push', '-q', image])).code, 0);
  for (const cli of [docker, berth]) {
    assert.equal((await cli(d, ['rmi', image])).code, 0);
    const r = await cli(d, ['run', '--rm', image, 'echo', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    const err = r.stderr.split('\n');
    assert.equal(err[0], `Unable to find image '${image}' locally`);
    assert.ok(err.includes(`Status: Downloaded newer image for ${image}`), r.stderr);
  }
  const never = await berth(d, ['create', '--pull', 'never', `${reg.host}/only/missing:v1`]);
  assert.notEqual(never.code, 0);
  assert.match(never.stderr, /No such image/);
  const always = await berth(d, ['create', '-q', '--pull', 'always', image]);
  assert.equal(always.code, 0, always.stderr);
  assert.equal(always.stderr, '');
  assert.match(always.stdout, /^[a-f0-9]{64}\n$/);
  assert.equal((await berth(d, ['rm', always.stdout.trim()])).code, 0);
  await assertNoMounts(d);
});
