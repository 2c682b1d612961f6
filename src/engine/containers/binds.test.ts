import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind } from './binds.ts';

test('binds parse as dockerd parses them', () => {
  assert.deepEqual(parseBind('/tmp/a:/x'), { source: '/tmp/a', destination: '/x', mode: '', rw: true, propagation: 'rprivate', volume: false });
  assert.deepEqual(parseBind('/tmp/a:/x:ro,rslave'), { source: '/tmp/a', destination: '/x', mode: 'ro,rslave', rw: false, propagation: 'rslave', volume: false });
  assert.equal(parseBind('/tmp/a:/x:z').rw, true);
  assert.equal(parseBind('data:/x').volume, true);
  assert.equal(parseBind('/data').volume, true);
  assert.deepEqual(parseBind('/data:ro'), { source: '', destination: '/data', mode: 'ro', rw: false, propagation: '', volume: true });
  assert.throws(() => parseBind('/tmp/a:rel'), /invalid volume specification: '\/tmp\/a:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute/);
  assert.throws(() => parseBind('/tmp/a:/x:bogus'), /^InvalidParameterError: invalid mode: bogus$|invalid mode: bogus/);
  assert.throws(() => parseBind('/tmp/a:/x:ro,rw'), /invalid mode: ro,rw/);
  assert.throws(() => parseBind('a:b:c:d'), /invalid volume specification: 'a:b:c:d'/);
});
