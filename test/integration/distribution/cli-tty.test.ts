/**
 * On a terminal (a pty from `script`), berth draws push and pull progress
 * byte for byte as the docker CLI does: per-layer lines moved in place with
 * ANSI cursor movements, then the digest and status lines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { BERTH, DOCKER, docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

function onTerminal(d: Daemon, bin: string, args: string): string {
  const env = { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' };
  return execFileSync('script', ['-q', '-e', '-c', `stty cols 120; ${bin} ${args}`, '/dev/null'], { env, encoding: 'utf8' });
}

test('push and pull progress on a terminal is byte-identical to the docker CLI', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t);
  const image = `${reg.host}/tty/bb:v1`;
  assert.equal((await docker(d, ['tag', 'busybox', image])).code, 0);
  assert.equal((await docker(d, ['push', '-q', image])).code, 0);
  for (const args of [`push ${image}`, `pull ${image}`]) {
    const want = onTerminal(d, DOCKER, args);
    assert.match(want, /\x1b\[1A\x1b\[2K\r|Status: /);
    assert.equal(onTerminal(d, BERTH, args), want, args);
  }
  await assertNoMounts(d);
});
