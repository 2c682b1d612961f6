import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '../../util/errors.ts';
import type { VolumeCreateRequest, VolumeRecord } from '../volumes/volume-service.ts';
import type { ContainerRecord } from './record.ts';
import { testRecord } from './test-records.ts';
import { VolumeResource } from './volume-resource.ts';

/** A volume service that records calls; its volumes have no driver options, so copy-up finds nothing to fill (no rootfs). */
function fakeVolumes(calls: string[], users: () => VolumeResource) {
  const store = new Map<string, VolumeRecord>();
  let anon = 0;
  return {
    mountpoint: (name: string) => `/nonexistent/volumes/${name}/_data`,
    get: (name: string) => store.get(name),
    async create(r: VolumeCreateRequest) {
      const name = r.name || `anon${++anon}`;
      if (name.includes('/')) throw new Error(`bad name ${name}`);
      calls.push(`create ${name}`);
      const v: VolumeRecord = store.get(name) ?? { name, driver: 'local', createdAt: '', labels: null, options: null };
      store.set(name, v);
      return v;
    },
    async mount(name: string) {
      calls.push(`mount ${name}`);
      return `/nonexistent/volumes/${name}/_data`;
    },
    adopt: (name: string) => void calls.push(`adopt ${name}`),
    async unmount(name: string) {
      calls.push(`unmount ${name}`);
    },
    async remove(name: string) {
      const by = users().usersOf(name);
      if (by.length) throw new ConflictError(`in use ${by.join(',')}`);
      calls.push(`remove ${name}`);
      store.delete(name);
    },
  };
}

function setup() {
  const calls: string[] = [];
  const records = new Map<string, ContainerRecord>();
  const resource: VolumeResource = new VolumeResource({
    volumes: fakeVolumes(calls, () => resource),
    layout: { mountRootfs: async () => assert.fail('no rootfs mount without copy-up'), paths: () => assert.fail('no paths') },
    resolveContainer: (ref) => [...records.values()].find((c) => c.name === `/${ref}`) ?? assert.fail(`no ${ref}`),
    containers: () => records.values(),
    stored: (id) => records.has(id),
  });
  return { calls, records, resource };
}

test('a container\'s volumes: created, mounted at start, unmounted at exit, anonymous ones removed with -v; nothing for a container without', async () => {
  const { calls, records, resource } = setup();
  const plain = testRecord('plain', '', 'created');
  await resource.create(plain);
  assert.equal(plain.mountPoints, undefined);
  assert.equal(resource.removed(plain, { volumes: true }), undefined, 'no work, no promise');

  const r = testRecord('c', '', 'created', { hostConfig: { Binds: ['named:/n', '/anon'] } });
  await resource.create(r);
  assert.deepEqual(resource.usersOf('named'), [r.id], 'a create under way uses its volumes');
  records.set(r.id, r);
  assert.deepEqual(r.mountPoints!.map((m) => [m.name, m.destination, m.source, m.named]), [
    ['named', '/n', '/nonexistent/volumes/named/_data', true],
    ['anon1', '/anon', '/nonexistent/volumes/anon1/_data', false],
  ]);
  assert.deepEqual(await resource.spec(r), {}, 'plain volumes are mounted at start');
  await resource.start(r);
  await resource.start(r); // a second call mounts nothing twice
  await resource.exit(r);
  await resource.exit(r);
  assert.deepEqual(calls, ['create named', 'create anon1', 'mount named', 'mount anon1', 'unmount named', 'unmount anon1']);

  // Another container takes the anonymous volume: rm -v of the first keeps it silently.
  const taker = testRecord('t', '', 'created', { hostConfig: { VolumesFrom: ['c'] } });
  await resource.create(taker);
  records.set(taker.id, taker);
  assert.deepEqual(resource.usersOf('anon1').sort(), [r.id, taker.id].sort());
  records.delete(r.id);
  calls.length = 0;
  await resource.removed(r, { volumes: true });
  assert.deepEqual(calls, [], 'kept: the taker uses it');
  records.delete(taker.id);
  await resource.removed(taker, { volumes: true });
  assert.deepEqual(calls, ['remove anon1'], 'named kept; the anonymous one removed once unused');
});

test('a failed create removes the anonymous volumes it made, and is in use by nothing after', async () => {
  const { calls, resource } = setup();
  const r = testRecord('f', '', 'created', { hostConfig: { Binds: ['/anon', 'kept:/k', 'bad/name:/x'] } });
  await assert.rejects(async () => resource.create(r), /bad name/);
  assert.deepEqual(calls, ['create anon1', 'create kept', 'remove anon1']);
  assert.equal(r.mountPoints, undefined);
  assert.deepEqual(resource.usersOf('kept'), []);
});

test('re-adoption counts a live container as its volumes\' user again; its exit unmounts them', async () => {
  const { calls, resource } = setup();
  const r = testRecord('a', '', 'running', { hostConfig: { Binds: ['v1:/v'] } });
  await resource.create(r);
  calls.length = 0;
  await resource.readopt(r);
  await resource.exit(r);
  assert.deepEqual(calls, ['adopt v1', 'unmount v1']);
});
