/**
 * `berth builder prune` and the build cache in `berth system df`: what the
 * daemon reports, printed as the docker CLI prints it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { assertNoMounts, berth, buildOk, dockerCli, makeDir } from './cli-helpers.ts';

/** A table with its "… ago" times (which may tick between two commands) and column padding evened out. */
const untimed = (text: string) => text.replace(/(Less than a second|About a minute|\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?)) ago/g, 'T ago').replace(/ +/g, ' ');

interface CacheRecord {
  ID: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
}

test('berth builder prune removes the build cache and system df shows it, as the docker CLI prints them', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = makeDir(t, { Dockerfile: 'FROM busybox\nRUN echo one > /one\nRUN echo two > /two\nCOPY a /a\n', a: 'a\n' });
  await buildOk(d, ['-q', '-t', 'cli-prune:1', ctx]);

  const records = (await d.api('GET', '/system/df')).body.BuildCache as CacheRecord[];
  assert.ok(records.length >= 3, JSON.stringify(records));
  const df = await berth(d, ['system', 'df']);
  assert.equal(df.code, 0, df.stderr);
  assert.equal(df.stdout, (await dockerCli(d, ['system', 'df'])).stdout);
  assert.match(df.stdout, new RegExp(`\\nBuild Cache +${records.length} +${records.filter((r) => r.InUse).length} +`));
  const verbose = await berth(d, ['system', 'df', '-v']);
  assert.equal(untimed(verbose.stdout), untimed((await dockerCli(d, ['system', 'df', '-v'])).stdout));
  const section = verbose.stdout.slice(verbose.stdout.indexOf('\nBuild cache usage: '));
  assert.match(section, /^\nBuild cache usage: \S+\n\nCACHE ID +CACHE TYPE +SIZE +CREATED +LAST USED +USAGE +SHARED\n/);
  for (const r of records) assert.match(section, new RegExp(`\\n${r.ID.slice(0, 12)}${r.InUse ? '\\*' : ''} +`));

  // Without -f, a "no" at the prompt prunes nothing.
  const declined = await berth(d, ['builder', 'prune'], { input: 'n\n' });
  assert.deepEqual([declined.code, declined.stdout], [0, 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ']);

  const pruned = await berth(d, ['builder', 'prune', '-a', '-f']);
  assert.equal(pruned.code, 0, pruned.stderr);
  const m = /^Deleted build cache objects:\n((?:[0-9a-z]+\n)+)\nTotal reclaimed space: \S+\n$/.exec(pruned.stdout);
  assert.ok(m, pruned.stdout);
  assert.deepEqual(m[1]!.trim().split('\n').sort(), records.map((r) => r.ID).sort());
  assert.deepEqual((await d.api('GET', '/system/df')).body.BuildCache, []);
  const again = await berth(d, ['builder', 'prune', '-f']);
  assert.deepEqual([again.code, again.stdout], [0, 'Total reclaimed space: 0B\n']);

  // Pruned: the next build runs its steps again.
  const rebuilt = await buildOk(d, ['--progress=plain', '-t', 'cli-prune:1', ctx]);
  assert.doesNotMatch(rebuilt.stdout, /Using cache/);

  // system prune -a takes the build cache too, its block after the images'.
  const system = await berth(d, ['system', 'prune', '-a', '-f']);
  assert.equal(system.code, 0, system.stderr);
  assert.match(system.stdout, /\nDeleted build cache objects:\n(?:[0-9a-z]+\n)+\nTotal reclaimed space: \S+\n$/);
  assert.deepEqual((await d.api('GET', '/system/df')).body.BuildCache, []);
  await assertNoMounts(d);
});
