import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goErrnoText, mountErrorText, parseMountOptions } from './mount-options.ts';

test('mount options split into flags and data as moby reads them', () => {
  const cases: Array<[string, number, string]> = [
    ['', 0, ''],
    ['bind', 0x1000, ''],
    ['rbind,ro', 0x5001, ''],
    ['size=1m,uid=1000', 0, 'size=1m,uid=1000'],
    ['ro,size=1m', 0x1, 'size=1m'],
    ['ro,rw', 0, ''],
    ['nosuid,nodev,noexec,relatime', 0x20000e, ''],
    ['defaults,size=1m', 0, 'defaults,size=1m'],
    ['bind,rprivate', 0x1000 | 0x40000 | 0x4000, ''],
    ['addr=10.0.0.1,nfsvers=4,strictatime', 0x1000000, 'addr=10.0.0.1,nfsvers=4'],
  ];
  for (const [options, flags, data] of cases) assert.deepEqual(parseMountOptions(options), { flags, data }, options);
});

test('mount errors in moby’s words, a password masked', () => {
  assert.equal(mountErrorText('mount', '/src', '/dst', 0x1000, '', 'no such file or directory'), 'mount /src:/dst, flags: 0x1000: no such file or directory');
  assert.equal(mountErrorText('mount', 'tmpfs', '/dst', 0, 'size=1m,bogus=1', 'invalid argument'), 'mount tmpfs:/dst, data: size=1m,bogus=1: invalid argument');
  assert.equal(mountErrorText('remount', '', '/dst', 0x44000, '', 'invalid argument'), 'remount /dst, flags: 0x44000: invalid argument');
  assert.equal(
    mountErrorText('mount', '//srv/share', '/dst', 0, 'username=u,password=secret,vers=3', 'permission denied'),
    'mount //srv/share:/dst, data: username=u,password=********,vers=3: permission denied',
  );
  assert.equal(goErrnoText('No such file or directory'), 'no such file or directory');
});
