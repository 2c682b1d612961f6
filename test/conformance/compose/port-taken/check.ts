import assert from 'node:assert/strict';
import net from 'node:net';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(c.port, '127.0.0.1', r));
  try {
    const up = await c.compose(['up', '-d']);
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, new RegExp(` Container ${c.project}-a-1  Started\n`));
    assert.match(up.stderr, new RegExp(` Container ${c.project}-b-1  Error\n`));
    assert.match(up.stderr, /address already in use|port is already allocated/);
    const states = new Map((await c.containers()).map((x) => [x.Names[0], x.State]));
    assert.equal(states.get(`/${c.project}-a-1`), 'running');
    assert.equal(states.get(`/${c.project}-b-1`), 'created');
  } finally {
    await new Promise((r) => holder.close(r));
  }
};
