import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { filesystemOf, hasNoOptions, validateLocalOptions, validateVolumeName } from './local-driver.ts';

const INVALID_CHARS = (n: string) =>
  `create ${n}: ${JSON.stringify(n)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`;

test('volume names: two characters at least, a letter or digit first, then letters, digits, _ . -', () => {
  for (const ok of ['ab', 'a1', '1a', 'my_vol.v-2', 'A.']) assert.doesNotThrow(() => validateVolumeName(ok), ok);
  const cases: Array<[string, string]> = [
    ['a', 'create a: volume name is too short, names should be at least two alphanumeric characters'],
    ['-', 'create -: volume name is too short, names should be at least two alphanumeric characters'],
    ['a/b', INVALID_CHARS('a/b')],
    ['.ab', INVALID_CHARS('.ab')],
    ['_ab', INVALID_CHARS('_ab')],
    ['a b', INVALID_CHARS('a b')],
    ['/abs', INVALID_CHARS('/abs')],
    ['é1', INVALID_CHARS('é1')],
  ];
  for (const [name, message] of cases) assert.throws(() => validateVolumeName(name), { name: 'InvalidParameterError', message }, name);
});

test('local driver options: the allowed keys, the ones they need, and size', () => {
  const oks: Array<Record<string, string> | null | undefined> = [undefined, null, {}, { type: 'tmpfs', device: 'tmpfs' }, { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }, { size: '0' }];
  for (const ok of oks) {
    assert.doesNotThrow(() => validateLocalOptions('v', ok), JSON.stringify(ok));
  }
  const cases: Array<[Record<string, string>, string, typeof InvalidParameterError | typeof SystemError]> = [
    [{ x: '1' }, 'create v: invalid option: "x"', InvalidParameterError],
    [{ type: 'tmpfs', device: 'tmpfs', bogus: '' }, 'create v: invalid option: "bogus"', InvalidParameterError],
    [{ type: 'tmpfs' }, 'create v: missing required option: "device"', InvalidParameterError],
    [{ device: '/dev/x' }, 'create v: missing required option: "type"', InvalidParameterError],
    [{ o: 'bind' }, 'create v: missing required option: "device"', InvalidParameterError],
    [{ o: 'bind', device: '/x' }, 'create v: missing required option: "type"', InvalidParameterError],
    [{ size: 'lots' }, "create v: invalid size: 'lots'", SystemError],
    [{ size: '1g' }, 'create v: quota size requested but no quota support', InvalidParameterError],
  ];
  for (const [options, message, kind] of cases) {
    assert.throws(() => validateLocalOptions('v', options), (err: Error) => err instanceof kind && err.message === message, JSON.stringify(options));
  }
});

test('the filesystem a volume mounts, and which volumes system df counts', () => {
  assert.equal(filesystemOf(null), undefined);
  assert.equal(filesystemOf({}), undefined);
  assert.equal(filesystemOf({ size: '0' }), undefined);
  assert.deepEqual(filesystemOf({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }), { type: 'tmpfs', device: 'tmpfs', options: 'size=1m' });
  assert.deepEqual(filesystemOf({ type: 'none', device: '/src', o: 'bind' }), { type: 'none', device: '/src', options: 'bind' });
  assert.deepEqual(filesystemOf({ type: 'ext4', device: '/dev/sdb1' }), { type: 'ext4', device: '/dev/sdb1', options: '' });
  assert.equal(hasNoOptions(null), true);
  assert.equal(hasNoOptions({}), true);
  assert.equal(hasNoOptions({ size: '0' }), false);
});
