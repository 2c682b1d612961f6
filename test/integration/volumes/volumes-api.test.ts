/**
 * The /volumes API against a real berthd: JSON field by field, statuses and
 * messages as the reference dockerd answers them (asked side by side), the
 * events, `system df`, and the store after a `kill -9` at the worst
 * instants of create and remove. Volumes only: no container uses them here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { assertNoMounts, VOLUME_KEYS } from './helpers.ts';

const q = (filters: Record<string, string[]>) => encodeURIComponent(JSON.stringify(filters));

async function create(d: Daemon, body: unknown): Promise<any> {
  const r = await d.api('POST', '/volumes/create', body);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function names(d: Daemon, filters?: Record<string, string[]>): Promise<string[]> {
  const r = await d.api('GET', filters ? `/volumes?filters=${q(filters)}` : '/volumes');
  assert.equal(r.status, 200, r.text);
  return (r.body.Volumes as Array<{ Name: string }>).map((v) => v.Name).sort();
}

/** Resolves once the daemon's process has ended (it may have already). */
function exited(d: Daemon): Promise<void> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => d.child.once('exit', () => r()));
}

/** The store's directory: only volume directories, no staging or trash left. */
async function storeEntries(d: Daemon): Promise<string[]> {
  return (await fs.readdir(`${d.dataRoot}/volumes`)).sort();
}

