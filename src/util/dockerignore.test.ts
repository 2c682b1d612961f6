import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternMatcher, cleanPath, matchesPatterns, parseDockerignore, trimBuildFilesFromExcludes, type MatchInfo } from './dockerignore.ts';

// moby/patternmatcher's table (TestMatches): pattern, path, excluded.
const SINGLE: Array<[string, string, boolean]> = [
  ['**', 'file', true], ['**', 'file/', true], ['**/', 'file', true], ['**/', 'file/', true], ['**', '/', true],
  ['**/', '/', true], ['**', 'dir/file', true], ['**/', 'dir/file', true], ['**', 'dir/file/', true],
  ['**/', 'dir/file/', true], ['**/**', 'dir/file', true], ['**/**', 'dir/file/', true], ['dir/**', 'dir/file', true],
  ['dir/**', 'dir/file/', true], ['dir/**', 'dir/dir2/file', true], ['dir/**', 'dir/dir2/file/', true],
  ['**/dir', 'dir', true], ['**/dir', 'dir/file', true], ['**/dir2/*', 'dir/dir2/file', true],
  ['**/dir2/*', 'dir/dir2/file/', true], ['**/dir2/**', 'dir/dir2/dir3/file', true],
  ['**/dir2/**', 'dir/dir2/dir3/file/', true], ['**file', 'file', true], ['**file', 'dir/file', true],
  ['**/file', 'dir/file', true], ['**file', 'dir/dir/file', true], ['**/file', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file', true], ['**/file*', 'dir/dir/file.txt', true], ['**/file*txt', 'dir/dir/file.txt', true],
  ['**/file*.txt', 'dir/dir/file.txt', true], ['**/file*.txt*', 'dir/dir/file.txt', true],
  ['**/**/*.txt', 'dir/dir/file.txt', true], ['**/**/*.txt2', 'dir/dir/file.txt', false], ['**/*.txt', 'file.txt', true],
  ['**/**/*.txt', 'file.txt', true], ['a**/*.txt', 'a/file.txt', true], ['a**/*.txt', 'a/dir/file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true], ['a/*.txt', 'a/dir/file.txt', false], ['a/*.txt', 'a/file.txt', true],
  ['a/*.txt**', 'a/file.txt', true], ['a[b-d]e', 'ae', false], ['a[b-d]e', 'ace', true], ['a[b-d]e', 'aae', false],
  ['a[^b-d]e', 'aze', true], ['.*', '.foo', true], ['.*', 'foo', false], ['abc.def', 'abcdef', false],
  ['abc.def', 'abc.def', true], ['abc.def', 'abcZdef', false], ['abc?def', 'abcZdef', true], ['abc?def', 'abcdef', false],
  ['a\\\\', 'a\\', true], ['**/foo/bar', 'foo/bar', true], ['**/foo/bar', 'dir/foo/bar', true],
  ['**/foo/bar', 'dir/dir2/foo/bar', true], ['abc/**', 'abc', false], ['abc/**', 'abc/def', true],
  ['abc/**', 'abc/def/ghi', true], ['**/.foo', '.foo', true], ['**/.foo', 'bar.foo', false],
  ['a(b)c/def', 'a(b)c/def', true], ['a(b)c/def', 'a(b)c/xyz', false], ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
  ['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true], ['a\\*b', 'a*b', true],
  // Go filepath.Match cases (TestMatch) the matcher shares.
  ['abc', 'abc', true], ['*', 'abc', true], ['*c', 'abc', true], ['a*', 'a', true], ['a*', 'ab/c', true],
  ['a*/b', 'abc/b', true], ['a*/b', 'a/c/b', false], ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false], ['a*b?c*x', 'abxbbxdbxebxczzx', true], ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[^c]', 'abc', false], ['ab[^e-g]', 'abc', true], ['a\\*b', 'ab', false], ['a?b', 'a☺b', true],
  ['a???b', 'a☺b', false], ['[a-ζ]*', 'α', true], ['*[a-ζ]', 'A', false], ['a?b', 'a/b', false], ['a*b', 'a/b', false],
  ['[\\]a]', ']', true], ['[\\-]', '-', true], ['[x\\-]', 'z', false], ['*x', 'xxx', true],
  // A pattern that matches a parent directory excludes what is under it.
  ['docs', 'docs/README.md', true], ['docs/', 'docs/a/b', true], ['doc', 'docs/a', false],
];

const MULTI: Array<[string[], string, boolean]> = [
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  // The reference's examples: the last match wins.
  [['*.md', '!README.md'], 'README.md', false],
  [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
  [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
  [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
  [['*/temp*'], 'somedir/temporary.txt', true], [['*/temp*'], 'somedir/temp', true], [['*/temp*'], 'temp', false],
  [['*/*/temp*'], 'somedir/subdir/temporary.txt', true], [['*/*/temp*'], 'somedir/temporary.txt', false],
  [['temp?'], 'tempa', true], [['temp?'], 'tempab', false], [['**/*.go'], 'a/b/c.go', true],
];

/** The matcher as the tar walk uses it: parent results threaded down. */
function walkMatch(pm: PatternMatcher, path: string): boolean {
  const dirs = path.split('/').slice(0, -1);
  let info: MatchInfo | undefined;
  for (let i = 0; i < dirs.length; i++) info = pm.matchesUsingParentResults(dirs.slice(0, i + 1).join('/'), info).info;
  return pm.matchesUsingParentResults(path, info).matched;
}

test('patterns match as moby/patternmatcher does, through every entry point', () => {
  for (const [pattern, path, want] of SINGLE) {
    const pm = new PatternMatcher([pattern]);
    assert.equal(pm.matchesOrParentMatches(path), want, `${pattern} ${path}`);
    assert.equal(pm.matchesUsingParentResults(path).matched, want, `no parent info: ${pattern} ${path}`);
    if (!path.endsWith('/') && path !== '/') assert.equal(walkMatch(pm, path), want, `walk: ${pattern} ${path}`);
  }
  for (const [patterns, path, want] of MULTI) {
    const pm = new PatternMatcher(patterns);
    assert.equal(pm.matchesOrParentMatches(path), want, `${patterns.join(' ')} ${path}`);
    assert.equal(walkMatch(pm, path), want, `walk: ${patterns.join(' ')} ${path}`);
  }
});

test('classic Matches compares parents only to the pattern\'s depth', () => {
  assert.equal(new PatternMatcher(['docs']).matches('docs/a/b'), true);
  assert.equal(new PatternMatcher(['*/b']).matches('a/b/c/d'), true);
  assert.equal(new PatternMatcher(['b']).matches('a/b/c'), false);
  assert.equal(matchesPatterns('.', ['*']), false);
  assert.equal(matchesPatterns('./x/../fileutils.go', ['*.go']), true);
});

test('bad patterns are refused', () => {
  for (const bad of ['[', '[^', '[^bc', 'a[', '[]a]', '[-]', '[x-]', '[-x]', '\\', '[a-b-c]']) {
    assert.throws(() => new PatternMatcher([bad]), { message: 'syntax error in pattern' }, bad);
  }
  assert.throws(() => new PatternMatcher(['!']), { message: 'illegal exclusion pattern: "!"' });
  assert.doesNotThrow(() => new PatternMatcher(['[\\]a]', '[x\\-]', 'a[b-d]e', '', '  ']));
});

test('.dockerignore files read as the Docker CLI reads them', () => {
  const cases: Array<[string, string[]]> = [
    ['# comment\n\n*.md\n  !README.md  \n', ['*.md', '!README.md']],
    ['\ufeff/a/b\r\n./c/../d/\n!/e\n! f \n', ['a/b', 'd', '!e', '!f']],
    [' # not a comment\n', ['# not a comment']],
    ['/\n.\n**\n', ['/', '.', '**']],
    ['', []],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseDockerignore(text), want, JSON.stringify(text));
});

test('an excluded directory is walked only when an exception names something below it', () => {
  const pm = new PatternMatcher(parseDockerignore('node_modules\nbuild\n!build/keep.txt\nlogs/**\n'));
  assert.equal(pm.matchesOrParentMatches('build'), true);
  assert.equal(pm.mustWalk('build'), true);
  assert.equal(pm.mustWalk('node_modules'), false);
  assert.equal(pm.mustWalk('logs'), false);
  assert.equal(pm.matchesOrParentMatches('build/keep.txt'), false);
  assert.equal(pm.matchesOrParentMatches('build/other'), true);
  assert.equal(new PatternMatcher(['a']).mustWalk('a'), false);
  assert.equal(new PatternMatcher(['a', '!a/b/c']).mustWalk('a/b'), true);
  assert.equal(new PatternMatcher(['a', '!a/b/c']).mustWalk('a/bc'), false);
});

test('the Dockerfile and .dockerignore stay in the context', () => {
  assert.deepEqual(trimBuildFilesFromExcludes(['*'], 'Dockerfile', false), ['*', '!.dockerignore', '!Dockerfile']);
  assert.deepEqual(trimBuildFilesFromExcludes(['*'], 'Dockerfile', true), ['*', '!.dockerignore']);
  assert.deepEqual(trimBuildFilesFromExcludes(['*.md'], 'sub/Dockerfile', false), ['*.md']);
  assert.deepEqual(trimBuildFilesFromExcludes(['sub'], 'sub/Dockerfile', false), ['sub', '!sub/Dockerfile']);
});

test('paths clean as Go\'s path.Clean', () => {
  const cases: Array<[string, string]> = [
    ['', '.'], ['a/b/', 'a/b'], ['./a', 'a'], ['a/../..', '..'], ['/../a', '/a'], ['a//b/./c/..', 'a/b'], ['/', '/'],
  ];
  for (const [p, want] of cases) assert.equal(cleanPath(p), want, p);
});

test('a context walk keeps what the Docker CLI sends', () => {
  const tree: Record<string, string[]> = {
    '': ['Dockerfile', 'README.md', 'build', 'docs', 'node_modules', 'src'],
    build: ['keep.txt', 'out.o'], docs: ['a.md', 'sub'], 'docs/sub': ['b.md'], node_modules: ['x'], src: ['main.go', 'gen'], 'src/gen': ['z.go'],
  };
  const pm = new PatternMatcher(parseDockerignore('*.md\nbuild\n!build/keep.txt\nnode_modules\nsrc/gen\n!docs/sub/b.md\n'));
  const sent: string[] = [];
  const visit = (dir: string, info: MatchInfo | undefined) => {
    for (const name of tree[dir] ?? []) {
      const rel = dir === '' ? name : `${dir}/${name}`;
      const isDir = rel in tree;
      const step = pm.walk(rel, isDir, info);
      if (step.include) sent.push(rel);
      if (step.descend) visit(rel, step.info);
    }
  };
  visit('', undefined);
  // `*.md` is top-level only: docs/a.md is sent.
  assert.deepEqual(sent, ['Dockerfile', 'build/keep.txt', 'docs', 'docs/a.md', 'docs/sub', 'docs/sub/b.md', 'src', 'src/main.go']);
});
