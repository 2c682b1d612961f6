import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const env = { SECRET_FROM_ENV: 'env-secret' };
  const up = await c.compose(['up', '-d'], env);
  assert.equal(up.code, 0, up.stderr);
  const r = await c.compose(['exec', '-T', 'app', 'cat', '/run/secrets/token']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 's3cr3t-value\n');
  const w = await c.compose(['exec', '-T', 'app', 'sh', '-c', 'echo x > /run/secrets/token']);
  assert.notEqual(w.code, 0, 'the secret is read-only');
  const e = await c.compose(['exec', '-T', 'app', 'cat', '/run/secrets/env_token'], env);
  assert.equal(e.stdout, 'env-secret');
  const conf = await c.compose(['exec', '-T', 'app', 'sh', '-c', 'cat /etc/app.conf; stat -c %a /etc/app.conf'], env);
  assert.equal(conf.stdout, 'setting=on444\n');
};
