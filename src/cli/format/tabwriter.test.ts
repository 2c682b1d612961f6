/**
 * TabWriter against Go's text/tabwriter: each expectation below is what Go's
 * writer printed for the same input and settings (go1.19), plus real
 * `docker ps` / `docker images` headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALIGN_RIGHT, DEBUG, DISCARD_EMPTY_COLUMNS, stringWidth, TAB_INDENT, TabWriter } from './tabwriter.ts';

const DOCKER = [10, 1, 3, ' ', 0] as const;

const CASES: ReadonlyArray<readonly [string, readonly [number, number, number, string, number], string, string]> = [
  ['docker ps header', DOCKER, 'CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n',
    'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n'],
  ['header and a row', DOCKER, 'CONTAINER ID\tIMAGE\tCOMMAND\n0123456789ab\tbusybox\t"sh"\n',
    'CONTAINER ID   IMAGE     COMMAND\n0123456789ab   busybox   "sh"\n'],
  ['an empty line ends the column block', DOCKER, 'a\tb\tc\naa\tbbbbbbbbbbbbbbb\tc\n\nx\ty\n',
    'a         b                 c\naa        bbbbbbbbbbbbbbb   c\n\nx         y\n'],
  ['no tabs', DOCKER, 'no tabs at all\nsecond\n', 'no tabs at all\nsecond\n'],
  ['unterminated last line', DOCKER, 'a\tb\nc', 'a         b\nc'],
  ['the package doc example', DOCKER, 'aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n',
    'aaaa      bbb       d\naa        b         dd\na         \naa        cccc      eee\n'],
  ['leading empty cells', DOCKER, '\tindented\n\t\tmore\n', '          indented\n                    more\n'],
  ['pad character', [0, 8, 1, '.', 0], 'a\tb\tc\naaa\tbbbb\tc\n', 'a...b....c\naaa.bbbb.c\n'],
  ['align right', [5, 0, 1, '-', ALIGN_RIGHT], 'a\tb\tc\naaa\tbbbb\tc\n', '----a----bc\n--aaa-bbbbc\n'],
  ['tab padding', [0, 8, 1, '\t', 0], 'a\tb\tc\naaa\tbbbbbbbbbb\tc\n', 'a\tb\t\tc\naaa\tbbbbbbbbbb\tc\n'],
  ['discard empty soft columns', [0, 4, 1, ' ', DISCARD_EMPTY_COLUMNS], 'a\v\vb\nc\v\vd\n', 'a b\nc d\n'],
  ['debug bars and form feed', [0, 4, 1, ' ', DEBUG], 'a\tb\tc\nd\te\tf\n\fx\ty\n', 'a |b |c\nd |e |f\n\n---\nx |y\n'],
  ['tab indent', [0, 4, 1, '.', TAB_INDENT], '\t\tx\ty\n\tz\tw\n', '\t\tx.y\n\tz.w\n'],
  ['widths count runes', DOCKER, 'héllo\twörld\tx\nab\tc\td\n', 'héllo     wörld     x\nab        c         d\n'],
];

for (const [name, [minwidth, tabwidth, padding, padchar, flags], input, expected] of CASES) {
  test(`tabwriter: ${name}`, () => {
    const whole = new TabWriter(minwidth, tabwidth, padding, padchar, flags);
    whole.write(input);
    assert.equal(whole.flush(), expected);
    // Writing in pieces gives the same result.
    const pieces = new TabWriter(minwidth, tabwidth, padding, padchar, flags);
    for (const ch of input) pieces.write(ch);
    assert.equal(pieces.flush(), expected);
  });
}

test('flush returns only new output and the writer is reusable', () => {
  const tw = new TabWriter(...DOCKER);
  tw.write('a\tb\n');
  assert.equal(tw.flush(), 'a         b\n');
  tw.write('ccc\td\n');
  assert.equal(tw.flush(), 'ccc       d\n');
});

test('East Asian wide runes take two columns, as go-runewidth counts them', () => {
  assert.equal(stringWidth('日本'), 4);
  assert.equal(stringWidth('e\u0301'), 1);
  const tw = new TabWriter(0, 1, 1, ' ', 0);
  tw.write('日本\tx\nab\ty\n');
  assert.equal(tw.flush(), '日本 x\nab   y\n');
});

test('negative settings are refused', () => {
  assert.throws(() => new TabWriter(-1, 1, 1, ' ', 0), RangeError);
});
