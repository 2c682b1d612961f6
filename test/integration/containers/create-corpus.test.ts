/**
 * The create/update corpus of issue 9 (test/fixtures/create-corpus.json,
 * made by `node scripts/create-corpus.mjs record` against the reference
 * dockerd 20.10): every body gets dockerd's status and words from berthd,
 * but for the few differences listed below with their reasons, and the
 * store stays readable by the real docker CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon, requireRoot, docker, ROOT, type Daemon } from '../../helpers/daemon.ts';

interface Case {
  name: string;
  route: 'create' | 'update';
  query: string;
  body?: unknown;
  dockerd: { status: number; message: string };
}

const CORPUS = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/create-corpus.json'), 'utf8')) as Case[];

const NO_DRIVER = 'Berth has only the json-file, local and none log drivers: it names the missing driver before any of its options';
/** Cases where Berth answers otherwise, by name, and why. */
const KNOWN: Record<string, string> = {
  'HostConfig.LogConfig={"Type":"syslog","Config":{"syslog-address":"bogus://x"}}': NO_DRIVER,
  'HostConfig.LogConfig={"Type":"journald"}': NO_DRIVER,
  'HostConfig.LogConfig={"Type":"gelf"}': NO_DRIVER,
  'HostConfig.LogConfig={"Type":"fluentd","Config":{"fluentd-address":"bogus:::"}}': NO_DRIVER,
  'HostConfig.LogConfig={"Type":"awslogs"}': NO_DRIVER,
  'HostConfig.LogConfig={"Type":"splunk"}': NO_DRIVER,
  'HostConfig.Mounts=[{"Type":"bind","Source":"/nonexistent-src","Target":"/x","BindOptions":{"CreateMountpoint":true}}]':
    'CreateMountpoint is API 1.42 (Berth speaks 1.43): 20.10 does not know the field and refuses the missing source',
  'Image=""': 'dockerd 20.10 creates a container without an image (its start then fails); Berth needs one',
  [`WorkingDir=${JSON.stringify('/' + 'a'.repeat(300))}`]:
    'dockerd makes the working directory at create (500 naming its overlay2 path, "file name too long"); Berth makes it at start',
};

const BASE = { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } };

async function answer(d: Daemon, c: Case): Promise<{ status: number; message: string }> {
  let id: string | undefined;
  let r;
  if (c.route === 'create') {
    r = await d.api('POST', `/containers/create${c.query}`, 'body' in c ? c.body : undefined);
    if (r.status === 201) id = r.body.Id;
  } else {
    id = (await d.api('POST', '/containers/create', BASE)).body.Id as string;
    r = await d.api('POST', `/containers/${id}/update`, c.body);
  }
  if (id) assert.equal((await d.api('DELETE', `/containers/${id}?force=1`)).status, 204, c.name);
  const message = r.status >= 300 ? String(r.body?.message ?? r.text).trim().replace(/\b[0-9a-f]{64}\b/g, '<id>') : '';
  return { status: r.status, message };
}

test('each body of the create/update corpus gets dockerd 20.10\'s status and words', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await d.api('POST', '/containers/create?name=corpus-donor', BASE)).status, 201);
  const differ: string[] = [];
  for (const c of CORPUS) {
    const got = await answer(d, c);
    const same = got.status === c.dockerd.status && got.message === c.dockerd.message;
    if (c.name in KNOWN) assert.ok(!same, `${c.name} is listed as a known difference but now matches dockerd: drop it from KNOWN`);
    else if (!same) differ.push(`${c.name}\n  dockerd ${c.dockerd.status} ${c.dockerd.message}\n  berth   ${got.status} ${got.message}`);
  }
  assert.deepEqual(differ, []);
  // Nothing stored breaks the real docker CLI.
  const ps = await docker(d, ['ps', '-a', '--no-trunc', '-q']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.deepEqual(ps.stdout.trim().split('\n').length, 1, 'only the donor is left');
  const inspect = await docker(d, ['inspect', 'corpus-donor']);
  assert.equal(inspect.code, 0, inspect.stderr);
});

test('what dockerd takes at create and judges at start: an unknown IPC mode fails the start, an unknown PID mode is a private one', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ipc = await d.api('POST', '/containers/create', { ...BASE, HostConfig: { NetworkMode: 'none', IpcMode: 'bogus' } });
  assert.equal(ipc.status, 201, ipc.text);
  const start = await d.api('POST', `/containers/${ipc.body.Id}/start`);
  assert.deepEqual([start.status, start.body?.message], [500, 'Invalid IPC mode: bogus']);
  const state = (await d.api('GET', `/containers/${ipc.body.Id}/json`)).body.State;
  assert.deepEqual([state.Status, state.ExitCode, state.Error], ['created', 128, 'Invalid IPC mode: bogus']);
  const pid = await d.api('POST', '/containers/create', { ...BASE, HostConfig: { NetworkMode: 'none', PidMode: 'bogus' } });
  assert.equal(pid.status, 201, pid.text);
  assert.equal((await d.api('POST', `/containers/${pid.body.Id}/start`)).status, 204);
  const ps = await docker(d, ['ps', '-a']);
  assert.equal(ps.code, 0, ps.stderr);
});
