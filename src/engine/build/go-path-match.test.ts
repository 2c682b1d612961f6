import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goPathMatch, hasWildcards } from './go-path-match.ts';

// Cases of Go's path/filepath match_test.go (malformed patterns match nothing), plus separators.
const CASES: [string, string, boolean][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false],
  ['[-]', '-', false],
  ['[x-]', 'x', false],
  ['[-x]', 'x', false],
  ['\\', 'a', false],
  ['[a-b-c]', 'a', false],
  ['[', 'a', false],
  ['[^', 'a', false],
  ['[^bc', 'a', false],
  ['a[', 'ab', false],
  ['*x', 'xxx', true],
  ['[/]', '/', false],
  ['*/*.txt', 'dir/a.txt', true],
  ['*.txt', 'dir/a.txt', false],
];

test('goPathMatch follows Go filepath.Match', () => {
  for (const [pattern, name, want] of CASES) assert.equal(goPathMatch(pattern, name), want, `${pattern} ~ ${name}`);
});

test('hasWildcards sees *, ? and [ unless escaped', () => {
  assert.equal(hasWildcards('a.txt'), false);
  assert.equal(hasWildcards('*.txt'), true);
  assert.equal(hasWildcards('a?'), true);
  assert.equal(hasWildcards('[ab]'), true);
  assert.equal(hasWildcards('a\\*b'), false);
});
