import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '--abort-on-container-exit', '--exit-code-from', 'job']);
  assert.equal(up.code, 3, up.stderr);
  const out = up.stdout.split('\n');
  assert.equal(out[0], 'Attaching to db-1, job-1');
  assert.ok(out.includes('job-1  | job running'), up.stdout);
  assert.ok(out.includes('db-1   | db ready'), up.stdout);
  assert.ok(out.includes('job-1 exited with code 3'), up.stdout);
  assert.match(up.stderr, /Aborting on container exit...\n/);
  assert.match(up.stderr, new RegExp(` Container ${c.project}-db-1  Stopped\n`));
  assert.deepEqual((await c.containers()).map((x) => x.State), ['exited', 'exited']);
};
