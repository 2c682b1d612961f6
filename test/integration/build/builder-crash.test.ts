/**
 * The build cache across a `kill -9` of berthd in the middle of a build:
 * the steps committed before it are cache hits after the restart, the
 * step that was running left no cache record and no layer, and the
 * builder's private files are gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCKER, docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';

test('kill -9 during a RUN: committed steps stay cached, nothing of the running one is kept', { timeout: 120_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-crash-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nRUN --mount=type=cache,target=/c echo started; sleep 60\n');
  const env = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_HOST: d.host };
  const child = spawn(DOCKER, ['build', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const closed = new Promise((r) => child.once('close', r));
  const deadline = Date.now() + 60_000;
  while (!out.includes('started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(out, /started/);
  const recordsBefore = await fs.readdir(path.join(d.dataRoot, 'builder/cache'));
  assert.equal(recordsBefore.length, 1, 'the first RUN is recorded');
  await d.stop(true);
  await closed;
  await d.restart();

  // The step container was an ordinary container (dockerd leaves it too): removed here.
  const ps = await docker(d, ['ps', '-aq']);
  for (const id of ps.stdout.split('\n').filter(Boolean)) await docker(d, ['rm', '-f', id]);
  assert.deepEqual(await fs.readdir(path.join(d.dataRoot, 'builder/tmp')), [], 'the builder\'s private files were swept');
  assert.deepEqual(await fs.readdir(path.join(d.dataRoot, 'builder/cache')), recordsBefore, 'no record for the step that was running');

  await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nRUN cat /one\n');
  const again = await docker(d, ['build', dir], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Step 2\/3 : RUN echo one > \/one\n ---> Using cache\n/);
  assert.match(again.stdout, /Step 3\/3 : RUN cat \/one\n ---> Running in [0-9a-f]{12}\none\n/);
});
