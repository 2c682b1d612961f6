import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asDiffId, chainId, chainIds, digestHex, parseDigest, sha256Digest, sha256Hex } from './digest.ts';
import { InvalidParameterError } from '../util/errors.ts';

test('sha256 helpers hash like sha256sum', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Digest('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(digestHex(sha256Digest('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('chain IDs follow the OCI config spec', () => {
  const a = asDiffId(sha256Digest('a'));
  const b = asDiffId(sha256Digest('b'));
  const c = asDiffId(sha256Digest('c'));
  assert.equal(chainId([]), undefined);
  assert.equal(chainId([a]), a);
  const ab = sha256Digest(`${a} ${b}`);
  assert.equal(chainId([a, b]), ab);
  assert.deepEqual(chainIds([a, b, c]), [a, ab, sha256Digest(`${ab} ${c}`)]);
});

test('digests are validated', () => {
  const table: [string, boolean][] = [
    ['sha256:' + '0'.repeat(64), true],
    ['sha256:' + '0'.repeat(63), false],
    ['sha256:' + 'A'.repeat(64), false],
    ['md5:abc', false],
    ['nope', false],
  ];
  for (const [value, ok] of table) {
    if (ok) assert.equal(parseDigest(value), value);
    else assert.throws(() => parseDigest(value), InvalidParameterError, value);
  }
});
