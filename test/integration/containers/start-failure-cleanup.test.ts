/**
 * A start that fails in one part of its preparation while another (the
 * container's sandbox on the default bridge) is still being set up leaves
 * nothing on the host: the failure's clean-up runs once every part has
 * finished, so the sandbox's netavark set-up is undone (no rule, chain,
 * veth or namespace of the daemon's networks is left; net-check's assertClean).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker, runCli, BERTH } from '../../helpers/daemon.ts';
import { assertClean } from '../../helpers/net-check.ts';

test('a volume whose mount fails at start leaves no sandbox behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const created = await docker(d, ['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=bogusopt=1', 'badvol']);
  assert.equal(created.code, 0, created.stderr);
  for (const cli of [DOCKER_CLI, BERTH_CLI]) {
    for (let i = 0; i < 3; i++) {
      const run = await cli.run(d, ['run', '--rm', '-v', 'badvol:/x', 'busybox', 'true']);
      assert.equal(run.code, 125, `${cli.name}: ${run.stderr}`);
      assert.match(run.stderr, /error while mounting volume '.*\/badvol\/_data': failed to mount local volume: mount tmpfs:.*, data: bogusopt=1: invalid argument/, cli.name);
    }
  }
  await assertClean(t, d);
});

test('a missing --device on a user network leaves no sandbox behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['network', 'create', 'failnet'])).code, 0);
  for (const cli of [DOCKER_CLI, BERTH_CLI]) {
    const run = await cli.run(d, ['run', '--rm', '--network', 'failnet', '-p', '127.0.0.1::80', '--device', '/dev/nope', 'busybox', 'true']);
    assert.equal(run.code, 127, `${cli.name}: ${run.stderr}`);
  }
  await assertClean(t, d);
});

const DOCKER_CLI = { name: 'docker', run: docker };
const BERTH_CLI = { name: 'berth', run: (d: Parameters<typeof docker>[0], args: string[]) => runCli(BERTH, d, args) };
