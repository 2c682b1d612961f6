import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseFlags } from '../flags.ts';
import { RUN_FLAGS } from './container-flags.ts';
import { buildCreateConfig } from './container-config.ts';
import { isCdiDeviceName, parseDevice, parseThrottleBpsDevice, parseThrottleIOpsDevice, parseWeightDevice, validateDeviceCgroupRule } from './device-specs.ts';

function build(argv: string[]) {
  const flags = parseFlags(RUN_FLAGS, argv, { interspersed: false });
  const [image = '', ...args] = flags.args;
  return buildCreateConfig(flags, { image, args, env: {}, readFile: () => '', detach: false });
}

function flagError(argv: string[], message: string): void {
  assert.throws(() => build(argv), (e: unknown) => e instanceof FlagError && e.message === message);
}

describe('--device', () => {
  const cases: [string, { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } | string][] = [
    ['/dev/null', { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rwm' }],
    ['/dev/null:/dev/xnull', { PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rwm' }],
    ['/dev/null:/dev/xnull:r', { PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'r' }],
    ['/dev/null:rw', { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rw' }],
    ['/dev//null/', { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rwm' }],
    ['/dev/null:/dev/x/../y/', { PathOnHost: '/dev/null', PathInContainer: '/dev/y', CgroupPermissions: 'rwm' }],
    ['/dev/null:/dev/xnull:rz', 'bad mode specified: rz'],
    ['/dev/null:/dev/xnull:rr', 'bad mode specified: rr'],
    ['/dev/null:/dev/xnull:r:x', 'bad format for path: /dev/null:/dev/xnull:r:x'],
    [':/dev/xnull', 'bad format for path: :/dev/xnull'],
    ['/dev/null:rz', 'rz is not an absolute path'],
    ['/dev/null:xnull:r', 'xnull is not an absolute path'],
    ['null', 'null is not an absolute path'],
  ];
  for (const [spec, want] of cases) {
    test(spec, () => {
      if (typeof want === 'string') assert.throws(() => parseDevice(spec), { message: want });
      else assert.deepEqual(parseDevice(spec), want);
    });
  }

  test('CDI names are told from paths', () => {
    for (const name of ['nvidia.com/gpu=all', 'vendor.com/class=dev-0', 'a/b=c']) assert.equal(isCdiDeviceName(name), true, name);
    for (const name of ['/dev/null', 'vendor.com/class', 'vendor.com=x', 'vendor.com/=x', '1vendor/class=x', 'vendor/class=-x']) assert.equal(isCdiDeviceName(name), false, name);
  });
});

describe('cgroup rule and blkio device flags', () => {
  test('--device-cgroup-rule', () => {
    assert.equal(validateDeviceCgroupRule('c 1:3 rwm'), 'c 1:3 rwm');
    assert.equal(validateDeviceCgroupRule('a *:* m'), 'a *:* m');
    for (const bad of ['x 1:3 rwm', 'c 1:3', 'c 1:3 rwmm', 'c 1:3 rwm ']) assert.throws(() => validateDeviceCgroupRule(bad), { message: `invalid device cgroup format '${bad}'` });
  });

  test('--device-read-bps and --device-write-bps take a binary size', () => {
    assert.deepEqual(parseThrottleBpsDevice('/dev/vda:1mb'), { Path: '/dev/vda', Rate: 1048576 });
    assert.deepEqual(parseThrottleBpsDevice('/dev/vda:512'), { Path: '/dev/vda', Rate: 512 });
    assert.deepEqual(parseThrottleBpsDevice('/dev/vda:1k'), { Path: '/dev/vda', Rate: 1024 });
    assert.throws(() => parseThrottleBpsDevice('/dev/vda'), { message: 'bad format: /dev/vda' });
    assert.throws(() => parseThrottleBpsDevice(':1mb'), { message: 'bad format: :1mb' });
    assert.throws(() => parseThrottleBpsDevice('/tmp/x:1mb'), { message: 'bad format for device path: /tmp/x:1mb' });
    assert.throws(() => parseThrottleBpsDevice('/dev/vda:fast'), {
      message: 'invalid rate for device: /dev/vda:fast. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb',
    });
  });

  test('--device-read-iops and --device-write-iops take a plain integer', () => {
    assert.deepEqual(parseThrottleIOpsDevice('/dev/vda:1000'), { Path: '/dev/vda', Rate: 1000 });
    assert.throws(() => parseThrottleIOpsDevice('/dev/vda:1k'), {
      message: 'invalid rate for device: /dev/vda:1k. The correct format is <device-path>:<number>. Number must be a positive integer',
    });
  });

  test('--blkio-weight-device: 10 to 1000, or 0', () => {
    assert.deepEqual(parseWeightDevice('/dev/vda:300'), { Path: '/dev/vda', Weight: 300 });
    assert.deepEqual(parseWeightDevice('/dev/vda:0'), { Path: '/dev/vda', Weight: 0 });
    for (const bad of ['/dev/vda:5', '/dev/vda:1001', '/dev/vda:x', '/dev/vda:-1', '/dev/vda:70000']) assert.throws(() => parseWeightDevice(bad), { message: `invalid weight for device: ${bad}` });
  });
});

describe('device flags in the create body', () => {
  test('as docker sends them', () => {
    const b = build([
      '--device', '/dev/null:/dev/xnull:r', '--device', '/dev/zero', '--device', 'vendor.com/gpu=0',
      '--device-cgroup-rule', 'c 1:3 rwm', '--device-read-bps', '/dev/vda:1mb', '--device-write-bps', '/dev/vda:2kb',
      '--device-read-iops', '/dev/vda:100', '--device-write-iops', '/dev/vda:200', '--blkio-weight-device', '/dev/vda:300', 'busybox',
    ]);
    assert.deepEqual(b.HostConfig['Devices'], [
      { PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'r' },
      { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' },
    ]);
    assert.deepEqual(b.HostConfig['DeviceCgroupRules'], ['c 1:3 rwm']);
    assert.deepEqual(b.HostConfig['BlkioDeviceReadBps'], [{ Path: '/dev/vda', Rate: 1048576 }]);
    assert.deepEqual(b.HostConfig['BlkioDeviceWriteBps'], [{ Path: '/dev/vda', Rate: 2048 }]);
    assert.deepEqual(b.HostConfig['BlkioDeviceReadIOps'], [{ Path: '/dev/vda', Rate: 100 }]);
    assert.deepEqual(b.HostConfig['BlkioDeviceWriteIOps'], [{ Path: '/dev/vda', Rate: 200 }]);
    assert.deepEqual(b.HostConfig['BlkioWeightDevice'], [{ Path: '/dev/vda', Weight: 300 }]);
    assert.deepEqual(b.HostConfig['DeviceRequests'], [{ Driver: 'cdi', Count: 0, DeviceIDs: ['vendor.com/gpu=0'], Capabilities: null, Options: null }]);
  });

  test('none given: empty lists and a null rule list, as the docker CLI marshals them', () => {
    const b = build(['busybox']);
    assert.deepEqual(b.HostConfig['Devices'], []);
    assert.equal(b.HostConfig['DeviceCgroupRules'], null);
    for (const key of ['BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps']) assert.deepEqual(b.HostConfig[key], [], key);
    assert.equal(b.HostConfig['DeviceRequests'], undefined);
  });

  test('flag errors read as pflag prints them', () => {
    flagError(['--device-cgroup-rule', 'x 1:3 rwm', 'busybox'], 'invalid argument "x 1:3 rwm" for "--device-cgroup-rule" flag: invalid device cgroup format \'x 1:3 rwm\'');
    flagError(['--device-read-bps', '/dev/vda', 'busybox'], 'invalid argument "/dev/vda" for "--device-read-bps" flag: bad format: /dev/vda');
    assert.throws(() => build(['--device', '/dev/null:/dev/xnull:rz', 'busybox']), { message: 'bad mode specified: rz' });
  });
});
