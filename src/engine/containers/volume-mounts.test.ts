import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredMountPoint } from './record.ts';
import { planMountPoints, volumeNamesOf } from './volume-mounts.ts';

const noDonor = (ref: string): StoredMountPoint[] => {
  throw new Error(`no donor ${ref}`);
};
const vol = (over: Partial<StoredMountPoint>): StoredMountPoint => ({
  type: 'volume', name: '', source: '', destination: '/x', rw: true, mode: '', propagation: '', driver: 'local', named: false, copyData: true, ...over,
});

test('-v volumes: named or anonymous, Mode "z" when none is given, nocopy and ro from the mode', () => {
  const plan = planMountPoints({}, { Binds: ['data:/d', '/anon', 'ro:/r:ro,nocopy', '/host:/h'] }, noDonor);
  assert.deepEqual(plan, [
    { mount: vol({ name: 'data', destination: '/d', mode: 'z', named: true }), create: { name: 'data', driver: '', anonymous: false } },
    { mount: vol({ destination: '/anon', mode: 'z' }), create: { name: '', driver: '', anonymous: true } },
    { mount: vol({ name: 'ro', destination: '/r', mode: 'ro,nocopy', rw: false, named: true, copyData: false }), create: { name: 'ro', driver: '', anonymous: false } },
  ]);
});

test('--mount volumes: options, labels and driver passed to create; nocopy; a bind or tmpfs is not a volume', () => {
  const plan = planMountPoints({}, {
    Mounts: [
      { Type: 'volume', Source: 'v1', Target: '/v/', ReadOnly: true, VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } },
      { Type: 'volume', Target: '/anon' },
      { Type: 'tmpfs', Target: '/t' },
    ],
  }, noDonor);
  assert.deepEqual(plan, [
    {
      mount: vol({ name: 'v1', destination: '/v', rw: false, mode: 'z', named: true, copyData: false }),
      create: { name: 'v1', driver: 'local', anonymous: false, driverOpts: { type: 'tmpfs', device: 'tmpfs' }, labels: { a: 'b' } },
    },
    { mount: vol({ destination: '/anon', mode: 'z' }), create: { name: '', driver: '', anonymous: true } },
  ]);
});

test('image and body Volumes: anonymous, Mode "", only where no mount, bind or --tmpfs is', () => {
  const plan = planMountPoints({ Volumes: { '/a': {}, '/b/': {}, '/c': {}, '/t': {} } }, { Binds: ['/host:/b'], Mounts: [{ Type: 'volume', Source: 'cc', Target: '/c' }], Tmpfs: { '/t': '' } }, noDonor);
  assert.deepEqual(plan.map((p) => [p.mount.destination, p.mount.name, p.mount.mode]), [['/c', 'cc', 'z'], ['/a', '', '']]);
});

test('--volumes-from: the donor\'s mounts, read-only with :ro, never copied up, Mode ""; own mounts win; a duplicate is refused', () => {
  const donor = [vol({ name: 'n', destination: '/n', mode: 'z', named: true }), vol({ name: 'a'.repeat(64), destination: '/a' }), { ...vol({ destination: '/h' }), type: 'bind' as const, source: '/host', name: '', named: true }];
  const plan = planMountPoints({ Volumes: { '/a': {} } }, { VolumesFrom: ['donor:ro'], Binds: ['/other:/h'] }, (ref) => (assert.equal(ref, 'donor'), donor));
  assert.deepEqual(plan, [
    { mount: vol({ name: 'n', destination: '/n', rw: false, named: true, copyData: false }) },
    { mount: vol({ name: 'a'.repeat(64), destination: '/a', rw: false, copyData: false }) },
  ]);
  assert.throws(() => planMountPoints({}, { Binds: ['x:/d'], Mounts: [{ Type: 'volume', Target: '/d' }] }, noDonor), /Duplicate mount point: \/d/);
  assert.deepEqual(volumeNamesOf(plan.map((p) => p.mount)), ['n', 'a'.repeat(64)]);
});
