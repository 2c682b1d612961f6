import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitute } from './template.ts';

const env: Record<string, string> = { FOO: 'foo', EMPTY: '', BAR: 'bar' };
const lookup = (n: string) => env[n];

test('substitute follows compose-go for every operator', () => {
  const cases: [string, string][] = [
    ['$FOO', 'foo'],
    ['${FOO}', 'foo'],
    ['x${FOO}y$BAR.z', 'xfooybar.z'],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${FOO:-def}', 'foo'],
    ['${FOO:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${BAR}}', 'bar'],
    ['${UNSET:-${UNSET2:-deep}}-after', 'deep-after'],
    ['$$FOO', '$FOO'],
    ['$${FOO}', '${FOO}'],
    ['cost: 5$', 'cost: 5$'],
    ['$1 and $ alone', '$1 and $ alone'],
    ['${UNSET}', ''],
    ['${FOO?err}', 'foo'],
    ['${EMPTY?err}', ''],
  ];
  for (const [input, want] of cases) assert.equal(substitute(input, lookup), want, input);
});

test('required variables fail with compose words', () => {
  const cases: [string, string][] = [
    ['${UNSET:?is needed}', 'required variable UNSET is missing a value: is needed'],
    ['${EMPTY:?empty too}', 'required variable EMPTY is missing a value: empty too'],
    ['${UNSET?}', 'required variable UNSET is missing a value'],
    ['${UNSET?need $FOO}', 'required variable UNSET is missing a value: need foo'],
  ];
  for (const [input, msg] of cases) assert.throws(() => substitute(input, lookup), { message: msg }, input);
});

test('malformed templates are invalid', () => {
  for (const input of ['${', '${}', '${FOO', '${1X}', '${FOO/a/b}', '${FOO!}']) {
    assert.throws(() => substitute(input, lookup), { message: `Invalid template: ${JSON.stringify(input)}` }, input);
  }
});

test('unset variables are reported once each use', () => {
  const seen: string[] = [];
  substitute('$A ${B} ${C:-x}', lookup, { onUnset: (n) => seen.push(n) });
  assert.deepEqual(seen, ['A', 'B']);
});