test('create, inspect and list answer as dockerd, field by field', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const v = await create(d, { Name: 'plain' });
  assert.deepEqual(Object.keys(v), VOLUME_KEYS);
  assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual({ ...v, CreatedAt: '' }, {
    CreatedAt: '',
    Driver: 'local',
    Labels: null,
    Mountpoint: `${d.dataRoot}/volumes/plain/_data`,
    Name: 'plain',
    Options: null,
    Scope: 'local',
  });
  assert.ok(existsSync(v.Mountpoint));
  // Empty maps stay empty maps; null stays null.
  const empty = await create(d, { Name: 'empty', Labels: {}, DriverOpts: {}, Driver: 'local' });
  assert.deepEqual([empty.Labels, empty.Options], [{}, {}]);
  const labelled = await create(d, { Name: 'labelled', Labels: { a: 'b', x: '' }, DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
  assert.deepEqual(labelled.Labels, { a: 'b', x: '' });
  assert.deepEqual(labelled.Options, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
  // Idempotent: the existing volume, whatever the second request says.
  const again = await create(d, { Name: 'plain', Labels: { other: '1' }, DriverOpts: { bogus: 'x' } });
  assert.deepEqual(again, v);
  // Anonymous: 64 hex, no label from the API (only a container's anonymous volumes get one).
  const anon = await create(d, {});
  assert.match(anon.Name, /^[0-9a-f]{64}$/);
  assert.equal(anon.Labels, null);
  const nullBody = await d.api('POST', '/volumes/create', null);
  assert.equal(nullBody.status, 201, nullBody.text);
  // Go's map[string]string reads a null value as "".
  const nullLabel = await create(d, { Name: 'nullabel', Labels: { a: null } });
  assert.deepEqual(nullLabel.Labels, { a: '' });
  assert.equal((await d.api('DELETE', '/volumes/nullabel')).status, 204);

  const inspect = await d.api('GET', '/volumes/labelled');
  assert.equal(inspect.status, 200);
  assert.deepEqual(inspect.body, labelled);
  const list = await d.api('GET', '/volumes');
  assert.deepEqual(Object.keys(list.body), ['Volumes', 'Warnings']);
  assert.equal(list.body.Warnings, null);
  assert.equal(list.body.Volumes.length, 5);
  assert.deepEqual(list.body.Volumes.find((x: { Name: string }) => x.Name === 'plain'), v);
  // The old API versions answer the same.
  assert.deepEqual((await d.api('GET', '/v1.24/volumes/plain')).body, v);
  assert.deepEqual((await d.api('GET', `/volumes?filters=${q({ name: ['nomatch'] })}`)).body, { Volumes: [], Warnings: null });
  assertNoMounts(d.dataRoot);
});

test('bad requests get dockerd’s statuses and messages', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const cases: Array<[unknown, number, string]> = [
    [{ Name: 'a' }, 400, 'create a: volume name is too short, names should be at least two alphanumeric characters'],
    [{ Name: 'a/b' }, 400, 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    [{ Name: '-ab' }, 400, 'create -ab: "-ab" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    [{ Name: 'vb', Driver: 'foo' }, 404, 'create vb: error looking up volume plugin foo: plugin "foo" not found'],
    [{ Name: 'a', Driver: 'foo' }, 404, 'create a: error looking up volume plugin foo: plugin "foo" not found'],
    [{ Name: 'vb', DriverOpts: { x: '1' } }, 400, 'create vb: invalid option: "x"'],
    [{ Name: 'vb', DriverOpts: { o: 'size=1m' } }, 400, 'create vb: missing required option: "device"'],
    [{ Name: 'vb', DriverOpts: { type: 'tmpfs' } }, 400, 'create vb: missing required option: "device"'],
    [{ Name: 'vb', DriverOpts: { device: 'tmpfs' } }, 400, 'create vb: missing required option: "type"'],
    [{ Name: 'vb', DriverOpts: { size: '1x' } }, 500, "create vb: invalid size: '1x'"],
    [{ Name: 'vb', DriverOpts: { size: '10m' } }, 400, 'create vb: quota size requested but no quota support'],
    [{ Name: 1 }, 400, 'json: cannot unmarshal number into Go struct field VolumeCreateBody.Name of type string'],
    [{ Labels: { a: 1 } }, 400, 'json: cannot unmarshal number into Go struct field VolumeCreateBody.Labels of type string'],
    [{ DriverOpts: [] }, 400, 'json: cannot unmarshal array into Go struct field VolumeCreateBody.DriverOpts of type map[string]string'],
  ];
  for (const [body, status, message] of cases) {
    const r = await d.api('POST', '/volumes/create', body);
    assert.deepEqual([r.status, r.body], [status, { message }], JSON.stringify(body));
  }
  const empty = await d.api('POST', '/volumes/create');
  assert.deepEqual([empty.status, empty.body], [400, { message: 'got EOF while reading request body' }]);
  assert.deepEqual(await names(d), [], 'nothing was created');

  const missing = await d.api('GET', '/volumes/nope');
  assert.deepEqual([missing.status, missing.body], [404, { message: 'get nope: no such volume' }]);
  const rm = await d.api('DELETE', '/volumes/nope');
  assert.deepEqual([rm.status, rm.body], [404, { message: 'get nope: no such volume' }]);
  const rmForce = await d.api('DELETE', '/volumes/nope?force=1');
  assert.deepEqual([rmForce.status, rmForce.text], [204, '']);

  for (const [path, message] of [
    [`/volumes?filters=${q({ foo: ['x'] })}`, "Invalid filter 'foo'"],
    [`/volumes?filters=${q({ dangling: ['x'] })}`, "Invalid filter 'dangling=[x]'"],
  ] as const) {
    const r = await d.api('GET', path);
    assert.deepEqual([r.status, r.body], [400, { message }], path);
  }
  for (const [path, message] of [
    [`/volumes/prune?filters=${q({ foo: ['x'] })}`, "Invalid filter 'foo'"],
    [`/volumes/prune?filters=${q({ all: ['x'] })}`, "Invalid filter 'all=[x]'"],
  ] as const) {
    const r = await d.api('POST', path);
    assert.deepEqual([r.status, r.body], [400, { message }], path);
  }
  assert.deepEqual(await storeEntries(d), []);
});

test('list filters: name, driver, label, dangling', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await create(d, { Name: 'web-data', Labels: { app: 'web', tier: 'front' } });
  await create(d, { Name: 'db-data', Labels: { app: 'db' } });
  await create(d, { Name: 'scratch' });
  assert.deepEqual(await names(d, { name: ['data'] }), ['db-data', 'web-data']);
  assert.deepEqual(await names(d, { name: ['^web'] }), ['web-data']);
  assert.deepEqual(await names(d, { name: ['scratch'] }), ['scratch']);
  assert.deepEqual(await names(d, { driver: ['local'] }), ['db-data', 'scratch', 'web-data']);
  assert.deepEqual(await names(d, { driver: ['loc'] }), []);
  assert.deepEqual(await names(d, { label: ['app'] }), ['db-data', 'web-data']);
  assert.deepEqual(await names(d, { label: ['app=web'] }), ['web-data']);
  assert.deepEqual(await names(d, { label: ['app', 'tier=front'] }), ['web-data']);
  assert.deepEqual(await names(d, { dangling: ['true'] }), ['db-data', 'scratch', 'web-data']);
  assert.deepEqual(await names(d, { dangling: ['1'] }), ['db-data', 'scratch', 'web-data']);
  assert.deepEqual(await names(d, { dangling: ['false'] }), []);
});

test('prune removes only anonymous volumes unless all=true, honours label and label!, and old clients prune all', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const anon = { 'com.docker.volume.anonymous': '' };
  await create(d, { Name: 'anon1', Labels: anon });
  await create(d, { Name: 'anon2', Labels: { ...anon, keep: 'yes' } });
  await create(d, { Name: 'named1' });
  await create(d, { Name: 'named2', Labels: { team: 'a' } });
  await create(d, { Name: 'named3', Labels: { team: 'b' } });
  await fs.writeFile(`${d.dataRoot}/volumes/anon1/_data/file`, Buffer.alloc(1000));

  const r1 = await d.api('POST', `/volumes/prune?filters=${q({ 'label!': ['keep'] })}`);
  assert.deepEqual([r1.status, r1.body], [200, { VolumesDeleted: ['anon1'], SpaceReclaimed: 1000 }]);
  const r2 = await d.api('POST', '/volumes/prune');
  assert.deepEqual(r2.body, { VolumesDeleted: ['anon2'], SpaceReclaimed: 0 });
  const r3 = await d.api('POST', '/volumes/prune');
  assert.deepEqual(r3.body, { VolumesDeleted: [], SpaceReclaimed: 0 });
  const r4 = await d.api('POST', `/volumes/prune?filters=${q({ all: ['true'], label: ['team=a'] })}`);
  assert.deepEqual(r4.body, { VolumesDeleted: ['named2'], SpaceReclaimed: 0 });
  const r5 = await d.api('POST', `/v1.41/volumes/prune?filters=${q({ 'label!': ['team'] })}`);
  assert.deepEqual(r5.body, { VolumesDeleted: ['named1'], SpaceReclaimed: 0 });
  assert.deepEqual(await names(d), ['named3']);
  const r6 = await d.api('POST', '/v1.41/volumes/prune');
  assert.deepEqual(r6.body, { VolumesDeleted: ['named3'], SpaceReclaimed: 0 });
  assert.deepEqual(await storeEntries(d), []);
  // One `prune` event per call, no `destroy` for pruned volumes (as dockerd).
  const until = Math.ceil(Date.now() / 1000) + 1;
  const log = (await d.api('GET', `/events?since=0&until=${until}&filters=${q({ type: ['volume'] })}`)).text.trim().split('\n').map((l) => JSON.parse(l));
  const pruned = log.filter((e) => e.Action === 'prune');
  assert.equal(pruned.length, 6);
  assert.deepEqual(pruned[0].Actor, { ID: '', Attributes: { reclaimed: '1000' } });
  assert.equal(log.filter((e) => e.Action === 'destroy').length, 0);
});

test('create and destroy events carry the driver; a repeated create is announced again', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const since = Math.floor(Date.now() / 1000);
  await create(d, { Name: 'ev' });
  await create(d, { Name: 'ev' });
  assert.equal((await d.api('DELETE', '/volumes/ev')).status, 204);
  const until = Math.ceil(Date.now() / 1000) + 1;
  const log = (await d.api('GET', `/events?since=${since}&until=${until}&filters=${q({ type: ['volume'] })}`)).text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(
    log.map((e) => [e.Type, e.Action, e.Actor.ID, e.Actor.Attributes, e.scope]),
    [
      ['volume', 'create', 'ev', { driver: 'local' }, 'local'],
      ['volume', 'create', 'ev', { driver: 'local' }, 'local'],
      ['volume', 'destroy', 'ev', { driver: 'local' }, 'local'],
    ],
  );
  assert.equal(log[0].status, undefined, 'volume events carry no deprecated status/id');
});

