import fs from 'node:fs';
import os from 'node:os';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE, cli, requireHost } from './harness.ts';

test('images prints docker\'s table', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['images', IMAGE]);
  assert.equal(r.code, 0);
  const [head, row] = r.stdout.split('\n');
  assert.match(head ?? '', /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/);
  assert.match(row ?? '', new RegExp(`^${IMAGE} +latest +[0-9a-f]{12} +.+ ago +[0-9.]+[kMG]?B$`));
});

test('tag, images --format and rmi', (t) => {
  if (!requireHost(t)) return;
  const tag = `conf-tag-${process.pid}:v1`;
  t.after(() => cli(['rmi', tag]));
  assert.deepEqual(cli(['tag', IMAGE, tag]), { stdout: '', stderr: '', code: 0 });
  const f = cli(['images', '--format', '{{.Repository}}:{{.Tag}}', tag.split(':')[0] ?? '']);
  assert.equal(f.stdout, `${tag}\n`);
  assert.deepEqual(cli(['rmi', tag]), { stdout: `Untagged: ${tag}\n`, stderr: '', code: 0 });
});

test('save of a missing image words it as dockerd does', (t) => {
  if (!requireHost(t)) return;
  const out = `${os.tmpdir()}/conf-save-${process.pid}.tar`;
  t.after(() => fs.rmSync(out, { force: true }));
  assert.deepEqual(cli(['save', '-o', out, 'conf-nosuch-img']), { stdout: '', stderr: 'Error response from daemon: No such image: conf-nosuch-img\n', code: 1 });
  assert.deepEqual(cli(['save', '-o', out, 'conf-nosuch-img:v1']), { stdout: '', stderr: 'Error response from daemon: reference does not exist\n', code: 1 });
});
