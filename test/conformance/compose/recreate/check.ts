import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  const before = new Map((await c.containers()).map((x) => [x.Names[0], x.Id]));
  const again = await c.compose(['up', '-d'], { GREETING: 'bonjour' });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(` Container ${c.project}-a-1  Recreate\n`));
  assert.match(again.stderr, new RegExp(` Container ${c.project}-a-1  Recreated\n`));
  assert.match(again.stderr, new RegExp(` Container ${c.project}-b-1  Running\n`));
  const after = new Map((await c.containers()).map((x) => [x.Names[0], x.Id]));
  assert.equal(after.size, 2);
  assert.notEqual(after.get(`/${c.project}-a-1`), before.get(`/${c.project}-a-1`));
  assert.equal(after.get(`/${c.project}-b-1`), before.get(`/${c.project}-b-1`));
  const env = await c.compose(['exec', '-T', 'a', 'sh', '-c', 'echo $GREETING'], { GREETING: 'bonjour' });
  assert.equal(env.stdout, 'bonjour\n');
  // b is no longer in the project: warned about, then removed with --remove-orphans.
  const warned = await c.composeFile('only-a.yaml', ['up', '-d'], { GREETING: 'bonjour' });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, new RegExp(`Found orphan containers \\(\\[${c.project}-b-1\\]\\) for this project`));
  const removed = await c.composeFile('only-a.yaml', ['up', '-d', '--remove-orphans'], { GREETING: 'bonjour' });
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, new RegExp(` Container ${c.project}-b-1  Removed\n`));
  assert.deepEqual((await c.containers()).map((x) => x.Names[0]), [`/${c.project}-a-1`]);
};