test('system df counts volumes without driver options, with Size and RefCount; ?type=volume answers only them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await create(d, { Name: 'sized' });
  await create(d, { Name: 'withopts', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  await fs.writeFile(`${d.dataRoot}/volumes/sized/_data/a`, Buffer.alloc(3000));
  await fs.mkdir(`${d.dataRoot}/volumes/sized/_data/sub`);
  await fs.writeFile(`${d.dataRoot}/volumes/sized/_data/sub/b`, Buffer.alloc(500));
  await fs.link(`${d.dataRoot}/volumes/sized/_data/sub/b`, `${d.dataRoot}/volumes/sized/_data/hard`);
  const all = await d.api('GET', '/system/df');
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.Volumes.map((v: { Name: string }) => v.Name), ['sized']);
  const [sized] = all.body.Volumes;
  assert.deepEqual(Object.keys(sized), [...VOLUME_KEYS, 'UsageData']);
  assert.deepEqual(sized.UsageData, { Size: 3500, RefCount: 0 });
  const only = await d.api('GET', '/system/df?type=volume');
  assert.deepEqual(only.body, { Images: null, Containers: null, Volumes: all.body.Volumes, BuildCache: null });
  const bad = await d.api('GET', '/system/df?type=bogus');
  assert.deepEqual([bad.status, bad.body], [400, { message: 'unknown object type: bogus' }]);
  // Before API 1.42 `type` is not read.
  assert.ok((await d.api('GET', '/v1.41/system/df?type=volume')).body.Images !== null);
});

