import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, HelpRequested, parseFlags, type FlagSpec } from './flags.ts';

const SPECS: FlagSpec[] = [
  { long: 'detach', short: 'd', type: 'bool', usage: '' },
  { long: 'interactive', short: 'i', type: 'bool', usage: '' },
  { long: 'tty', short: 't', type: 'bool', usage: '' },
  { long: 'env', short: 'e', type: 'list', usage: '' },
  { long: 'name', type: 'string', usage: '' },
  { long: 'last', short: 'n', type: 'int', usage: '', def: -1 },
  { long: 'memory', short: 'm', type: 'value', typeName: 'bytes', usage: '', parse: (r) => { if (!/^\d+$/.test(r)) throw new Error(`invalid size: '${r}'`); return Number(r); } },
];

test('combined shorthands, = and attached values parse as pflag does', () => {
  const f = parseFlags(SPECS, ['-dit', '-eA=1', '-e=B=2', '-e', 'C', '--env=D', '--name', 'x', 'img'], { interspersed: true });
  assert.equal(f.bool('detach') && f.bool('interactive') && f.bool('tty'), true);
  assert.deepEqual(f.list('env'), ['A=1', 'B=2', 'C', 'D']);
  assert.equal(f.str('name'), 'x');
  assert.deepEqual(f.args, ['img']);
});

test('a non-boolean flag takes the next argument even if it starts with -', () => {
  assert.equal(parseFlags(SPECS, ['--name', '-x'], { interspersed: true }).str('name'), '-x');
});

test('interspersed=false stops at the first positional argument', () => {
  const f = parseFlags(SPECS, ['-d', 'img', 'ls', '-l', '--name', 'y'], { interspersed: false });
  assert.deepEqual(f.args, ['img', 'ls', '-l', '--name', 'y']);
  assert.equal(f.str('name'), '');
  const g = parseFlags(SPECS, ['a', '-d', 'b'], { interspersed: true });
  assert.deepEqual(g.args, ['a', 'b']);
  assert.equal(g.bool('detach'), true);
});

test('-- ends the flags', () => {
  assert.deepEqual(parseFlags(SPECS, ['--', '-d'], { interspersed: true }).args, ['-d']);
});

test('defaults, ints and booleans with values', () => {
  assert.equal(parseFlags(SPECS, [], { interspersed: true }).int('last'), -1);
  assert.equal(parseFlags(SPECS, ['-n', '3'], { interspersed: true }).int('last'), 3);
  assert.equal(parseFlags(SPECS, ['--detach=false'], { interspersed: true }).bool('detach'), false);
});

test('errors use pflag\'s words', () => {
  const cases: [string[], string][] = [
    [['--foo'], 'unknown flag: --foo'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-dx'], "unknown shorthand flag: 'x' in -dx"],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['--name'], 'flag needs an argument: --name'],
    [['-m', 'foo'], `invalid argument "foo" for "-m, --memory" flag: invalid size: 'foo'`],
    [['-n', 'x'], `invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax`],
    [['--detach=maybe'], `invalid argument "maybe" for "-d, --detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax`],
    [['---x'], 'bad flag syntax: ---x'],
  ];
  for (const [argv, msg] of cases) {
    assert.throws(() => parseFlags(SPECS, argv, { interspersed: true }), (err: unknown) => err instanceof FlagError && err.message === msg, argv.join(' '));
  }
});

test('--help and -h request help when not defined otherwise', () => {
  assert.throws(() => parseFlags(SPECS, ['--help'], { interspersed: true }), HelpRequested);
  assert.throws(() => parseFlags(SPECS, ['-h'], { interspersed: true }), HelpRequested);
});
