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

test('history: CreatedAt is RFC 3339; without --human the table shows it under CREATED AT', (t) => {
  if (!requireHost(t)) return;
  const at = cli(['history', '--format', '{{.CreatedAt}}', IMAGE]);
  assert.equal(at.code, 0);
  for (const line of at.stdout.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  const table = cli(['history', '--human=false', IMAGE]);
  assert.match(table.stdout.split('\n')[0] ?? '', /^IMAGE +CREATED AT +CREATED BY +SIZE +COMMENT$/);
});

test('load and import of what is not a tar, and bad changes, are refused in dockerd\'s words', (t) => {
  if (!requireHost(t)) return;
  const junk = `${os.tmpdir()}/conf-junk-${process.pid}`;
  fs.writeFileSync(junk, 'hello\n');
  t.after(() => fs.rmSync(junk, { force: true }));
  assert.deepEqual(cli(['load', '-i', junk]), { stdout: '', stderr: 'Error processing tar file(exit status 1): unexpected EOF\n', code: 1 });
  assert.deepEqual(cli(['import', junk, 'conf-junk:1']), { stdout: '', stderr: 'Error response from daemon: Error processing tar file(exit status 1): unexpected EOF\n', code: 1 });
  assert.deepEqual(cli(['import', '-c', 'RUN true', junk, 'conf-junk:1']), { stdout: '', stderr: 'Error response from daemon: run is not a valid change command\n', code: 1 });
  assert.equal(cli(['image', 'inspect', 'conf-junk:1']).code, 1, 'nothing was created');
});

test('system prune goes through every kind (containers, networks, images, build cache, volumes)', (t) => {
  if (!requireHost(t)) return;
  const name = `conf-prune-${process.pid}`;
  assert.equal(cli(['create', '--name', name, IMAGE, 'true']).code, 0);
  const r = cli(['system', 'prune', '-f', '--volumes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Deleted Containers:\n[0-9a-f]{64}\n/);
  assert.match(r.stdout, /Total reclaimed space: /);
  assert.equal(cli(['inspect', name]).code, 1, 'the stopped container is gone');
  assert.equal(cli(['image', 'inspect', IMAGE]).code, 0, 'a tagged image stays');
});
