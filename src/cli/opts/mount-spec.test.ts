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
  assert.deepEqual(parseMountFlag('Type=BIND,SRC=/s,Target=/b,bind-recursive=disabled'), { Type: 'bind', Source: '/s', Target: '/b', BindOptions: { NonRecursive: true } });
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
    ['type=bind,src=/s,dst=/x,bind-recursive=readonly', "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction"],
    ['type=bind,src=/s,dst=/x,ro,bind-recursive=readonly', "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction"],
    ['type=bind,src=/s,dst=/x,bind-recursive=writable', "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction"],
    ['type=bind,src=/s,dst=/x,bind-recursive=maybe', 'invalid value for bind-recursive: maybe (must be "enabled", "disabled", "writable", or "readonly")'],
    ['type=bind,src=/s,dst=/x,bind-create-src', "invalid field 'bind-create-src' must be a key=value pair"],
  ];
  for (const [raw, message] of cases) assert.throws(() => parseMountFlag(raw), { message }, raw);
});
