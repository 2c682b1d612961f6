/**
 * berthd against our own registry server (`berth registry serve`), with
 * token auth: the docker CLI and berth log in, push, and pull back into a
 * daemon with an empty data root, then run what they pulled; a second pull
 * fetches nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, DOCKER, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistryProcess, tempDir } from '../../helpers/registry-server.ts';
import { assertNoMounts } from './mounts.ts';

const cli = (bin: string, d: Daemon, config: string, args: string[], input?: string) => runCli(bin, d, args, { env: { DOCKER_CONFIG: config }, input });

test('docker and berth log in to berth registry serve (token auth), push, and pull back into an empty daemon that runs it', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const dir = tempDir(t, 'berth-own-reg');
  const htpasswd = path.join(dir, 'htpasswd');
  const made = await runCli('/usr/bin/htpasswd', { host: '' }, ['-Bbc', htpasswd, 'carol', 'pw-carol']);
  assert.equal(made.code, 0, made.stderr);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auth: { token: { htpasswd, service: 'berth-own' } } }));
  const reg = await startRegistryProcess(t, { config: path.join(dir, 'config.json') });
  const config = path.join(dir, 'docker-config');

  const src = await startDaemon(t);
  const dst = await startDaemon(t, { bootstrap: false });
  for (const [bin, name] of [[DOCKER, 'docker'], [BERTH, 'berth']] as const) {
    const image = `${reg.hostPort}/own/${name}:v1`;
    const anonymous = await cli(bin, src, path.join(dir, 'empty-config'), ['push', image]);
    assert.notEqual(anonymous.code, 0, 'no push without credentials');

    const login = await cli(bin, src, config, ['login', '-u', 'carol', '--password-stdin', reg.hostPort], 'pw-carol\n');
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    assert.equal((await cli(bin, src, config, ['tag', 'busybox', image])).code, 0);
    const push = await cli(bin, src, config, ['push', image]);
    assert.equal(push.code, 0, push.stderr);
    const digest = /^v1: digest: (sha256:[a-f0-9]{64}) size: \d+$/m.exec(push.stdout)?.[1];
    assert.ok(digest, push.stdout);

    const pull = await cli(bin, dst, config, ['pull', image]);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, new RegExp(`Digest: ${digest}`));
    assert.match(pull.stdout, /Status: Downloaded newer image/);
    const run = await cli(bin, dst, config, ['run', '--rm', image, 'echo', `pulled by ${name}`]);
    assert.deepEqual([run.code, run.stdout], [0, `pulled by ${name}\n`], run.stderr);
    const again = await cli(bin, dst, config, ['pull', image]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Status: Image is up to date/);
    const byDigest = await cli(bin, dst, config, ['pull', `${reg.hostPort}/own/${name}@${digest}`]);
    assert.equal(byDigest.code, 0, byDigest.stderr);
  }
  await assertNoMounts(src, dst);
});
