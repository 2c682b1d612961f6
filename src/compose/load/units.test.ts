import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration, parseSize } from './units.ts';
import { shellSplit } from './shell-split.ts';

test('durations parse and print as Go does', () => {
  const cases: [string, number, string][] = [
    ['30s', 30e9, '30s'],
    ['1m30s', 90e9, '1m30s'],
    ['1h', 3600e9, '1h0m0s'],
    ['1.5s', 1.5e9, '1.5s'],
    ['500ms', 500e6, '500ms'],
    ['10us', 10e3, '10µs'],
    ['2d', 2 * 86400e9, '48h0m0s'],
    ['0', 0, '0s'],
  ];
  for (const [text, ns, printed] of cases) {
    assert.equal(parseDuration(text), ns, text);
    assert.equal(formatDuration(ns), printed, text);
  }
  assert.throws(() => parseDuration('abc'), { message: 'time: invalid duration "abc"' });
});

test('sizes parse as go-units RAMInBytes', () => {
  const cases: [string | number, number][] = [['512m', 536870912], ['1g', 1073741824], ['1gb', 1073741824], ['64M', 67108864], ['1024', 1024], [2048, 2048], ['1.5k', 1536], ['-1', -1]];
  for (const [text, n] of cases) assert.equal(parseSize(text), n, String(text));
  assert.throws(() => parseSize('lots'), { message: "invalid size: 'lots'" });
});

test('command strings split as compose splits them', () => {
  const cases: [string, string[]][] = [
    ['echo hello world', ['echo', 'hello', 'world']],
    [`sh -c "echo \\"hi\\" && ls"`, ['sh', '-c', 'echo "hi" && ls']],
    [`echo 'a  b' c\\ d`, ['echo', 'a  b', 'c d']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`echo ""`, ['echo', '']],
    [`echo $HOME`, ['echo', '$HOME']],
  ];
  for (const [line, want] of cases) assert.deepEqual(shellSplit(line), want, line);
  assert.throws(() => shellSplit('echo "open'), { message: 'invalid command line string' });
});
