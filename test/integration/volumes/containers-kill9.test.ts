/**
 * A kill -9 of the daemon while a container appends to a file in a volume:
 * the container outlives the daemon, every line it wrote before the kill is
 * on disk, and the restarted daemon takes it up again as a user of its
 * volume (removal refused while it lives; unmounted when it stops).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { pollUntil, watchEvents } from '../../helpers/wait.ts';
import { assertNoMountsLeft } from './containers-helpers.ts';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

test('kill -9 of the daemon while a container appends to a file in a volume: every line written before the kill is there', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', 'appender', '-v', 'logs:/v', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i >> /v/log; usleep 2000; done']);
  assert.equal(run.code, 0, run.stderr);
  const file = `${d.dataRoot}/volumes/logs/_data/log`;
  await pollUntil(() => { try { return lines(file).length; } catch { return 0; } }, (n) => n >= 50);

  await d.stop(true);
  const atKill = lines(file);
  await d.restart();
  const after = lines(file);
  assert.deepEqual(after.slice(0, atKill.length), atKill, 'every line written before the kill is kept');
  assert.ok(after.length >= atKill.length);

  // Taken up again: still running, still a user of its volume.
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Running}}', 'appender'])).stdout.trim(), 'true');
  const inUse = await docker(d, ['volume', 'rm', 'logs']);
  assert.match(inUse.stderr, /volume is in use/);
  const events = await watchEvents(d.socket, { type: ['volume'] });
  t.after(() => events.close());
  assert.equal((await docker(d, ['stop', '-t', '0', 'appender'])).code, 0);
  await events.next((e) => e.Action === 'unmount' && e.Actor.ID === 'logs');
  const final = lines(file);
  assert.deepEqual(final, final.map((_, i) => String(i + 1)), 'the lines are whole and in order, none lost');
  await docker(d, ['rm', 'appender']);
  assert.equal((await docker(d, ['volume', 'rm', 'logs'])).code, 0);
  await assertNoMountsLeft(d);
});
