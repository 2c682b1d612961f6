import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, formatReference, parseNormalizedTagged, parseReference, parseTag } from './reference.ts';
import { InvalidParameterError } from '../util/errors.ts';

const D = 'sha256:' + 'a'.repeat(64);

test('references normalize the way Docker normalizes them', () => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox:x', 'docker.io/library/busybox:x', 'busybox:x'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['localhost:5000/a/b:tag', 'localhost:5000/a/b:tag', 'localhost:5000/a/b:tag'],
    ['example.com/a/b/c', 'example.com/a/b/c:latest', 'example.com/a/b/c:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`, `busybox:1@${D}`],
    ['a__b.c-d', 'docker.io/library/a__b.c-d:latest', 'a__b.c-d:latest'],
    ['Registry.Example:5000/x', 'Registry.Example:5000/x:latest', 'Registry.Example:5000/x:latest'],
  ];
  for (const [input, full, familiar] of cases) {
    const ref = parseNormalizedTagged(input);
    assert.equal(formatReference(ref), full, input);
    assert.equal(familiarName(ref), familiar, input);
  }
});

test('invalid references are rejected with Docker\'s messages', () => {
  const cases: [string, RegExp][] = [
    ['', /^invalid reference format$/],
    ['Busybox', /^invalid reference format: repository name must be lowercase$/],
    ['busy box', /^invalid reference format$/],
    ['busybox:', /^invalid reference format$/],
    ['-busybox', /^invalid reference format$/],
    ['busybox:tag:tag', /^invalid reference format$/],
    ['a/../b', /^invalid reference format$/],
    ['a'.repeat(64).replace(/a/g, 'f'), /cannot specify 64-byte hexadecimal strings/],
    ['x/' + 'a'.repeat(260), /must not be more than 255 characters/],
    [`busybox@sha256:${'a'.repeat(40)}`, /invalid checksum digest length/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseReference(input), (e: unknown) => e instanceof InvalidParameterError && message.test(e.message), input);
  }
});

test('tags are validated on their own', () => {
  assert.equal(parseTag('v1.0_x-y'), 'v1.0_x-y');
  assert.throws(() => parseTag('.bad'), InvalidParameterError);
  assert.throws(() => parseTag('a'.repeat(129)), InvalidParameterError);
});
