import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RETRY, isRetryable, registryErrorFrom } from './registry-client.ts';
import { describeNetError } from './http.ts';

test('registry errors read as docker/distribution prints them', () => {
  const e = registryErrorFrom(404, 'Not Found', Buffer.from('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}'));
  assert.equal(e.message, 'manifest unknown: manifest unknown');
  assert.equal(e.hasCode('MANIFEST_UNKNOWN'), true);
  assert.equal(registryErrorFrom(401, 'Unauthorized', Buffer.alloc(0)).message, 'unauthorized: authentication required');
  assert.equal(registryErrorFrom(502, 'Bad Gateway', Buffer.from('oops')).message, 'unexpected status code 502 Bad Gateway: oops');
});

test('5xx, 429 and resets are retried with a doubling, capped back-off', () => {
  assert.equal(isRetryable(registryErrorFrom(503, '', Buffer.alloc(0))), true);
  assert.equal(isRetryable(registryErrorFrom(429, '', Buffer.alloc(0))), true);
  assert.equal(isRetryable(registryErrorFrom(404, '', Buffer.alloc(0))), false);
  assert.equal(isRetryable(describeNetError('GET', 'http://h:1/v2/', Object.assign(new Error('x'), { code: 'ECONNRESET' }))), true);
  assert.equal(isRetryable(describeNetError('GET', 'http://h:1/v2/', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))), false);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(DEFAULT_RETRY, n)), [250, 500, 1000, 2000, 4000, 4000]);
});

test('network errors are worded as Go words them', () => {
  assert.equal(describeNetError('GET', 'https://127.0.0.1:5999/v2/', Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).message, 'Get "https://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused');
  assert.match(describeNetError('GET', 'https://nosuch.invalid/v2/', Object.assign(new Error('x'), { code: 'ENOTFOUND' })).message, /^Get "https:\/\/nosuch.invalid\/v2\/": dial tcp: lookup nosuch.invalid( on \S+:53)?: no such host$/);
});
