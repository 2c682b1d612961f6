import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await c.compose(args, env);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await ok(['up', '-d']);
  assert.equal((await ok(['port', 'app', '80'])).stdout, `127.0.0.1:${c.port}\n`);
  assert.match((await ok(['top', 'app'])).stdout, new RegExp(`^${c.project}-app-1\\n.*PID.*\\n(.|\\n)*sleep 3600`));
  assert.match((await ok(['images'])).stdout, /^CONTAINER +REPOSITORY +TAG +IMAGE ID +SIZE\n/);
  assert.match((await ok(['ls'])).stdout, new RegExp(`\\n${c.project} +running\\(2\\) +${c.dir}/compose.yaml\\n`));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cup-cp-'));
  try {
    writeFileSync(path.join(tmp, 'in.txt'), 'copied\n');
    await ok(['cp', path.join(tmp, 'in.txt'), 'app:/tmp/in.txt']);
    await ok(['cp', 'app:/tmp/in.txt', path.join(tmp, 'out.txt')]);
    assert.equal(readFileSync(path.join(tmp, 'out.txt'), 'utf8'), 'copied\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  assert.equal((await ok(['pause', 'app'])).stderr, ` Container ${c.project}-app-1  Pausing\n Container ${c.project}-app-1  Paused\n`);
  assert.equal((await c.containers()).find((x) => x.Names[0] === `/${c.project}-app-1`)?.State, 'paused');
  await ok(['unpause', 'app']);
  assert.equal((await ok(['restart', 'app'])).stderr, ` Container ${c.project}-app-1  Restarting\n Container ${c.project}-app-1  Started\n`);
  assert.equal((await ok(['exec', '-T', 'app', 'cat', '/tmp/starts'])).stdout, 'started\nstarted\n');
  // db changes: recreated, and app (restart: true) restarted.
  const again = await ok(['up', '-d'], { V: '2' });
  assert.match(again.stderr, new RegExp(` Container ${c.project}-db-1  Recreated\n`));
  assert.match(again.stderr, new RegExp(` Container ${c.project}-app-1  Restarted\n`));
  assert.equal((await ok(['exec', '-T', 'app', 'cat', '/tmp/starts'])).stdout, 'started\nstarted\nstarted\n');
  // wait: the exit code of a service's container.
  const job = await c.compose(['--profile', 'jobs', 'up', '-d', 'once']);
  assert.equal(job.code, 0, job.stderr);
  const w = await c.compose(['--profile', 'jobs', 'wait', 'once']);
  assert.equal(w.stdout, '5\n');
  assert.equal(w.code, 5);
  await ok(['--profile', 'jobs', 'down', '-t', '1']);
};
