import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './parse-dockerfile.ts';
import { expandWord, expandWords, expandsVariables } from './shell-words.ts';

const ENV: Record<string, string> = { PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' };
const env = (name: string) => ENV[name];

// Cases from Docker's lexer table (moby/buildkit frontend/dockerfile/shell/envVarTest); null = error.
const WORDS: Array<[string, string | null]> = [
  ['hello', 'hello'],
  ["he'll'o", 'hello'],
  ["he'llo", null],
  ["he\\'llo", "he'llo"],
  ["he\\\\'llo", null],
  ['abc\\tdef', 'abctdef'],
  ['"abc\\tdef"', 'abc\\tdef'],
  ['"abc\\\\tdef"', 'abc\\tdef'],
  ["'abc\\tdef'", 'abc\\tdef'],
  ['hello\\', 'hello'],
  ['hello\\\\', 'hello\\'],
  ['"hello', null],
  ['"hello\\"', null],
  ['"hel\'lo"', "hel'lo"],
  ["'hello", null],
  ["'hello\\'", 'hello\\'],
  ['"\'\'"', "''"],
  ['$.', '$.'],
  ['he$1x', 'hex'],
  ['he$.x', 'he$.x'],
  ['he$pwd.', 'he.'],
  ['he$PWD', 'he/home'],
  ['he\\$PWD', 'he$PWD'],
  ['he\\\\$PWD', 'he\\/home'],
  ['"he\\$PWD"', 'he$PWD'],
  ['"he\\\\$PWD"', 'he\\/home'],
  ['\\${}', '${}'],
  ['he\\${}xx', 'he${}xx'],
  ['${}', null],
  ['he${}xx', null],
  ['he${hi}xx', 'hexx'],
  ['he${PWD}', 'he/home'],
  ['he${.}', null],
  ['he${XXX:-000}xx', 'he000xx'],
  ['he${PWD:-000}xx', 'he/homexx'],
  ['he${XXX:-$PWD}xx', 'he/homexx'],
  ['he${XXX:-${PWD:-yyy}}xx', 'he/homexx'],
  ['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'],
  ['he${XXX:YYY}', null],
  ['he${XXX?}', null],
  ['he${XXX:?}', null],
  ['he${PWD?}', 'he/home'],
  ['he${PWD:?}', 'he/home'],
  ['he${NULL?}', 'he'],
  ['he${NULL:?}', null],
  ['he${NULL-x}', 'he'],
  ['he${NULL:-x}', 'hex'],
  ['he${NULL+x}', 'hex'],
  ['he${NULL:+x}', 'he'],
  ['he${XXX-x}', 'hex'],
  ['he${XXX+x}', 'he'],
  ['he${XXX:+${PWD}}xx', 'hexx'],
  ['he${PWD:+${XXX}}xx', 'hexx'],
  ['he${PWD:+${SHELL}}xx', 'hebashxx'],
  ["'he${XX}'", 'he${XX}'],
  ['"he${PWD}"', 'he/home'],
  ['"he\'$PWD\'"', "he'/home'"],
  ["'$PWD'", '$PWD'],
  ["'\\$PWD'", '\\$PWD'],
  ['he${PWD', null],
  ['he${PWD:=000}xx', null],
  ['he${PWD:+${PWD}:}xx', 'he/home:xx'],
  ['he${XXX:-\\$PWD:}xx', 'he$PWD:xx'],
  ['he${XXX:-\\${PWD}z}xx', 'he${PWDz}xx'],
  ["안'녕'하세요", '안녕하세요'],
  ['안녕$KOREAN', '안녕한국어'],
  ['${{aaa}', null],
  ['${aaa}}', '}'],
  ['${aaa:-bbb}}', 'bbb}'],
  ['${aaa:-bbb', null],
  ['${aaa:-bbb ${foo}', null],
  ['${aaa:-bbb {foo}', 'bbb {foo'],
  ['${:}', null],
  ['${:-bbb}', null],
  ['$1', ''],
  ['${1:-bbb}', 'bbb'],
  ['$999aaa', 'aaa'],
  ['$@@@', '@@'],
  ['${@:-bbb}aaa', 'bbbaaa'],
  ['$$', ''],
  ['${$:-bbb}', 'bbb'],
  // BuildKit's pattern modifiers.
  ['${PWD#/}', 'home'],
  ['${PWD%me}', '/ho'],
  ['${PWD/o/0}', '/h0me'],
];

test('expandWord follows Docker\'s lexer table', () => {
  for (const [word, want] of WORDS) {
    if (want === null) assert.throws(() => expandWord(word, env), /failed to process/, word);
    else assert.equal(expandWord(word, env), want, word);
  }
});

test('expansion errors carry Docker\'s words', () => {
  const cases: Array<[string, string]> = [
    ['${b', 'failed to process "${b": missing \':\' in substitution'],
    ['${b:?boom}', 'failed to process "${b:?boom}": b: boom'],
    ['${b?}', 'failed to process "${b?}": b: is not allowed to be unset'],
    ['${NULL:?}', 'failed to process "${NULL:?}": NULL: is not allowed to be empty'],
    ['${}', 'failed to process "${}": syntax error: bad substitution'],
    ['"abc', 'failed to process "\\"abc": unexpected end of statement while looking for matching double-quote'],
  ];
  for (const [word, message] of cases) assert.throws(() => expandWord(word, env), { message }, word);
});

test('the escape directive\'s backtick escapes like a backslash', () => {
  assert.equal(expandWord('a`$PWD', env, '`'), 'a$PWD');
  assert.equal(expandWord('C:\\dir', env, '`'), 'C:\\dir');
  assert.equal(expandWord('"a`"b"', env, '`'), 'a"b');
});

// Cases from moby/buildkit frontend/dockerfile/shell/wordsTest.
const SPLIT: Array<[Record<string, string>, string, string[] | null]> = [
  [{}, 'hello', ['hello']],
  [{}, 'hello${hi}bye', ['hellobye']],
  [{ hi: 'hi' }, 'hello${hi}bye', ['hellohibye']],
  [{ space: 'abc  def' }, 'hello${space}bye', ['helloabc', 'defbye']],
  [{ space: 'abc  def' }, 'hello"${space}"bye', ['helloabc  defbye']],
  [{ space: 'abc  def' }, 'hello "${space}"bye', ['hello', 'abc  defbye']],
  [{ leading: '  ab c' }, 'hello${leading}def', ['hello', 'ab', 'cdef']],
  [{ leading: '  ab c' }, 'hello"${leading}" def', ['hello  ab c', 'def']],
  [{ trailing: 'ab c   ' }, 'hello${trailing}d', ['helloab', 'c', 'd']],
  [{ trailing: 'ab c   ' }, 'hel"lo${trailing}"', ['helloab c   ']],
  [{}, 'hello" there  "', ['hello there  ']],
  [{}, 'hello there     ', ['hello', 'there']],
  [{}, 'hello\\ there', ['hello there']],
  [{}, 'hello" there', null],
  [{}, 'hello\\" there', ['hello"', 'there']],
  [{}, "hello'$there'", ['hello$there']],
  [{}, '""', []],
  [{ PORTS: '80 443/udp' }, '$PORTS 8080', ['80', '443/udp', '8080']],
];

test('expandWords splits on unquoted whitespace after substitution', () => {
  for (const [vars, word, want] of SPLIT) {
    const lookup = (name: string) => vars[name];
    if (want === null) assert.throws(() => expandWords(word, lookup), /failed to process/, word);
    else assert.deepEqual(expandWords(word, lookup), want, word);
  }
});

test('the instructions Docker expands variables in', () => {
  for (const kind of ['ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG'] as const) {
    assert.equal(expandsVariables(kind), true, kind);
  }
  for (const kind of ['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK', 'MAINTAINER', 'ONBUILD'] as const) {
    assert.equal(expandsVariables(kind), false, kind);
  }
});

test('ENV, LABEL, EXPOSE, WORKDIR and USER expand as Docker 20.10 built them', () => {
  // Each instruction sees the values from before it: F and G below see no A (set on the same line).
  const df = parseDockerfile([
    'FROM busybox',
    'ENV A=hello B="x y" C=\'s $A\' D=a\\ b E="q\\"q" F=$A-${A}-${Z:-def}-${A:+alt} G="\'$A\'" H=\\$A I=${A}\\\\ J="a\\\\b" K=\'a\\b\' L=$1x M=$@ N=€$A',
    'ENV O ${A} and "$B" \'lit\'',
    'ENV P="$B" Q=${B} R=$ S=a$ T="$" U=${A:-"q r"} V=${Z:-$B}',
    'LABEL "k 1"="v $A" k2=$B',
    'ENV PORTS="81 82/udp"',
    'EXPOSE 80 $PORTS',
    'WORKDIR /w/$A',
    'USER $A:${B}',
  ].join('\n'));
  const env = new Map<string, string>();
  const labels: Record<string, string> = {};
  const seen: string[] = [];
  for (const ins of df.stages[0]!.instructions) {
    const look = (name: string) => env.get(name);
    if (ins.kind === 'ENV' || ins.kind === 'LABEL') {
      const pairs = ins.pairs.map((p) => [expandWord(p.key, look), expandWord(p.value, look)] as const);
      for (const [k, v] of pairs) {
        if (ins.kind === 'ENV') env.set(k, v);
        else labels[k] = v;
      }
    } else if (ins.kind === 'EXPOSE') seen.push(ins.ports.flatMap((p) => expandWords(p, look)).join(' '));
    else if (ins.kind === 'WORKDIR') seen.push(expandWord(ins.path, look));
    else if (ins.kind === 'USER') seen.push(expandWord(ins.user, look));
  }
  // docker inspect of the reference build: .Config.Env (PATH left out), .Config.Labels, ports, WorkingDir, User.
  assert.deepEqual([...env].map(([k, v]) => `${k}=${v}`), [
    'A=hello', 'B=x y', 'C=s $A', 'D=a b', 'E=q"q', 'F=--def-', "G=''", 'H=$A', 'I=\\', 'J=a\\b', 'K=a\\b', 'L=x', 'M=',
    'N=€', 'O=hello and x y lit', 'P=x y', 'Q=x y', 'R=$', 'S=a$', 'T=$', 'U=hello', 'V=x y', 'PORTS=81 82/udp',
  ]);
  assert.deepEqual(labels, { 'k 1': 'v hello', k2: 'x y' });
  assert.deepEqual(seen, ['80 81 82/udp', '/w/hello', 'hello:x y']);
});
