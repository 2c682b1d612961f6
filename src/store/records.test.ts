import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJsonAtomic } from './records.ts';

test('a record is readable by its owner alone, durable or not, whatever the umask', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'records-'));
  const before = process.umask(0);
  t.after(() => {
    process.umask(before);
    rmSync(dir, { recursive: true, force: true });
  });
  for (const durable of [true, false]) {
    const file = path.join(dir, `r-${durable}.json`);
    await writeJsonAtomic(file, { Env: ['SECRET=x'] }, { durable });
    assert.equal(statSync(file).mode & 0o777, 0o600, `durable: ${durable}`);
  }
});
