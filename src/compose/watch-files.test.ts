import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mock, test } from 'node:test';
import { Batcher, QUIET_PERIOD_MS, watchPath } from './watch-files.ts';

test('a batch is handed over once no change came for the quiet period, each path once', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const batches: string[][] = [];
    const b = new Batcher((paths) => batches.push(paths));
    b.add('/a');
    mock.timers.tick(QUIET_PERIOD_MS - 1);
    b.add('/b');
    b.add('/a');
    mock.timers.tick(QUIET_PERIOD_MS - 1);
    assert.deepEqual(batches, [], 'every change restarts the quiet period');
    mock.timers.tick(1);
    assert.deepEqual(batches, [['/a', '/b']]);
    b.add('/c');
    b.close();
    mock.timers.tick(QUIET_PERIOD_MS);
    assert.deepEqual(batches, [['/a', '/b']], 'nothing after close');
  } finally {
    mock.timers.reset();
  }
});

/** Collect what watchPath reports until `want` is among it (or fail after a few seconds). */
function collector(target: string) {
  const seen = new Set<string>();
  let waiter: (() => void) | undefined;
  const w = watchPath(
    target,
    (p) => {
      seen.add(p);
      waiter?.();
    },
    (err) => assert.fail(err),
  );
  const until = async (want: string) => {
    const deadline = Date.now() + 5000;
    while (!seen.has(want)) {
      if (Date.now() > deadline) assert.fail(`${want} not reported; saw ${[...seen].join(', ')}`);
      await new Promise<void>((r) => {
        waiter = r;
        setTimeout(r, 50);
      });
    }
  };
  return { seen, until, close: () => w.close() };
}

test('a directory is watched recursively, new subdirectories included, and again after it is removed and made anew', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'watch-files-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const src = path.join(root, 'src');
  mkdirSync(src);
  const c = collector(src);
  t.after(() => c.close());
  mkdirSync(path.join(src, 'a/b'), { recursive: true });
  writeFileSync(path.join(src, 'a/b/f.txt'), 'x');
  await c.until(path.join(src, 'a/b/f.txt'));
  rmSync(src, { recursive: true });
  await c.until(src);
  mkdirSync(src);
  writeFileSync(path.join(src, 'again.txt'), 'y');
  await c.until(path.join(src, 'again.txt'));
  writeFileSync(path.join(root, 'outside.txt'), 'z');
  writeFileSync(path.join(src, 'last.txt'), 'z');
  await c.until(path.join(src, 'last.txt'));
  assert.equal(c.seen.has(path.join(root, 'outside.txt')), false);
});

test('a path not there yet is watched from its parent until it appears; a file is watched alone', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'watch-files-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const later = collector(path.join(root, 'later/deep'));
  t.after(() => later.close());
  mkdirSync(path.join(root, 'later'));
  mkdirSync(path.join(root, 'later/deep'));
  writeFileSync(path.join(root, 'later/deep/f.txt'), 'x');
  await later.until(path.join(root, 'later/deep/f.txt'));

  writeFileSync(path.join(root, 'version'), '1');
  const file = collector(path.join(root, 'version'));
  t.after(() => file.close());
  writeFileSync(path.join(root, 'other'), '1');
  writeFileSync(path.join(root, 'version'), '2');
  await file.until(path.join(root, 'version'));
  assert.deepEqual([...file.seen], [path.join(root, 'version')]);
});
