import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specToJson } from './serialize.ts';

test('unlimited rlimits are written as the exact uint64 runc wants; others as they are', () => {
  const text = specToJson({ process: { rlimits: [{ type: 'RLIMIT_CORE', soft: -1, hard: -1 }, { type: 'RLIMIT_NOFILE', soft: 10, hard: 2 ** 64 }] }, other: { soft: 5 } });
  assert.equal(text, '{"process":{"rlimits":[{"type":"RLIMIT_CORE","soft":18446744073709551615,"hard":18446744073709551615},{"type":"RLIMIT_NOFILE","soft":10,"hard":18446744073709551615}]},"other":{"soft":5}}');
});
