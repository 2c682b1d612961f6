/**
 * A stored record can never break listing (issue 9, item 1): records
 * holding values the docker CLI cannot decode, written into a stopped
 * daemon's data root by hand (as an older berthd could have), are repaired
 * at start (src/engine/recovery.ts, step 2), each removal logged; then
 * `docker ps -a`, `docker inspect` and `docker rm` of each exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

type Json = Record<string, any>;

/** Each edit of a real record, and the field its repair names in the log. */
const EDITS: Array<[string, (r: Json) => void, string]> = [
  ['labels', (r) => (r.config.Labels = { a: 5 }), 'Config.Labels.a'],
  ['stoptimeout', (r) => (r.config.StopTimeout = 1e300), 'Config.StopTimeout'],
  ['healthcheck', (r) => (r.config.Healthcheck = { Test: 5 }), 'Config.Healthcheck.Test'],
  ['memory', (r) => (r.hostConfig.Memory = 1e308), 'HostConfig.Memory'],
  ['shmsize', (r) => (r.hostConfig.ShmSize = 1e20), 'HostConfig.ShmSize'],
  ['tmpfs', (r) => (r.hostConfig.Tmpfs = { '/x': 5 }), 'HostConfig.Tmpfs./x'],
  ['devices', (r) => (r.hostConfig.Devices = [5]), 'HostConfig.Devices[0]'],
  ['ulimits', (r) => (r.hostConfig.Ulimits = [{ Name: 'nofile', Soft: 'x', Hard: 5 }]), 'HostConfig.Ulimits[0].Soft'],
  ['consolesize', (r) => (r.hostConfig.ConsoleSize = [-1, -1]), 'HostConfig.ConsoleSize'],
  ['consolestr', (r) => (r.hostConfig.ConsoleSize = 'x'), 'HostConfig.ConsoleSize'],
  ['hostconfig', (r) => (r.hostConfig = 'x'), 'HostConfig'],
  ['state', (r) => (r.state.exitCode = 'x'), 'State.exitCode'],
  ['name', (r) => (r.name = 7), 'Name'],
];

test('records the docker CLI cannot decode are repaired at start: ps -a, inspect and rm of each exit 0', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: true });
  const ids = new Map<string, string>();
  for (const [name] of EDITS) {
    const created = await docker(d, ['create', '--name', `rec-${name}`, 'busybox', 'true']);
    assert.equal(created.code, 0, created.stderr);
    ids.set(name, created.stdout.trim());
  }
  await d.stop();
  for (const [name, edit] of EDITS) {
    const file = `${d.dataRoot}/containers/${ids.get(name)}/config.v2.json`;
    const record = JSON.parse(await fs.readFile(file, 'utf8')) as Json;
    edit(record);
    await fs.writeFile(file, JSON.stringify(record));
  }
  await d.restart();

  const ps = await docker(d, ['ps', '-a', '-q', '--no-trunc']);
  assert.equal(ps.code, 0, `docker ps -a: ${ps.stderr}`);
  assert.deepEqual(ps.stdout.split('\n').filter(Boolean).sort(), [...ids.values()].sort(), 'every container is listed');
  const daemonLog = await fs.readFile(d.logFile, 'utf8');
  for (const [name, , field] of EDITS) {
    const id = ids.get(name)!;
    const inspect = await docker(d, ['inspect', id]);
    assert.equal(inspect.code, 0, `docker inspect ${name}: ${inspect.stderr}`);
    assert.ok(daemonLog.split('\n').some((l) => l.includes('repaired a container record') && l.includes(id) && `${l} `.includes(`field=${field} `)), `the log names ${name}'s ${field}`);
  }
  // Repaired records were saved: a second start repairs nothing.
  await d.stop();
  await d.restart();
  const again = (await fs.readFile(d.logFile, 'utf8')).split('\n').filter((l) => l.includes('repaired a container record'));
  assert.equal(again.length, daemonLog.split('\n').filter((l) => l.includes('repaired a container record')).length, 'nothing repaired twice');
  for (const id of ids.values()) {
    const rm = await docker(d, ['rm', id]);
    assert.equal(rm.code, 0, `docker rm ${id}: ${rm.stderr}`);
  }
  const after = await docker(d, ['ps', '-a', '-q']);
  assert.equal(after.stdout.trim(), '');
});
