import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveMounts, containerMounts, mountSourcesToCreate, toRuntimeMounts, toWireMounts } from './container-mounts.ts';

const etc = { hostname: '/c/hostname', hosts: '/c/hosts', resolvConf: '/c/resolv.conf' };

test('-v binds: inspect shows the mode as given, the runtime gets rbind with rw/ro and the propagation', () => {
  const mounts = containerMounts({ hostConfig: { Binds: ['/tmp/a:/x:ro', '/tmp/a:/z'] } });
  assert.deepEqual(toWireMounts(mounts), [
    { Type: 'bind', Source: '/tmp/a', Destination: '/x', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    { Type: 'bind', Source: '/tmp/a', Destination: '/z', Mode: '', RW: true, Propagation: 'rprivate' },
  ]);
  assert.deepEqual(toRuntimeMounts(mounts), [
    { destination: '/x', source: '/tmp/a', type: 'bind', options: ['rbind', 'ro', 'rprivate'] },
    { destination: '/z', source: '/tmp/a', type: 'bind', options: ['rbind', 'rw', 'rprivate'] },
  ]);
  assert.deepEqual(mountSourcesToCreate(mounts), ['/tmp/a', '/tmp/a'], '-v creates a missing host directory');
});

test('--mount binds and tmpfs follow the binds, in the order given', () => {
  const mounts = containerMounts({ hostConfig: {
    Binds: ['/a:/a'],
    Mounts: [
      { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 }, ReadOnly: true },
      { Type: 'bind', Source: '/s', Target: '/b', BindOptions: { NonRecursive: true, Propagation: 'rslave', CreateMountpoint: true } },
      { Type: 'bind', Source: '/s2', Target: '/b2', ReadOnly: true },
    ],
  } });
  assert.deepEqual(toWireMounts(mounts), [
    { Type: 'bind', Source: '/a', Destination: '/a', Mode: '', RW: true, Propagation: 'rprivate' },
    { Type: 'tmpfs', Source: '', Destination: '/t', Mode: '', RW: false, Propagation: '' },
    { Type: 'bind', Source: '/s', Destination: '/b', Mode: '', RW: true, Propagation: 'rslave' },
    { Type: 'bind', Source: '/s2', Destination: '/b2', Mode: '', RW: false, Propagation: 'rprivate' },
  ]);
  assert.deepEqual(toRuntimeMounts(mounts).slice(1), [
    { destination: '/t', source: 'tmpfs', type: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', 'size=1024', 'mode=1777', 'ro'] },
    { destination: '/b', source: '/s', type: 'bind', options: ['bind', 'rw', 'rslave'] },
    { destination: '/b2', source: '/s2', type: 'bind', options: ['rbind', 'ro', 'rprivate'] },
  ]);
  assert.deepEqual(mountSourcesToCreate(mounts), ['/a', '/s'], 'only -v and CreateMountpoint create their source');
});

test('docker cp sees the host-path mounts, then the /etc files no mount covers', () => {
  const mounts = containerMounts({ hostConfig: { Binds: ['/h:/etc/hosts:ro'], Mounts: [{ Type: 'tmpfs', Target: '/t' }] } });
  assert.deepEqual(archiveMounts(mounts, etc, true), [
    { destination: '/etc/hosts', source: '/h', readOnly: true },
    { destination: '/etc/hostname', source: '/c/hostname', readOnly: true },
    { destination: '/etc/resolv.conf', source: '/c/resolv.conf', readOnly: true },
  ]);
  assert.deepEqual(archiveMounts([], etc, false).map((m) => m.readOnly), [false, false, false]);
});

test('volumes and --volumes-from binds come from the stored mount points: rbind ro|rw, inspect with Name and Driver, seen by docker cp', () => {
  const record = {
    hostConfig: { Binds: ['named:/n', '/h:/b'], Mounts: [{ Type: 'volume' as const, Target: '/m' }] },
    mountPoints: [
      { type: 'volume' as const, name: 'named', source: '/dr/volumes/named/_data', destination: '/n', rw: false, mode: 'ro', propagation: '', driver: 'local', named: true, copyData: true },
      { type: 'bind' as const, name: '', source: '/donor', destination: '/from', rw: true, mode: '', propagation: 'rprivate', driver: '', named: true, copyData: false },
    ],
  };
  const mounts = containerMounts(record);
  assert.deepEqual(toRuntimeMounts(mounts).map((m) => [m.destination, m.source, m.options]), [
    ['/b', '/h', ['rbind', 'rw', 'rprivate']],
    ['/n', '/dr/volumes/named/_data', ['rbind', 'ro']],
    ['/from', '/donor', ['rbind', 'rw', 'rprivate']],
  ]);
  assert.deepEqual(toWireMounts(mounts)[1], { Type: 'volume', Name: 'named', Source: '/dr/volumes/named/_data', Destination: '/n', Driver: 'local', Mode: 'ro', RW: false, Propagation: '' });
  assert.deepEqual(mountSourcesToCreate(mounts), ['/h', '/donor']);
  assert.deepEqual(archiveMounts(mounts, { hostname: '/c/hostname', hosts: '/c/hosts', resolvConf: '/c/resolv.conf' }, false).slice(0, 3).map((m) => [m.destination, m.source, m.readOnly]), [
    ['/b', '/h', false], ['/n', '/dr/volumes/named/_data', true], ['/from', '/donor', false],
  ]);
});
