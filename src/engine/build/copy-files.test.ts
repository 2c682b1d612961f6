import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeDest, parseChecksum, parseChmod } from './copy-files.ts';
import { downloadName } from './add-url.ts';
import { isTarHeader } from './add-archive.ts';

test('normalizeDest makes a destination absolute under WORKDIR, keeping a trailing /', () => {
  const cases: [string, string, string][] = [
    ['/', '/x', '/x'],
    ['/', '/x/', '/x/'],
    ['/app', 'x', '/app/x'],
    ['/app', 'x/', '/app/x/'],
    ['/app', '.', '/app'],
    ['/app', './', '/app/'],
    ['/app/', '../y', '/y'],
  ];
  for (const [workdir, dest, want] of cases) assert.equal(normalizeDest(workdir, dest), want, `${workdir} + ${dest}`);
});

test('parseChmod takes octal up to 07777', () => {
  assert.equal(parseChmod('755'), 0o755);
  assert.equal(parseChmod('04755'), 0o4755);
  for (const bad of ['888', '17777', 'u+x', '']) assert.throws(() => parseChmod(bad), /invalid chmod parameter/);
});

test('parseChecksum accepts sha256 digests only, in go-digest words otherwise', () => {
  const good = `sha256:${'a'.repeat(64)}`;
  assert.equal(parseChecksum(good), good);
  assert.throws(() => parseChecksum('abc'), { message: 'invalid checksum digest format' });
  assert.throws(() => parseChecksum('md5:abc'), { message: 'unsupported digest algorithm' });
  assert.throws(() => parseChecksum('sha256:abc'), { message: 'invalid checksum digest length' });
});

test('downloadName: the last path segment, else Content-Disposition, else none', () => {
  assert.equal(downloadName('http://h/a/b.tar.gz?x=1#f', null), 'b.tar.gz');
  assert.equal(downloadName('http://h/a/with%20space', null), 'with space');
  assert.equal(downloadName('http://h/a/', 'attachment; filename="cd.txt"'), 'cd.txt');
  assert.equal(downloadName('http://h/', 'attachment; filename=plain.bin'), 'plain.bin');
  assert.equal(downloadName('http://h/', 'attachment; filename="../../evil"'), 'evil');
  assert.equal(downloadName('http://h/', null), '');
});

test('isTarHeader checks the header checksum and refuses a zero block', () => {
  const block = Buffer.alloc(512);
  assert.equal(isTarHeader(block), false);
  block.write('file.txt', 0, 'latin1');
  block.write('0000644\0', 100, 'latin1');
  block.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  assert.equal(isTarHeader(block), true);
  block[0] = 0x41;
  assert.equal(isTarHeader(block), false);
  assert.equal(isTarHeader(block.subarray(0, 100)), false);
});
