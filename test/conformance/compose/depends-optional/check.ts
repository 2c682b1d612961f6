import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const p = c.project;
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  // Skipped events on the dependency's containers, and logrus warnings (not a terminal: key=value).
  assert.match(up.stderr, new RegExp(`\\n Container ${p}-sick-1  Skipped: optional dependency "sick" failed to start\\n`));
  assert.match(up.stderr, new RegExp(`level=warning msg="optional dependency \\\\"sick\\\\" failed to start: container ${p}-sick-1 is unhealthy"\\n`));
  assert.match(up.stderr, new RegExp(`\\n Container ${p}-job-1  Skipped: optional dependency "job" didn't complete successfully: exit 3\\n`));
  assert.match(up.stderr, /level=warning msg="optional dependency \\"job\\" didn't complete successfully: exit 3"\n/);
  assert.match(up.stderr, new RegExp(`\\n Container ${p}-app-1  Started\\n`));
  // --progress json: events and warnings as JSON lines (logrus's JSONFormatter).
  const json = await c.compose(['--progress', 'json', 'up', '-d']);
  assert.equal(json.code, 0, json.stderr);
  const records = json.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  assert.ok(records.some((r) => r['id'] === `Container ${p}-sick-1` && r['status'] === 'Skipped: optional dependency "sick" failed to start'), json.stderr);
  const warning = records.find((r) => r['level'] === 'warning' && r['msg'] === `optional dependency "sick" failed to start: container ${p}-sick-1 is unhealthy`);
  assert.deepEqual(Object.keys(warning ?? {}), ['level', 'msg', 'time'], json.stderr);
  const state = async (svc: string) => (await c.containers()).find((x) => x.Names[0] === `/${p}-${svc}-1`)?.State;
  assert.equal(await state('app'), 'running');
  assert.equal(await state('extra'), undefined, 'a service of a disabled profile is not created');
  // restart db: app (restart: true on db) and web (restart: true on app) follow, in dependency order; other does not.
  const r = await c.compose(['restart', 'db']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  const at = (svc: string, word: string) => lines.indexOf(` Container ${p}-${svc}-1  ${word}`);
  for (const svc of ['db', 'app', 'web']) assert.ok(at(svc, 'Started') > at(svc, 'Restarting') && at(svc, 'Restarting') >= 0, r.stderr);
  assert.ok(at('app', 'Restarting') > at('db', 'Started'), r.stderr);
  assert.ok(at('web', 'Restarting') > at('app', 'Started'), r.stderr);
  assert.equal(at('other', 'Restarting'), -1, r.stderr);
  const starts = async (svc: string) => (await c.compose(['exec', '-T', svc, 'cat', '/tmp/starts'])).stdout;
  assert.equal(await starts('app'), 'started\nstarted\n');
  assert.equal(await starts('web'), 'started\nstarted\n');
  // --no-deps: db alone.
  const alone = await c.compose(['restart', '--no-deps', 'db']);
  assert.equal(alone.stderr, ` Container ${p}-db-1  Restarting\n Container ${p}-db-1  Started\n`);
  assert.equal(await starts('app'), 'started\nstarted\n');
};
