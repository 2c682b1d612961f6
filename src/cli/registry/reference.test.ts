import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familiarNamed, formatNamed, isNameOnly, parseNamed } from './reference.ts';

test('references normalise as docker normalises them', () => {
  const cases: [string, string, string, boolean][] = [
    ['busybox', 'docker.io/library/busybox', 'busybox', true],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox', false],
    ['a/b', 'docker.io/a/b', 'a/b', true],
    ['index.docker.io/library/x:y', 'docker.io/library/x:y', 'x', false],
    ['localhost/x', 'localhost/x', 'localhost/x', true],
    ['127.0.0.1:5000/a/b:v1', '127.0.0.1:5000/a/b:v1', '127.0.0.1:5000/a/b', false],
    [`r.example.com/x@sha256:${'a'.repeat(64)}`, `r.example.com/x@sha256:${'a'.repeat(64)}`, 'r.example.com/x', false],
  ];
  for (const [input, full, familiar, nameOnly] of cases) {
    const ref = parseNamed(input);
    assert.equal(formatNamed(ref), full, input);
    assert.equal(familiarNamed(ref), familiar, input);
    assert.equal(isNameOnly(ref), nameOnly, input);
  }
});

test('invalid references fail with docker words', () => {
  assert.throws(() => parseNamed('a:b:c'), /^Error: invalid reference format$/);
  assert.throws(() => parseNamed('Busybox'), { message: 'invalid reference format: repository name (library/Busybox) must be lowercase' });
  assert.throws(() => parseNamed('a/Bc:v1'), { message: 'invalid reference format: repository name (a/Bc) must be lowercase' });
  // An upper-case first component is a registry host to docker, and a valid one.
  assert.equal(formatNamed(parseNamed('UPPER/case')), 'UPPER/case');
  assert.throws(() => parseNamed('a'.repeat(64)), /cannot specify 64-byte hexadecimal strings/);
});
