import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigest, isValidName, isValidTag, paginate, parseContentRange, parseCount, parseRangeHeader, parseRoute, uploadRange } from './protocol.ts';

const HEX = 'a'.repeat(64);

test('repository names follow the spec grammar', () => {
  const good = ['a', 'library/busybox', 'a.b', 'a_b', 'a__b', 'a-b', 'a---b', 'x/y/z', 'conformance/repo', '0abc/d9'];
  const bad = ['', 'A', 'Upper/case', 'a/', '/a', 'a//b', '_a', 'a_', 'a___b', 'a..b', 'a.-b', '-a', 'a b', 'a:b', 'a'.repeat(256)];
  for (const n of good) assert.equal(isValidName(n), true, n);
  for (const n of bad) assert.equal(isValidName(n), false, n);
});

test('tags follow the spec grammar', () => {
  for (const t of ['latest', 'v1.0', '_x', 'A-b_c.d', 'a'.repeat(128)]) assert.equal(isValidTag(t), true, t);
  for (const t of ['', '.x', '-x', 'a:b', 'a/b', 'a'.repeat(129)]) assert.equal(isValidTag(t), false, t);
});

test('digests: sha256 served, other algorithms unsupported, garbage invalid', () => {
  assert.equal(checkDigest(`sha256:${HEX}`), 'ok');
  assert.equal(checkDigest(`sha512:${'b'.repeat(128)}`), 'unsupported');
  assert.equal(checkDigest('sha256:short'), 'invalid');
  assert.equal(checkDigest(`sha256:${'A'.repeat(64)}`), 'invalid');
  assert.equal(checkDigest('nonsense'), 'invalid');
});

test('routes: the name may contain the words of the routes', () => {
  const table: [string, unknown][] = [
    ['/v2/', { kind: 'base' }],
    ['/v2', { kind: 'base' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/v2/a/b/manifests/latest', { kind: 'manifest', name: 'a/b', reference: 'latest' }],
    [`/v2/a/manifests/sha256:${HEX}`, { kind: 'manifest', name: 'a', reference: `sha256:${HEX}` }],
    [`/v2/a/blobs/sha256:${HEX}`, { kind: 'blob', name: 'a', digest: `sha256:${HEX}` }],
    ['/v2/a/blobs/uploads/', { kind: 'uploads', name: 'a' }],
    ['/v2/a/blobs/uploads', { kind: 'uploads', name: 'a' }],
    ['/v2/a/blobs/uploads/123-abc', { kind: 'upload', name: 'a', id: '123-abc' }],
    ['/v2/blobs/manifests/manifests/x', { kind: 'manifest', name: 'blobs/manifests', reference: 'x' }],
    ['/v2/a/tags/list', { kind: 'tags', name: 'a' }],
    [`/v2/a/referrers/sha256:${HEX}`, { kind: 'referrers', name: 'a', digest: `sha256:${HEX}` }],
    ['/v2/a/other/x', undefined],
    ['/v1/_ping', undefined],
  ];
  for (const [p, want] of table) assert.deepEqual(parseRoute(p), want, p);
});

test('Range headers of blob GETs', () => {
  const table: [string | undefined, number, unknown][] = [
    [undefined, 10, undefined],
    ['bytes=0-4', 10, { start: 0, end: 4 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=5-100', 10, { start: 5, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=0-0', 0, 'unsatisfiable'],
    ['bytes=4-2', 10, undefined],
    ['items=0-1', 10, undefined],
    ['bytes=0-1,3-4', 10, undefined],
  ];
  for (const [h, size, want] of table) assert.deepEqual(parseRangeHeader(h, size), want, `${h} / ${size}`);
});

test('Content-Range of upload chunks', () => {
  assert.deepEqual(parseContentRange('0-99'), { start: 0, end: 99 });
  assert.deepEqual(parseContentRange('bytes 100-199/*'), { start: 100, end: 199 });
  assert.deepEqual(parseContentRange('bytes=5-9/10'), { start: 5, end: 9 });
  assert.equal(parseContentRange('9-5'), undefined);
  assert.equal(parseContentRange('abc'), undefined);
  assert.equal(uploadRange(0), '0-0');
  assert.equal(uploadRange(100), '0-99');
});

test('pagination with n and last', () => {
  const tags = ['a', 'b', 'c', 'd', 'e'];
  assert.deepEqual(paginate(tags, undefined, undefined), { items: tags });
  assert.deepEqual(paginate(tags, 2, undefined), { items: ['a', 'b'], next: 'b' });
  assert.deepEqual(paginate(tags, 2, 'b'), { items: ['c', 'd'], next: 'd' });
  assert.deepEqual(paginate(tags, 2, 'd'), { items: ['e'] });
  assert.deepEqual(paginate(tags, 5, undefined), { items: tags });
  assert.deepEqual(paginate(tags, 0, undefined), { items: [] });
  assert.deepEqual(paginate(tags, undefined, 'c'), { items: ['d', 'e'] });
  assert.deepEqual(paginate(tags, 3, 'bb'), { items: ['c', 'd', 'e'] });
  assert.equal(parseCount(null), undefined);
  assert.equal(parseCount('10'), 10);
  assert.ok(Number.isNaN(parseCount('-1')));
  assert.ok(Number.isNaN(parseCount('x')));
});