test('a kill -9 while a volume is created or removed leaves it whole or gone, and no leftovers', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await create(d, { Name: 'kept', Labels: { a: 'b' } });
  await fs.writeFile(`${d.dataRoot}/volumes/kept/_data/file`, 'data');
  await create(d, { Name: 'doomed' });
  // A plain kill -9 between steps: everything acknowledged is there after the restart.
  await d.stop(true);
  await d.restart();
  assert.deepEqual(await names(d), ['doomed', 'kept']);
  assert.equal(await fs.readFile(`${d.dataRoot}/volumes/kept/_data/file`, 'utf8'), 'data');

  // Killed with the volume built under its staging name, not yet renamed into place: it never existed.
  await d.stop();
  await d.restart({ BERTH_FAILPOINT: 'volume-staged' });
  await assert.rejects(d.api('POST', '/volumes/create', { Name: 'halfmade' }));
  await exited(d);
  assert.ok((await storeEntries(d)).some((n) => n.startsWith('.staging-')), 'the failpoint was reached');
  await d.restart();
  assert.deepEqual(await names(d), ['doomed', 'kept']);
  assert.deepEqual(await storeEntries(d), ['doomed', 'kept']);
  await create(d, { Name: 'halfmade' });

  // Killed with the volume renamed to trash, its data not yet deleted: it is gone, the trash swept.
  await d.stop();
  await d.restart({ BERTH_FAILPOINT: 'volume-trashed' });
  await assert.rejects(d.api('DELETE', '/volumes/doomed'));
  await exited(d);
  assert.ok((await storeEntries(d)).some((n) => n.startsWith('.trash-')), 'the failpoint was reached');
  await d.restart();
  assert.deepEqual(await names(d), ['halfmade', 'kept']);
  assert.deepEqual(await storeEntries(d), ['halfmade', 'kept']);
  const kept = await d.api('GET', '/volumes/kept');
  assert.deepEqual(kept.body.Labels, { a: 'b' });
  assertNoMounts(d.dataRoot);
});
