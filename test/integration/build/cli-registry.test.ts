/**
 * A FROM image behind a registry with basic auth: `berth build` sends the
 * credentials config.json holds (X-Registry-Config, as the docker CLI
 * sends them), so the daemon's pull succeeds; without them it fails with
 * the registry's refusal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { startRegistry } from '../../helpers/registry.ts';
import { assertNoMounts, berth, buildOk, makeDir, runIn } from './cli-helpers.ts';

test('berth build pulls a FROM image with the credentials of config.json', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const reg = await startRegistry(t, { auth: { user: 'user', pass: 's3cret' } });
  reg.push(`docker-archive:${ROOT}/test/fixtures/busybox-ref.tar`, 'private/base:1');
  const d = await startDaemon(t);
  const ctx = makeDir(t, { Dockerfile: `FROM ${reg.host}/private/base:1\nRUN echo built-on-private > /marker\n` });

  const anonymous = await berth(d, ['build', '-q', ctx]);
  assert.equal(anonymous.code, 1);
  assert.match(anonymous.stderr, /no basic auth credentials|unauthorized/);

  const cfg = mkdtempSync('/tmp/berth-test-build-cli-cfg-');
  t.after(() => rmSync(cfg, { recursive: true, force: true }));
  writeFileSync(path.join(cfg, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from('user:s3cret').toString('base64') } } }));
  await buildOk(d, ['-q', '-t', 'cli-reg:1', ctx], { env: { DOCKER_CONFIG: cfg } });
  assert.equal(await runIn(d, 'cli-reg:1', ['cat', '/marker']), 'built-on-private\n');
  await assertNoMounts(d);
});
