import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountFlag } from './mount-spec.ts';

test('--mount: long and short keys, bare booleans, a volume by default, as the docker CLI reads them', () => {
  assert.deepEqual(parseMountFlag('source=data,target=/d'), { Type: 'volume', Source: 'data', Target: '/d' });
  assert.deepEqual(parseMountFlag('type=volume,src=data,dst=/d,ro,volume-nocopy,volume-label=a=b,volume-driver=local,volume-opt=type=tmpfs,volume-opt=device=tmpfs'), {
    Type: 'volume', Source: 'data', Target: '/d', ReadOnly: true,
    VolumeOptions: { Labels: { a: 'b' }, NoCopy: true, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } },
  });
  assert.deepEqual(parseMountFlag('type=volume,destination=/d,readonly=0'), { Type: 'volume', Target: '/d', ReadOnly: false });
  assert.deepEqual(parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777'), { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } });
  assert.deepEqual(parseMountFlag('type=bind,src=./x,dst=/b,bind-propagation=rslave', '/home'), { Type: 'bind', Source: '/home/x', Target: '/b', BindOptions: { Propagation: 'rslave' } });
  assert.deepEqual(parseMountFlag('"type=volume","dst=/a,b"'), { Type: 'volume', Target: '/a,b' });
});

test('--mount: the docker CLI\'s words for what it refuses', () => {
  const cases: Array<[string, string]> = [
    ['type=volume', 'target is required'],
    ['type=,dst=/x', 'type is required'],
    ['dst=/x,foo=bar', "unexpected key 'foo' in 'foo=bar'"],
    ['dst=/x,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['dst=/x,ro=maybe', 'invalid value for ro: maybe'],
    ['dst=/x,volume-nocopy=maybe', 'invalid value for volume-nocopy: maybe'],
    ['type=tmpfs,dst=/x,tmpfs-size=abc', 'invalid value for tmpfs-size: abc'],
    ['type=tmpfs,dst=/x,tmpfs-mode=9', 'invalid value for tmpfs-mode: 9'],
    ['type=bind,dst=/x,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'"],
    ['type=volume,dst=/x,bind-propagation=shared', "cannot mix 'bind-*' options with mount type 'volume'"],
    ['type=volume,dst=/x,tmpfs-size=1m', "cannot mix 'tmpfs-*' options with mount type 'volume'"],
  ];
  for (const [raw, message] of cases) assert.throws(() => parseMountFlag(raw), { message }, raw);
});
