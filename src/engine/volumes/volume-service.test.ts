import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventsService } from '../events/events-service.ts';
import { VolumeService } from './volume-service.ts';

/** A service on a temporary data root, with the containers' side played by a map (volume → users). */
async function tempService(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'volume-service-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const events = new EventsService();
  const users = new Map<string, string[]>();
  const service = new VolumeService({ dataRoot: root, events });
  service.useContainers({ usersOf: (name) => users.get(name) ?? [] });
  await service.load();
  const seen = () => events.subscribe(() => undefined).past.map((e) => `${e.Action} ${e.Actor.ID}`);
  return { root, service, users, seen };
}

test('concurrent creates of one name make one volume; create is idempotent and announced each time', async (t) => {
  const { root, service, seen } = await tempService(t);
  const made = await Promise.all([1, 2, 3, 4].map((i) => service.create({ name: 'same', labels: { n: String(i) } })));
  assert.equal(new Set(made.map((r) => r.createdAt + JSON.stringify(r.labels))).size, 1, 'every caller got the one record');
  assert.deepEqual(readdirSync(path.join(root, 'volumes')), ['same']);
  assert.deepEqual(seen(), ['create same', 'create same', 'create same', 'create same']);
});

test('a create and a remove of one name run one after the other', async (t) => {
  const { root, service } = await tempService(t);
  await service.create({ name: 'v1' });
  const [removed, created] = await Promise.allSettled([service.remove('v1'), service.create({ name: 'v1', labels: { again: '1' } })]);
  assert.equal(removed.status, 'fulfilled');
  assert.equal(created.status, 'fulfilled');
  assert.deepEqual(service.get('v1')?.labels, { again: '1' });
  assert.deepEqual(readdirSync(path.join(root, 'volumes')), ['v1']);
});

test('anonymous volumes get a 64-hex name and the anonymous label; the API’s empty name none', async (t) => {
  const { service } = await tempService(t);
  const anon = await service.create({ name: '', anonymous: true, labels: { a: 'b' } });
  assert.match(anon.name, /^[0-9a-f]{64}$/);
  assert.deepEqual(anon.labels, { a: 'b', 'com.docker.volume.anonymous': '' });
  const unnamed = await service.create({});
  assert.equal(unnamed.labels, null);
});

test('a volume a container names is in use: not dangling, not removable, not pruned, counted by usage', async (t) => {
  const { root, service, users } = await tempService(t);
  await service.create({ name: 'used', anonymous: true });
  await service.create({ name: 'free', anonymous: true });
  users.set('used', ['c1', 'c2']);
  writeFileSync(path.join(root, 'volumes', 'used', '_data', 'f'), Buffer.alloc(100));
  assert.deepEqual(service.list({ dangling: ['true'] }).map((v) => v.name), ['free']);
  await assert.rejects(service.remove('used'), { name: 'ConflictError', message: 'remove used: volume is in use - [c1, c2]' });
  await assert.rejects(service.remove('used', { force: true }), { name: 'ConflictError' });
  await assert.rejects(service.remove('gone'), { name: 'NotFoundError', message: 'get gone: no such volume' });
  await service.remove('gone', { force: true });
  assert.deepEqual(
    (await service.usage()).map((u) => [u.record.name, u.size, u.refCount]),
    [['free', 0, 0], ['used', 100, 2]],
  );
  assert.deepEqual(await service.prune(), { volumesDeleted: ['free'], spaceReclaimed: 0 });
  users.delete('used');
  assert.deepEqual(await service.prune(), { volumesDeleted: ['used'], spaceReclaimed: 100 });
});

test('a volume without driver options needs no mount: mount and unmount only count and announce', async (t) => {
  const { root, service, seen } = await tempService(t);
  await service.create({ name: 'plain' });
  assert.equal(await service.mount('plain', { containerId: 'c1', destination: '/d', rw: true, propagation: '' }), path.join(root, 'volumes', 'plain', '_data'));
  await assert.rejects(service.remove('plain'), { message: 'remove plain: volume is in use - [c1]' });
  await service.unmount('plain', 'c1');
  await service.unmount('unknown', 'c1');
  await assert.rejects(service.mount('unknown', { containerId: 'c1', destination: '/d', rw: true, propagation: '' }), { name: 'NotFoundError' });
  await service.remove('plain');
  assert.deepEqual(seen(), ['create plain', 'mount plain', 'unmount plain', 'destroy plain']);
});
