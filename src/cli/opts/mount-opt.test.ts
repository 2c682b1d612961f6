import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountOpt } from './mount-opt.ts';

test('--mount reads as the docker CLI reads it', () => {
  assert.deepEqual(parseMountOpt('type=bind,source=/h,target=/c,readonly,bind-propagation=rslave'), {
    Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true, BindOptions: { Propagation: 'rslave' },
  });
  assert.deepEqual(parseMountOpt('dst=/c,src=v,volume-nocopy,volume-label=a=b,volume-opt=o=1,volume-driver=local'), {
    Type: 'volume', Source: 'v', Target: '/c', VolumeOptions: { Labels: { a: 'b' }, NoCopy: true, DriverConfig: { Name: 'local', Options: { o: '1' } } },
  });
  assert.deepEqual(parseMountOpt('type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770,ro=false'), {
    Type: 'tmpfs', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 },
  });
  assert.deepEqual(parseMountOpt('type=bind,src=/h,dst=/c,bind-recursive=disabled'), { Type: 'bind', Source: '/h', Target: '/c', BindOptions: { NonRecursive: true } });
  const errors: Array<[string, string]> = [
    ['type=bind,src=/h', 'target is required'],
    ['type=,target=/c', 'type is required'],
    ['type=bind,target=/c,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['type=bind,target=/c,size=1', "unexpected key 'size' in 'size=1'"],
    ['type=bind,target=/c,ro=maybe', 'invalid value for ro: maybe'],
    ['type=bind,target=/c,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'"],
    ['type=volume,target=/c,bind-propagation=shared', "cannot mix 'bind-*' options with mount type 'volume'"],
    ['type=bind,target=/c,tmpfs-size=x', 'invalid value for tmpfs-size: x'],
    ['type=bind,target=/c,bind-recursive=bogus', 'invalid value for bind-recursive: bogus (must be "enabled", "disabled", "writable", or "readonly")'],
    ['type=volume,target=/c,bind-recursive=disabled', "cannot mix 'bind-*' options with mount type 'volume'"],
  ];
  for (const [raw, message] of errors) assert.throws(() => parseMountOpt(raw), { message }, raw);
});

test('berth\'s idmap key goes to the Berth field of the bind or volume options, unchecked (the daemon checks it)', () => {
  assert.deepEqual(parseMountOpt('type=bind,source=/h,target=/c,idmap=uids=2000-1000-1;gids=2000-1000-1'), {
    Type: 'bind', Source: '/h', Target: '/c', BindOptions: { BerthIDMap: 'uids=2000-1000-1;gids=2000-1000-1' },
  });
  assert.deepEqual(parseMountOpt('type=volume,source=v,target=/c,idmap=x'), {
    Type: 'volume', Source: 'v', Target: '/c', VolumeOptions: { Labels: {}, DriverConfig: {}, BerthIDMap: 'x' },
  });
  assert.throws(() => parseMountOpt('type=tmpfs,target=/c,idmap=uids=1-1-1'), { message: "idmap is only for bind and volume mounts, not 'tmpfs'" });
});
