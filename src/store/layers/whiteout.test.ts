import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEntry, cleanEntryPath, major, makedev, minor, opaqueName, whiteoutName } from './whiteout.ts';
import { InvalidParameterError } from '../../util/errors.ts';

test('tar names classify into entries, whiteouts and opaque markers', () => {
  const table: [string, ReturnType<typeof classifyEntry>][] = [
    ['./', { kind: 'root' }],
    ['/', { kind: 'root' }],
    ['etc/passwd', { kind: 'entry', path: 'etc/passwd' }],
    ['./etc/', { kind: 'entry', path: 'etc' }],
    ['/abs/file', { kind: 'entry', path: 'abs/file' }],
    ['a/./b/../c', { kind: 'entry', path: 'a/c' }],
    ['etc/.wh.passwd', { kind: 'whiteout', path: 'etc/passwd' }],
    ['.wh.top', { kind: 'whiteout', path: 'top' }],
    ['var/lib/.wh..wh..opq', { kind: 'opaque', dir: 'var/lib' }],
    ['.wh..wh..opq', { kind: 'opaque', dir: '.' }],
    ['x/.wh..wh.plnk', { kind: 'meta' }],
  ];
  for (const [name, want] of table) assert.deepEqual(classifyEntry(name), want, name);
});

test('names that climb out of the layer root are rejected', () => {
  for (const name of ['../x', 'a/../../x', '..', './..']) {
    assert.throws(() => cleanEntryPath(name), InvalidParameterError, name);
  }
  assert.throws(() => classifyEntry('a/.wh..'), InvalidParameterError);
});

test('whiteout names are the inverse of classification', () => {
  for (const p of ['a', 'etc/passwd', 'a/b/c']) {
    assert.deepEqual(classifyEntry(whiteoutName(p)), { kind: 'whiteout', path: p });
  }
  assert.deepEqual(classifyEntry(opaqueName('var/lib')), { kind: 'opaque', dir: 'var/lib' });
});

test('device numbers encode like glibc makedev', () => {
  const table: [number, number, number][] = [
    [0, 0, 0],
    [1, 3, 0x103],
    [136, 5, 0x8805],
    [259, 1048575, 0xfff103ff],
  ];
  for (const [ma, mi, dev] of table) {
    assert.equal(makedev(ma, mi), dev);
    assert.equal(major(dev), ma);
    assert.equal(minor(dev), mi);
  }
});
