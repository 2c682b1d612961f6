import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const p = c.project;
  const dry = await c.compose(['--dry-run', 'up', '-d']);
  assert.equal(dry.code, 0, dry.stderr);
  const lines = dry.stderr.trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^ DRY-RUN MODE - {2}\S/, dry.stderr);
  for (const want of [`Network ${p}_default  Created`, `Volume "${p}_data"  Created`, `Container ${p}-db-1  Healthy`, `Container ${p}-web-1  Started`]) {
    assert.ok(lines.includes(` DRY-RUN MODE -  ${want}`), `${want}: ${dry.stderr}`);
  }
  assert.deepEqual(await c.containers(), []);
  assert.deepEqual(await c.networks(), []);
  assert.deepEqual(await c.volumes(), []);
  // Attached: created only, and Compose's closing line.
  const attached = await c.compose(['--dry-run', 'up']);
  assert.equal(attached.code, 0, attached.stderr);
  assert.equal(attached.stdout, "end of 'compose up' output, interactive run is not supported in dry-run mode\n");
  assert.doesNotMatch(attached.stderr, /Started/);
  // down --dry-run leaves what a real up made.
  assert.equal((await c.compose(['up', '-d'])).code, 0);
  const down = await c.compose(['--dry-run', 'down', '-v']);
  assert.equal(down.code, 0, down.stderr);
  assert.ok(down.stderr.includes(` DRY-RUN MODE -  Container ${p}-web-1  Removed\n`), down.stderr);
  assert.equal((await c.containers()).filter((x) => x.State === 'running').length, 2);
  assert.equal((await c.volumes()).length, 1);
};
