import assert from 'node:assert/strict';
import { pollUntil } from '../../../helpers/wait.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, new RegExp(` Volume "${c.project}_data"  Created\n`));
  const vol = (await c.volumes()).find((v) => v.Name === `${c.project}_data`) as { Labels?: Record<string, string> } | undefined;
  assert.equal(vol?.Labels?.['com.docker.compose.volume'], 'data');
  const read = await pollUntil(() => c.compose(['exec', '-T', 'reader', 'cat', '/data/f']), (r) => r.code === 0 && r.stdout === 'shared-data\n');
  assert.equal(read.stdout, 'shared-data\n');
  // read-only in the reader
  const w = await c.compose(['exec', '-T', 'reader', 'touch', '/data/x']);
  assert.notEqual(w.code, 0);
};
