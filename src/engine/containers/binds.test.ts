import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemError } from '../../util/errors.ts';
import { checkMountPoints, checkMounts, parseBind } from './binds.ts';

test('binds parse as dockerd parses them', () => {
  assert.deepEqual(parseBind('/tmp/a:/x'), { source: '/tmp/a', destination: '/x', mode: '', rw: true, propagation: 'rprivate', volume: false });
  assert.deepEqual(parseBind('/tmp/a:/x:ro,rslave'), { source: '/tmp/a', destination: '/x', mode: 'ro,rslave', rw: false, propagation: 'rslave', volume: false });
  assert.equal(parseBind('/tmp/a:/x:z').rw, true);
  assert.equal(parseBind('data:/x').volume, true);
  assert.equal(parseBind('/data').volume, true);
  assert.throws(() => parseBind('/data:ro'), /invalid volume specification: '\/data:ro'/);
  assert.deepEqual(parseBind('data:/x:ro,nocopy'), { source: 'data', destination: '/x', mode: 'ro,nocopy', rw: false, propagation: '', volume: true });
  assert.throws(() => parseBind('data:/x:rshared'), /invalid volume specification: 'data:\/x:rshared': invalid mount config for type "volume": field BindOptions must not be specified/);
  assert.throws(() => parseBind('/tmp/a:rel'), /invalid volume specification: '\/tmp\/a:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute/);
  assert.throws(() => parseBind('/tmp/a:/x:bogus'), /^InvalidParameterError: invalid mode: bogus$|invalid mode: bogus/);
  assert.throws(() => parseBind('/tmp/a:/x:ro,rw'), /invalid mode: ro,rw/);
  assert.throws(() => parseBind('a:b:c:d'), /invalid volume specification: 'a:b:c:d'/);
});

test('a bad bind is dockerd\'s untyped error (500); so are an empty spec and the root as destination', () => {
  const system = (message: string) => (err: unknown) => err instanceof SystemError && err.message === message;
  assert.throws(() => parseBind(''), system("invalid volume specification: ''"));
  assert.throws(() => parseBind('/tmp:/'), system("invalid volume specification: '/tmp:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'"));
  assert.throws(() => parseBind('/tmp:/x:bad'), system('invalid mode: bad'));
});

test('--mount binds: an absolute source, a known propagation; no destination twice among binds, mounts and tmpfs', () => {
  assert.throws(() => checkMounts({ Mounts: [{ Type: 'bind', Source: 'rel', Target: '/x' }] }), {
    message: "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute",
  });
  assert.throws(() => checkMounts({ Mounts: [{ Type: 'bind', Source: '/tmp', Target: '/x', BindOptions: { Propagation: 'bogus' as 'shared' } }] }), {
    message: 'invalid mount config for type "bind": invalid propagation mode: bogus',
  });
  assert.doesNotThrow(() => checkMounts({ Mounts: [{ Type: 'bind', Source: '/tmp', Target: '/x', BindOptions: { Propagation: 'rslave' } }] }));
  assert.throws(() => checkMountPoints({ Binds: ['/tmp:/x'], Tmpfs: { '/x': '' } }), { message: 'Duplicate mount point: /x' });
  // dockerd does not compare a --mount with the tmpfs mounts, nor bind options with tmpfs ones.
  assert.doesNotThrow(() => checkMountPoints({ Mounts: [{ Type: 'tmpfs', Target: '/x' }], Tmpfs: { '/x': '' } }));
  assert.doesNotThrow(() => checkMounts({ Mounts: [{ Type: 'bind', Source: '/tmp', Target: '/x', TmpfsOptions: {} }] }));
  for (const type of ['bind', 'tmpfs'] as const) {
    assert.throws(() => checkMounts({ Mounts: [{ Type: type, Source: type === 'bind' ? '/tmp' : undefined, Target: '//' }] }), {
      message: `invalid mount config for type "${type}": invalid specification: destination can't be '/'`,
    });
  }
});
