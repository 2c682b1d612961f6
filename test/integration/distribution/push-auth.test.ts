/**
 * Login and push against docker-registry behind htpasswd basic auth: the
 * real docker CLI and berth log in through berthd (POST /auth), each reads
 * the config.json the other wrote (a temp DOCKER_CONFIG), pushes with those
 * credentials and pulls back; wrong or missing credentials fail with
 * dockerd's words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, DOCKER, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts } from './mounts.ts';

function tempConfig(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-dockercfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const cli = (bin: string, d: Daemon, config: string, args: string[], input?: string) => runCli(bin, d, args, { env: { DOCKER_CONFIG: config }, input });

test('docker login through berthd; berth pushes with what docker stored; wrong credentials are refused', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t, { auth: { user: 'user', pass: 'pass' } });
  const config = tempConfig(t);

  const wrong = await cli(DOCKER, d, config, ['login', '-u', 'user', '--password-stdin', reg.host], 'nope\n');
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, `Error response from daemon: login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized\n`);
  const raw = await d.api('POST', '/auth', { username: 'user', password: 'nope', serveraddress: reg.host });
  assert.equal(raw.status, 401);

  const ok = await cli(DOCKER, d, config, ['login', '-u', 'user', '--password-stdin', reg.host], 'pass\n');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'Login Succeeded\n');
  const answer = await d.api('POST', '/auth', { username: 'user', password: 'pass', serveraddress: reg.host });
  assert.equal(answer.text, '{"IdentityToken":"","Status":"Login Succeeded"}\n'); // dockerd: Content-Length 48

  assert.equal((await cli(BERTH, d, config, ['tag', 'busybox', `${reg.host}/priv/bb:v1`])).code, 0);
  const pushed = await cli(BERTH, d, config, ['push', `${reg.host}/priv/bb:v1`]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /^v1: digest: sha256:[a-f0-9]{64} size: \d+$/m);
  assert.equal((await reg.get('/v2/priv/bb/tags/list')).text.trim(), '{"name":"priv/bb","tags":["v1"]}');

  // The docker CLI pulls it back into the daemon once the local copy is gone.
  assert.equal((await cli(DOCKER, d, config, ['rmi', `${reg.host}/priv/bb:v1`])).code, 0);
  const pulled = await cli(DOCKER, d, config, ['pull', `${reg.host}/priv/bb:v1`]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stdout.trimEnd().split('\n').at(-1), `${reg.host}/priv/bb:v1`);

  // Without credentials: dockerd's "no basic auth credentials"; with wrong ones, the registry's 401.
  const anonymous = tempConfig(t);
  const noCreds = await cli(DOCKER, d, anonymous, ['push', `${reg.host}/priv/bb:v1`]);
  assert.equal(noCreds.code, 1);
  assert.equal(noCreds.stderr, 'no basic auth credentials\n');
  const bad = tempConfig(t);
  const badConfig = { auths: { [reg.host]: { auth: Buffer.from('user:nope').toString('base64') } } };
  (await import('node:fs')).writeFileSync(path.join(bad, 'config.json'), JSON.stringify(badConfig));
  const wrongCreds = await cli(BERTH, d, bad, ['push', `${reg.host}/priv/bb:v1`]);
  assert.equal(wrongCreds.code, 1);
  assert.equal(wrongCreds.stderr, 'unauthorized: authentication required\n');
  await assertNoMounts(d);
});

test('berth login writes what docker reads; docker pushes with it; berth logout removes it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startRegistry(t, { auth: { user: 'u2', pass: 'p2' } });
  const config = tempConfig(t);

  const login = await cli(BERTH, d, config, ['login', '-u', 'u2', '-p', 'p2', `http://${reg.host}/`]);
  assert.equal(login.code, 0, login.stderr);
  assert.equal(login.stdout, 'Login Succeeded\n');
  const file = path.join(config, 'config.json');
  assert.equal(
    login.stderr,
    'WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n' +
      `\nWARNING! Your credentials are stored unencrypted in '${file}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`,
  );
  assert.equal(readFileSync(file, 'utf8'), `{\n\t"auths": {\n\t\t"${reg.host}": {\n\t\t\t"auth": "dTI6cDI="\n\t\t}\n\t}\n}`);
  // Logging in again with the same credentials leaves the file alone and warns no more.
  const again = await cli(BERTH, d, config, ['login', '-u', 'u2', '--password-stdin', reg.host], 'p2\n');
  assert.deepEqual([again.code, again.stdout, again.stderr], [0, 'Login Succeeded\n', '']);

  assert.equal((await cli(DOCKER, d, config, ['tag', 'busybox', `${reg.host}/x/y:z`])).code, 0);
  const pushed = await cli(DOCKER, d, config, ['push', `${reg.host}/x/y:z`]);
  assert.equal(pushed.code, 0, pushed.stderr);

  const pullQ = await cli(BERTH, d, config, ['pull', '-q', `${reg.host}/x/y:z`]);
  assert.deepEqual([pullQ.code, pullQ.stdout], [0, `${reg.host}/x/y:z\n`]);

  const out = await cli(BERTH, d, config, ['logout', reg.host]);
  assert.deepEqual([out.code, out.stdout], [0, `Removing login credentials for ${reg.host}\n`]);
  assert.equal(readFileSync(file, 'utf8'), '{\n\t"auths": {}\n}');
  const denied = await cli(DOCKER, d, config, ['push', `${reg.host}/x/y:z`]);
  assert.equal(denied.stderr, 'no basic auth credentials\n');

  const misuse = await cli(BERTH, d, config, ['login', '--password-stdin', reg.host], '');
  assert.deepEqual([misuse.code, misuse.stderr], [1, 'the --password-stdin option requires --username to be set\n']);
  const noTty = await cli(BERTH, d, config, ['login', reg.host], '');
  assert.deepEqual([noTty.code, noTty.stderr], [1, 'Error: Cannot perform an interactive login from a non TTY device\n']);
});
