import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal } from './journal.ts';

test('an operation noted and not ended is pending at the next start, with what it noted; an ended one is gone', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const journal = new Journal(path.join(dir, 'intents'));
  const cut = await journal.begin({ kind: 'image', refs: ['a'] });
  await cut.note({ imageId: 'sha256:x' } as never);
  const done = await journal.begin({ kind: 'rmi' });
  await done.end();
  // Leftovers of an interrupted write and a file that is not a record are dropped.
  await writeFile(path.join(dir, 'intents', '.x.json.tmp-1234'), '{');
  await writeFile(path.join(dir, 'intents', 'torn.json'), '{"kin');
  const pending = await new Journal(path.join(dir, 'intents')).pending();
  assert.deepEqual(pending.map((i) => i.body), [{ kind: 'image', refs: ['a'], imageId: 'sha256:x' }]);
  await pending[0]!.end();
  assert.deepEqual(await readdir(path.join(dir, 'intents')), []);
});
