import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDotenv } from './dotenv.ts';

test('parseDotenv reads compose .env syntax', () => {
  const cases: [string, Record<string, string>][] = [
    ['A=1\nB=two', { A: '1', B: 'two' }],
    ['# comment\n\nA=1 # trailing\nB=x# not a comment', { A: '1', B: 'x# not a comment' }],
    ['export A=1\nexport  B="q"', { A: '1', B: 'q' }],
    ["A='$OTHER'\nB='${X}'", { A: '$OTHER', B: '${X}' }],
    ['A="VAL # not a comment"\nB="VAL" # comment', { A: 'VAL # not a comment', B: 'VAL' }],
    [String.raw`A='Let\'s go!'`, { A: "Let's go!" }],
    [String.raw`A="{\"hello\": \"json\"}"`, { A: '{"hello": "json"}' }],
    [String.raw`A="some\tvalue"` + '\n' + String.raw`B='some\tvalue'` + '\n' + String.raw`C=some\tvalue`, { A: 'some\tvalue', B: String.raw`some\tvalue`, C: String.raw`some\tvalue` }],
    ['A="line1\nline2"\nB=after', { A: 'line1\nline2', B: 'after' }],
    ['A=1\nB=${A}-x\nC="$A$A"\nD=${UNSET:-d}', { A: '1', B: '1-x', C: '11', D: 'd' }],
    ['EMPTY=\nSPACED =  v  ', { EMPTY: '', SPACED: 'v' }],
    ['A: 1', { A: '1' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseDotenv(text), want, text);
});

test('a bare VAR takes its value from the environment, and the environment wins in ${}', () => {
  const env: Record<string, string> = { HOME: '/root', A: 'env' };
  assert.deepEqual(parseDotenv('HOME\nMISSING\nA=file\nB=$A', { lookup: (n) => env[n] }), { HOME: '/root', A: 'file', B: 'env' });
});

test('raw format keeps values as written', () => {
  assert.deepEqual(parseDotenv('A="q $X"\nB=1 # c', { raw: true }), { A: '"q $X"', B: '1 # c' });
});

test('bad lines are errors naming the line', () => {
  assert.throws(() => parseDotenv('A=1\nB C=2'), { message: 'line 2: key cannot contain a space' });
  assert.throws(() => parseDotenv('A="open'), { message: 'line 1: unterminated quoted value "open' });
  assert.throws(() => parseDotenv('A$=1'), /unexpected character "\$" in variable name/);
});
