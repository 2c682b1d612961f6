import assert from 'node:assert/strict';
import { fetchText } from '../../../helpers/net-check.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  const lines = up.stderr.split('\n');
  const at = (l: string) => lines.indexOf(l);
  // backend starts first, is waited on until healthy, then web starts.
  assert.ok(at(` Container ${c.project}-backend-1  Started`) >= 0, up.stderr);
  assert.ok(at(` Container ${c.project}-backend-1  Healthy`) > at(` Container ${c.project}-backend-1  Started`), up.stderr);
  assert.ok(at(` Container ${c.project}-web-1  Starting`) > at(` Container ${c.project}-backend-1  Healthy`), up.stderr);
  assert.match(await fetchText('127.0.0.1', c.port), /from-backend/);
  const dep = (await c.containers()).find((x) => x.Names[0] === `/${c.project}-web-1`);
  assert.equal(dep?.Labels['com.docker.compose.depends_on'], 'backend:service_healthy:false');
  // --wait: every container running, and healthy where it has a healthcheck.
  const wait = await c.compose(['up', '-d', '--wait', '--wait-timeout', '60']);
  assert.equal(wait.code, 0, wait.stderr);
  assert.match(wait.stderr, new RegExp(` Container ${c.project}-backend-1  Healthy\n`));
  assert.match(wait.stderr, new RegExp(` Container ${c.project}-web-1  Healthy\n`));
};
