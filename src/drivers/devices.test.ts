import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemError } from '../util/errors.ts';
import { deviceMajor, deviceMinor, resolveBlockDeviceNumbers, resolveDevice, resolveDevices } from './devices.ts';

function throwsSystem(message: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof SystemError && e.message === message;
}

describe('dev_t encoding', () => {
  const cases: [bigint, number, number][] = [
    [0x0103n, 1, 3],
    [0xfe00n, 254, 0],
    [0x0811n, 8, 17],
    // major 259, minor 1048575: the high bits live above bit 20 / 32.
    [(0x103n << 8n) | 0xffn | (0xfff00n << 12n), 259, 1048575],
    [(0xabcn << 8n) | (0x12345000n << 32n) | 0x42n, 0x12345abc, 0x42],
  ];
  for (const [rdev, major, minor] of cases) {
    test(`0x${rdev.toString(16)} is ${major}:${minor}`, () => {
      assert.equal(deviceMajor(rdev), major);
      assert.equal(deviceMinor(rdev), minor);
    });
  }
});

describe('resolveDevice', () => {
  let dir = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-devices-'));
    await fs.writeFile(path.join(dir, 'file'), 'x');
    await fs.mkdir(path.join(dir, 'empty'));
    await fs.symlink('/dev/null', path.join(dir, 'null-link'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  test('a char device: numbers, mode and owner, at PathInContainer', async () => {
    const [d, ...rest] = await resolveDevice({ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'r' });
    assert.equal(rest.length, 0);
    assert.deepEqual(d, { device: { type: 'c', path: '/dev/xnull', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 }, permissions: 'r' });
  });

  test('PathInContainer defaults to PathOnHost; a symlink is followed', async () => {
    const [d] = await resolveDevices([{ PathOnHost: path.join(dir, 'null-link'), CgroupPermissions: 'rwm' }]);
    assert.equal(d?.device.path, path.join(dir, 'null-link'));
    assert.equal(d?.device.major, 1);
    assert.equal(d?.device.minor, 3);
  });

  test("dockerd's messages for a missing path, a file and a directory without devices", async () => {
    await assert.rejects(resolveDevice({ PathOnHost: '/dev/nope' }), throwsSystem('error gathering device information while adding custom device "/dev/nope": no such file or directory'));
    const file = path.join(dir, 'file');
    await assert.rejects(resolveDevice({ PathOnHost: file }), throwsSystem(`error gathering device information while adding custom device "${file}": not a device node`));
    const empty = path.join(dir, 'empty');
    await assert.rejects(resolveDevice({ PathOnHost: empty }), throwsSystem(`error gathering device information while adding custom device "${empty}": not a device node`));
  });

  test('a directory gives its devices below PathInContainer', async (t) => {
    // /dev/net/tun exists on most Linux hosts; the integration test covers this where it does not.
    const tun = await fs.stat('/dev/net/tun').catch(() => undefined);
    if (!tun?.isCharacterDevice()) return t.skip('no /dev/net/tun');
    const got = await resolveDevice({ PathOnHost: '/dev/net', PathInContainer: '/dev/mynet', CgroupPermissions: 'rw' });
    assert.ok(got.some((d) => d.device.path === '/dev/mynet/tun' && d.device.type === 'c' && d.permissions === 'rw'));
  });
});

describe('resolveBlockDeviceNumbers', () => {
  test('stat follows the path; a missing one fails as dockerd says', async () => {
    const numbers = await resolveBlockDeviceNumbers(['/dev/null']);
    assert.deepEqual(numbers.get('/dev/null'), { major: 1, minor: 3 });
    await assert.rejects(resolveBlockDeviceNumbers(['/dev/nope']), throwsSystem('stat /dev/nope: no such file or directory'));
  });
});
