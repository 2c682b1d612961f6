import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const run = await c.compose(['run', '--rm', '-T', '-e', 'EXTRA=1', 'app', 'sh', '-c', 'echo $FROM_FILE $EXTRA $(pwd); exit 4']);
  assert.equal(run.code, 4, run.stderr);
  assert.equal(run.stdout, 'yes 1 /tmp\n');
  assert.deepEqual(await c.containers(), [], 'run --rm leaves no container');
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  const ex = await c.compose(['exec', '-T', '-e', 'X=2', '-u', 'nobody', '-w', '/', 'app', 'sh', '-c', 'echo $X $FROM_FILE $(id -un) $(pwd)']);
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(ex.stdout, '2 yes nobody /\n');
  const code = await c.compose(['exec', '-T', 'app', 'sh', '-c', 'exit 7']);
  assert.equal(code.code, 7);
  const stop = await c.compose(['stop']);
  assert.equal(stop.stderr, ` Container ${c.project}-app-1  Stopping\n Container ${c.project}-app-1  Stopped\n`);
  const start = await c.compose(['start']);
  assert.equal(start.stderr, ` Container ${c.project}-app-1  Starting\n Container ${c.project}-app-1  Started\n`);
  const kill = await c.compose(['kill']);
  assert.equal(kill.code, 0, kill.stderr);
  const rm = await c.compose(['rm', '-f']);
  assert.equal(rm.stderr, ` Container ${c.project}-app-1  Removing\n Container ${c.project}-app-1  Removed\n`);
};
