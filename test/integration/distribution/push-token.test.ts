/**
 * Login and push against a registry with bearer-token auth (docker-registry
 * and a token server of the test's): the token flow with credentials,
 * anonymous tokens that may only pull, wrong credentials in dockerd's words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, DOCKER, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { startTokenRegistry } from '../../helpers/token-registry.ts';
import { assertNoMounts } from './mounts.ts';

const cli = (bin: string, d: Daemon, config: string, args: string[], input?: string) => runCli(bin, d, args, { env: { DOCKER_CONFIG: config }, input });

test('bearer-token registries: login, push with the token, anonymous push refused', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const reg = await startTokenRegistry(t);
  const config = mkdtempSync(path.join(os.tmpdir(), 'berth-dockercfg-'));
  t.after(() => rmSync(config, { recursive: true, force: true }));
  const image = `${reg.host}/tok/bb:v1`;
  assert.equal((await cli(BERTH, d, config, ['tag', 'busybox', image])).code, 0);

  const anonymous = await cli(DOCKER, d, config, ['push', image]);
  assert.equal(anonymous.code, 1);
  assert.equal(anonymous.stderr, 'unauthorized: authentication required\n');

  const wrong = await cli(DOCKER, d, config, ['login', '-u', 'user', '--password-stdin', reg.host], 'nope\n');
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, `Error response from daemon: Get "http://${reg.host}/v2/": unauthorized: incorrect username or password\n`);

  const ok = await cli(BERTH, d, config, ['login', '-u', 'user', '--password-stdin', reg.host], 'pass\n');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'Login Succeeded\n');
  // The token server handed out a refresh token: stored as the identity token instead of the password, as docker does.
  const stored = JSON.parse(readFileSync(path.join(config, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string; identitytoken?: string }> };
  assert.equal(stored.auths[reg.host]!.auth, Buffer.from('user:').toString('base64'));
  assert.match(stored.auths[reg.host]!.identitytoken ?? '', /^[a-f0-9]{32}$/);

  const pushed = await cli(DOCKER, d, config, ['push', image]);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /^v1: digest: sha256:[a-f0-9]{64} size: \d+$/m);
  // Pushed with the identity token: the OAuth2 refresh-token grant.
  assert.ok(reg.tokenRequests.some((q) => q.startsWith('POST ') && q.includes('grant_type=refresh_token') && q.includes('repository%3Atok%2Fbb%3Apull%2Cpush')), reg.tokenRequests.join('\n'));

  // A mount from another repository asks a token for both.
  assert.equal((await cli(BERTH, d, config, ['tag', 'busybox', `${reg.host}/tok/other:v1`])).code, 0);
  const mounted = await cli(DOCKER, d, config, ['push', `${reg.host}/tok/other:v1`]);
  assert.equal(mounted.code, 0, mounted.stderr);
  assert.match(mounted.stdout, /: Mounted from tok\/bb$/m);
  assert.ok(reg.tokenRequests.some((q) => q.includes('scope=repository%3Atok%2Fbb%3Apull+repository%3Atok%2Fother%3Apull%2Cpush')), reg.tokenRequests.join('\n'));

  assert.equal((await cli(BERTH, d, config, ['rmi', image])).code, 0);
  const pulled = await cli(BERTH, d, config, ['pull', '-q', image]);
  assert.deepEqual([pulled.code, pulled.stdout], [0, `${image}\n`]);
  await assertNoMounts(d);
});
