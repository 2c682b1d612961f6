import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError } from '../../../util/errors.ts';
import type { Instruction } from './ast.ts';
import { formatParseWarnings, parseDockerfile, parseInstruction } from './parse-dockerfile.ts';

/** The instructions after the first FROM line, as a compact summary. */
function summary(ins: Instruction): unknown {
  switch (ins.kind) {
    case 'FROM': return ['FROM', ins.image, ins.as];
    case 'RUN': case 'CMD': case 'ENTRYPOINT':
      return [ins.kind, ins.command.form === 'exec' ? ins.command.args : ins.command.command];
    case 'COPY': case 'ADD': return [ins.kind, ins.sources, ins.dest];
    case 'ENV': case 'LABEL': return [ins.kind, ins.pairs.map((p) => [p.key, p.value])];
    case 'ARG': return ['ARG', ins.args.map((a) => (a.default === undefined ? [a.name] : [a.name, a.default]))];
    case 'MAINTAINER': return ['MAINTAINER', ins.maintainer];
    case 'EXPOSE': return ['EXPOSE', ins.ports];
    case 'USER': return ['USER', ins.user];
    case 'WORKDIR': return ['WORKDIR', ins.path];
    case 'VOLUME': return ['VOLUME', ins.paths];
    case 'SHELL': return ['SHELL', ins.shell];
    case 'STOPSIGNAL': return ['STOPSIGNAL', ins.signal];
    case 'HEALTHCHECK':
      return ['HEALTHCHECK', ins.none ? 'NONE' : ins.command?.form === 'exec' ? ins.command.args : ins.command?.command];
    case 'ONBUILD': return ['ONBUILD', ins.trigger];
  }
}

function body(text: string): unknown[] {
  return parseDockerfile(`FROM scratch\n${text}`).stages[0]!.instructions.map(summary);
}

test('instructions parse into their arguments as written (unexpanded)', () => {
  const cases: Array<[string, unknown[]]> = [
    ['run echo hi', [['RUN', 'echo hi']]],
    ['RUN ["echo", "hi"]', [['RUN', ['echo', 'hi']]]],
    ['CMD []', [['CMD', []]]],
    ['CMD [""]', [['CMD', ['']]]],
    ['CMD\t[\t"a",\t"b"\t]\t', [['CMD', ['a', 'b']]]],
    ['CMD ["\\" \\\\ \\/ \\u0041"]', [['CMD', ['" \\ / A']]]],
    // Invalid JSON falls back to the shell form.
    ["CMD ['echo','single quotes are invalid JSON']", [['CMD', "['echo','single quotes are invalid JSON']"]]],
    ['CMD ["echo", "unterminated"', [['CMD', '["echo", "unterminated"']]],
    ['ENTRYPOINT [ "/usr/bin/redis-server" ]', [['ENTRYPOINT', ['/usr/bin/redis-server']]]],
    ['COPY a b /dst/', [['COPY', ['a', 'b'], '/dst/']]],
    ['COPY ["a b", "/d e"]', [['COPY', ['a b'], '/d e']]],
    ['ADD \\conf\\\\" /.znc', [['ADD', ['\\conf\\\\"'], '/.znc']]],
    ['ENV name value more', [['ENV', [['name', 'value more']]]]],
    ['ENV name=value name2="v 2" name3=a\\ b', [['ENV', [['name', 'value'], ['name2', '"v 2"'], ['name3', 'a\\ b']]]]],
    ["ENV name='a\\'b''", [['ENV', [['name', "'a\\'b''"]]]]],
    ['LABEL maintainer James Turnbull "james@example.com"', [['LABEL', [['maintainer', 'James Turnbull "james@example.com"']]]]],
    ['LABEL "k"=v a.b=', [['LABEL', [['"k"', 'v'], ['a.b', '']]]]],
    ['ARG a b=1 c=', [['ARG', [['a'], ['b', '1'], ['c', '']]]]],
    ['MAINTAINER Me <me@x>', [['MAINTAINER', 'Me <me@x>']]],
    ['EXPOSE 80 443/udp $P', [['EXPOSE', ['80', '443/udp', '$P']]]],
    ['USER 1000:1000', [['USER', '1000:1000']]],
    ['WORKDIR /a b', [['WORKDIR', '/a b']]],
    ['VOLUME /a /b', [['VOLUME', ['/a', '/b']]]],
    ['VOLUME ["/a", " /b "]', [['VOLUME', ['/a', '/b']]]],
    ['SHELL ["/bin/bash", "-c"]', [['SHELL', ['/bin/bash', '-c']]]],
    ['STOPSIGNAL SIGKILL', [['STOPSIGNAL', 'SIGKILL']]],
    ['HEALTHCHECK NONE', [['HEALTHCHECK', 'NONE']]],
    ['HEALTHCHECK   CMD   a b', [['HEALTHCHECK', 'a b']]],
    ['HEALTHCHECK --timeout=3s CMD ["foo"]', [['HEALTHCHECK', ['foo']]]],
    ['ONBUILD RUN echo hi', [['ONBUILD', 'RUN echo hi']]],
    ['onbuild   add . /app', [['ONBUILD', 'add . /app']]],
  ];
  for (const [text, want] of cases) assert.deepEqual(body(text), want, text);
});

test('continuations join lines; comments and blank lines inside them are skipped', () => {
  const cases: Array<[string, unknown[]]> = [
    ['run echo a \\\n   b  \\\n# comment\n\n  c\n', [['RUN', 'echo a    b    c']]],
    ['RUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning', [['RUN', 'echo hello  world  goodnight    moon  lightning']]],
    ['RUN echo hello  \\  \nworld', [['RUN', 'echo hello  world']]],
    ['RUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight', [['RUN', 'echo hi   world  goodnight']]],
    ['ENV E hello\\\n\\\nworld', [['ENV', [['E', 'helloworld']]]]],
    ['ENV C trailing\\\\backslash\\\\\nENV D x', [['ENV', [['C', 'trailing\\\\backslash\\\\']]], ['ENV', [['D', 'x']]]]],
    ['RUN something \\', [['RUN', 'something']]],
    ['RUN a \\\r\n  b\r\n', [['RUN', 'a   b']]],
    ['  # indented comment\nRUN x # not a comment', [['RUN', 'x # not a comment']]],
  ];
  for (const [text, want] of cases) assert.deepEqual(body(text), want, JSON.stringify(text));
});

test('lines, raw text and flags of instructions', () => {
  const df = parseDockerfile('# syntax=docker/dockerfile:1\n\nFROM --platform=$P busybox AS Build\nCOPY --from=build --chown="a b" \\\n  x /y\nRUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t true\nENV\tc=1  d=2   \n');
  const [from, copy, run, env] = df.instructions;
  assert.deepEqual([from!.line, from!.endLine, from!.raw], [3, 3, 'FROM --platform=$P busybox AS Build']);
  assert.deepEqual(from!.flags, [{ name: 'platform', value: '$P' }]);
  assert.deepEqual([copy!.line, copy!.endLine, copy!.raw], [4, 5, 'COPY --from=build --chown="a b"   x /y']);
  assert.deepEqual(copy!.flags, [{ name: 'from', value: 'build' }, { name: 'chown', value: 'a b' }]);
  assert.deepEqual(run!.flags, [{ name: 'mount', value: 'type=cache,target=/c' }, { name: 'mount', value: 'type=tmpfs,target=/t' }]);
  assert.equal(env!.raw, 'ENV\tc=1  d=2');
  assert.equal(df.stages[0]!.name, 'build');
  assert.deepEqual(df.directives, { escape: '\\', syntax: 'docker/dockerfile:1' });
  const link = parseDockerfile('FROM a\nCOPY --link --parents=false -- x y\n').instructions[1]!;
  assert.deepEqual(link.flags, [{ name: 'link' }, { name: 'parents', value: 'false' }]);
});

test('parser directives: only at the top, case-insensitive, once each', () => {
  const cases: Array<[string, object]> = [
    ['# escape=`\nFROM a\n', { escape: '`' }],
    ['#ESCAPE = ` \n# Syntax = x/y:1\n#check=skip=all\nFROM a\n', { escape: '`', syntax: 'x/y:1', check: 'skip=all' }],
    ['# comment\n# escape=`\nFROM a\n', { escape: '\\' }],
    ['\n# escape=`\nFROM a\n', { escape: '\\' }],
    ['# unknown=1\n# escape=`\nFROM a\n', { escape: '\\' }],
    ['FROM a\n# escape=`\n', { escape: '\\' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseDockerfile(text).directives, want, text);
  // With escape=` a backslash is ordinary and the backtick continues lines.
  const df = parseDockerfile('# escape = `\nFROM image\nENV GOPATH `\n\\go\nRUN dir C:\\ `\n  /w\n');
  assert.deepEqual(df.stages[0]!.instructions.map(summary), [['ENV', [['GOPATH', '\\go']]], ['RUN', 'dir C:\\   /w']]);
  const after = parseDockerfile('# Comment first\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go\n');
  assert.deepEqual(after.stages[0]!.instructions.map(summary), [['ENV', [['GOPATH', '\\go']]]]);
});

test('heredocs are read after their line, in order', () => {
  const df = parseDockerfile([
    'FROM alpine', 'RUN <<EMPTY', 'EMPTY', 'RUN 3<<EMPTY2', 'EMPTY2', 'RUN "<<NOHEREDOC"',
    'RUN <<-UNINDENT', '\tbaz', '\tquux', '\tUNINDENT', "RUN <<-'NOEXPAND'", '\tdon\'t expand $NAME', 'NOEXPAND',
    'RUN <<COMMENT', '# internal comment', 'echo hi # trailing', 'COMMENT',
    'RUN --mount=type=cache,target=/foo <<MOUNT', 'echo hello', 'MOUNT',
    'COPY <<X <<Y /dest', 'Y', 'X', 'X', 'Y',
    'RUN <<COMPLEX python3', "print('hello world')", 'COMPLEX',
    "RUN <<eo'f'", 'echo foo', 'eof', "RUN <<eo\\'f", 'echo foo', "eo'f", "RUN <<'one two'", 'echo bar', 'one two',
    'RUN <<  EOF  > foo', 'EOF', 'RUN ["<<EOF"]', 'USER <<NOTHEREDOC',
  ].join('\n') + '\n');
  const docs = df.stages[0]!.instructions.map((i) => ('heredocs' in i ? i.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp]) : null));
  assert.deepEqual(docs, [
    [['EMPTY', '', true, false]],
    [['EMPTY2', '', true, false]],
    [],
    [['UNINDENT', 'baz\nquux\n', true, true]],
    [['NOEXPAND', "don't expand $NAME\n", false, true]],
    [['COMMENT', '# internal comment\necho hi # trailing\n', true, false]],
    [['MOUNT', 'echo hello\n', true, false]],
    [['X', 'Y\n', true, false], ['Y', 'X\n', true, false]],
    [['COMPLEX', "print('hello world')\n", true, false]],
    [['eof', 'echo foo\n', false, false]],
    [["eo'f", 'echo foo\n', true, false]],
    [['one two', 'echo bar\n', false, false]],
    [['EOF', '', true, false]],
    [],
    null,
  ]);
  const run = df.stages[0]!.instructions[8]!;
  assert.deepEqual([run.line, run.endLine, run.raw], [26, 28, 'RUN <<COMPLEX python3']);
  const copy = df.stages[0]!.instructions[7]!;
  assert.ok(copy.kind === 'COPY');
  assert.deepEqual([copy.sources, copy.dest], [['<<X', '<<Y'], '/dest']);
});

test('ONBUILD keeps its trigger as written, heredocs appended; parseInstruction reads it back', () => {
  const df = parseDockerfile('FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nONBUILD COPY --chown=1 . /app\n');
  const triggers = df.stages[0]!.instructions.map((i) => (i.kind === 'ONBUILD' ? i.trigger : ''));
  assert.deepEqual(triggers, ['RUN <<EOF\necho hi\nEOF', 'COPY --chown=1 . /app']);
  const run = parseInstruction(triggers[0]!);
  assert.ok(run.kind === 'RUN');
  assert.deepEqual(run.heredocs, [{ name: 'EOF', content: 'echo hi\n', expand: true, chomp: false }]);
  const copy = parseInstruction(triggers[1]!);
  assert.deepEqual(summary(copy), ['COPY', ['.'], '/app']);
  assert.deepEqual(summary(parseInstruction('ENV a=b `\n c=d', '`')), ['ENV', [['a', 'b'], ['c', 'd']]]);
  assert.throws(() => parseInstruction('FROM x'), { message: "FROM isn't allowed as an ONBUILD trigger" });
});

test('stages and global ARGs', () => {
  const df = parseDockerfile('ARG V=1 W\nARG X\nFROM a:$V AS one\nRUN x\nfrom one\nARG V\nFROM scratch as Three\n');
  assert.deepEqual(df.globalArgs.map((a) => a.args), [[{ name: 'V', default: '1' }, { name: 'W' }], [{ name: 'X' }]]);
  assert.deepEqual(df.stages.map((s) => [s.index, s.name, s.from.image, s.instructions.length]), [
    [0, 'one', 'a:$V', 1], [1, undefined, 'one', 1], [2, 'three', 'scratch', 0],
  ]);
  assert.equal(df.instructions.length, 7);
});

test('bad Dockerfiles fail with Docker\'s words', () => {
  const cases: Array<[string, string]> = [
    ['', 'the Dockerfile (Dockerfile) cannot be empty'],
    ['\n# c\n', 'failed to parse Dockerfile: file with no instructions'],
    ['RUN true\n', 'no build stage in current context'],
    ['FROM a\nRUN true\nFOO bar\n', 'dockerfile parse error line 3: unknown instruction: FOO'],
    ['FROM a\nfoo bar\n', 'dockerfile parse error line 2: unknown instruction: FOO'],
    ['FROM a\nENV\n', 'dockerfile parse error line 2: ENV requires at least one argument'],
    ['FROM a\nENV a\n', 'failed to parse Dockerfile: ENV must have two arguments'],
    ['FROM a\nLABEL a\n', 'failed to parse Dockerfile: LABEL must have two arguments'],
    ['FROM a\nENV a=b c\n', 'failed to parse Dockerfile: Syntax error - can\'t find = in "c". Must be of the form: name=value'],
    ['FROM a\nENV =b\n', 'dockerfile parse error line 2: ENV names can not be blank'],
    ['FROM a\nARG =b\n', 'dockerfile parse error line 2: ARG names can not be blank'],
    ['FROM a\nARG\n', 'dockerfile parse error line 2: ARG requires at least one argument'],
    ['FROM a\nCOPY --foo=1 a b\n', 'dockerfile parse error line 2: Unknown flag: foo'],
    ['FROM a\nCOPY a\n', 'dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined'],
    ['FROM a\nCOPY --chown a b\n', 'dockerfile parse error line 2: Missing a value on flag: chown'],
    ['FROM a\nCOPY --from=a --from=b a b\n', 'dockerfile parse error line 2: Duplicate flag specified: from'],
    ['FROM a\nCOPY --link=maybe a b\n', 'dockerfile parse error line 2: Expecting boolean value for flag link, not: maybe'],
    ['FROM a\nCOPY a <<EOF\nx\nEOF\n', 'dockerfile parse error line 2: COPY cannot accept a heredoc as a destination'],
    ['FROM a\nADD --from=x a b\n', 'dockerfile parse error line 2: Unknown flag: from'],
    ['FROM a\nRUN --foo=1 true\n', 'dockerfile parse error line 2: Unknown flag: foo'],
    ['FROM --foo=1 a\n', 'dockerfile parse error line 1: Unknown flag: foo'],
    ['FROM a\nCMD --x=1 true\n', 'dockerfile parse error line 2: Unknown flag: x'],
    ['FROM a\nONBUILD ONBUILD RUN x\n', 'dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['FROM a\nONBUILD FROM x\n', 'dockerfile parse error line 2: FROM isn\'t allowed as an ONBUILD trigger'],
    ['FROM a\nONBUILD maintainer x\n', 'dockerfile parse error line 2: MAINTAINER isn\'t allowed as an ONBUILD trigger'],
    ['FROM a\nONBUILD\n', 'dockerfile parse error line 2: ONBUILD requires at least one argument'],
    ['FROM a\nSHELL sh -c\n', 'dockerfile parse error line 2: SHELL requires the arguments to be in JSON form'],
    ['FROM a\nSHELL []\n', 'dockerfile parse error line 2: SHELL requires at least one argument'],
    ['FROM a\nLABEL\n', 'dockerfile parse error line 2: LABEL requires at least one argument'],
    ['FROM a\nFROM\n', 'dockerfile parse error line 2: FROM requires either one or three arguments'],
    ['FROM a b c d\n', 'dockerfile parse error line 1: FROM requires either one or three arguments'],
    ['FROM a AS 1a\n', 'dockerfile parse error line 1: invalid name for build stage: "1a", name can\'t start with a number or contain symbols'],
    ['FROM a\nWORKDIR\n', 'dockerfile parse error line 2: WORKDIR requires exactly one argument'],
    ['FROM a\nEXPOSE\n', 'dockerfile parse error line 2: EXPOSE requires at least one argument'],
    ['FROM a\nUSER\n', 'dockerfile parse error line 2: USER requires exactly one argument'],
    ['FROM a\nVOLUME\n', 'dockerfile parse error line 2: VOLUME requires at least one argument'],
    ['FROM a\nVOLUME ["/a", " "]\n', 'dockerfile parse error line 2: VOLUME specified can not be an empty string'],
    ['FROM a\nMAINTAINER\n', 'dockerfile parse error line 2: MAINTAINER requires exactly one argument'],
    ['FROM a\nSTOPSIGNAL\n', 'dockerfile parse error line 2: STOPSIGNAL requires exactly one argument'],
    ['FROM a\nHEALTHCHECK\n', 'dockerfile parse error line 2: HEALTHCHECK requires at least one argument'],
    ['FROM a\nHEALTHCHECK FOO\n', 'dockerfile parse error line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)'],
    ['FROM a\nHEALTHCHECK CMD\n', 'dockerfile parse error line 2: Missing command after HEALTHCHECK CMD'],
    ['FROM a\nHEALTHCHECK NONE x\n', 'dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments'],
    ['FROM a\nHEALTHCHECK --retries=x CMD true\n', 'dockerfile parse error line 2: strconv.ParseInt: parsing "x": invalid syntax'],
    ['FROM a\nHEALTHCHECK --retries=-1 CMD true\n', 'dockerfile parse error line 2: --retries cannot be negative (-1)'],
    ['FROM a\nHEALTHCHECK --interval=x CMD true\n', 'dockerfile parse error line 2: time: invalid duration "x"'],
    ['FROM a\nHEALTHCHECK --interval=1us CMD true\n', 'dockerfile parse error line 2: Interval "interval" cannot be less than 1ms'],
    ['FROM a\nHEALTHCHECK --foo=1 CMD true\n', 'dockerfile parse error line 2: Unknown flag: foo'],
    ['FROM a\nCMD ["a", 1]\n', 'failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only'],
    ['FROM a\nRUN <<EOF\nx\n', 'failed to parse Dockerfile: unterminated heredoc'],
    ['FROM a\nUSER <<X\nX\n', 'dockerfile parse error line 3: unknown instruction: X'],
    ['FROM a\nCOPY --chown=1 --chown=2 a b\n', 'dockerfile parse error line 2: Duplicate flag specified: chown'],
    ['FROM a\nCOPY ["a"]\n', 'dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined'],
    ['FROM a\nCOPY ["a", 1]\n', 'failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only'],
    ['FROM a\nVOLUME []\n', 'dockerfile parse error line 2: VOLUME requires at least one argument'],
    ['FROM a\nHEALTHCHECK CMD []\n', 'dockerfile parse error line 2: Missing command after HEALTHCHECK CMD'],
    ['FROM a\nHEALTHCHECK --retries=99999999999 CMD true\n', 'dockerfile parse error line 2: strconv.ParseInt: parsing "99999999999": value out of range'],
    ['FROM a\nENV a=b --x\n', 'failed to parse Dockerfile: Syntax error - can\'t find = in "--x". Must be of the form: name=value'],
    ['FROM a\nENV --x=1 a=b\n', 'dockerfile parse error line 2: Unknown flag: x'],
    ['FROM a\nEXPOSE --x=1 80\n', 'dockerfile parse error line 2: Unknown flag: x'],
    ['FROM a\nONBUILD --x=1 RUN y\n', 'dockerfile parse error line 2: Unknown flag: x'],
    ['FROM a\nFROM a AS a/b\n', 'dockerfile parse error line 2: invalid name for build stage: "a/b", name can\'t start with a number or contain symbols'],
    ['# escape=x\nFROM a\n', 'failed to parse Dockerfile: invalid escape token \'x\' does not match ` or \\'],
    ['# escape=`\n# escape=`\nFROM a\n', 'failed to parse Dockerfile: only one escape parser directive can be used'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseDockerfile(text), (err: unknown) => {
      assert.ok(err instanceof InvalidParameterError, text);
      assert.equal(err.message, message, text);
      return true;
    });
  }
  assert.throws(() => parseDockerfile('', 'sub/D.x'), { message: 'the Dockerfile (sub/D.x) cannot be empty' });
});

test('what Docker lets through', () => {
  // Docker checks no flags on ARG, STOPSIGNAL and HEALTHCHECK NONE, and accepts an unknown ONBUILD trigger until it runs.
  assert.doesNotThrow(() => parseDockerfile('FROM a\nHEALTHCHECK --foo=1 NONE\nSTOPSIGNAL --x=1 9\nARG --y=2 a\nONBUILD FOO bar\n'));
  // Since Docker 24 (BuildKit 0.11) a zero retries or interval means the default; Docker 20.10 refused them.
  assert.doesNotThrow(() => parseDockerfile('FROM a\nHEALTHCHECK --retries=0 --interval=0s --timeout=0 CMD true\n'));
  assert.doesNotThrow(() => parseDockerfile('FROM a AS a-b.c_d\nFROM a AS A_B\nUSER a b\n'));
  assert.deepEqual(body('RUN\nCMD\nRUN -- true'), [['RUN', ''], ['CMD', ''], ['RUN', 'true']]);
  assert.deepEqual(body('\ufeffRUN x').length, 1);
});

test('empty continuation lines are warned about in Docker\'s words', () => {
  const df = parseDockerfile('FROM busybox\nrun echo a \\\n\n  b\nRUN echo c \\\n  \n d\nRUN e \\\n# comment\n f\n');
  assert.deepEqual(df.warnings, [
    { kind: 'empty-continuation', line: 2, text: 'run echo a   b' },
    { kind: 'empty-continuation', line: 5, text: 'RUN echo c  d' },
  ]);
  assert.equal(formatParseWarnings(df.warnings),
    '[WARNING]: Empty continuation line found in:\n    run echo a   b\n'
    + '[WARNING]: Empty continuation line found in:\n    RUN echo c  d\n'
    + '[WARNING]: Empty continuation lines will become errors in a future release.\n');
  assert.equal(parseDockerfile('FROM a\n').warnings, undefined);
  assert.equal(formatParseWarnings(undefined), '');
});

test('raw text and triggers as Docker 20.10 shows them', () => {
  // `Step n/m : …` lines and .Config.OnBuild of the reference build.
  const df = parseDockerfile('FROM busybox\n   RUN   echo  x   \n\tenv a=1\t\nONBUILD   RUN echo hi  \nCOPY --chown="1:1" Dockerfile /x\nLABEL a=b \\\n  c=d\nARG\tA=1   B\t\nONBUILD RUN <<-EOF\n\tx\n\tEOF\n');
  assert.deepEqual(df.instructions.map((i) => i.raw), [
    'FROM busybox', 'RUN   echo  x', 'env a=1', 'ONBUILD   RUN echo hi', 'COPY --chown="1:1" Dockerfile /x', 'LABEL a=b   c=d',
    'ARG\tA=1   B', 'ONBUILD RUN <<-EOF',
  ]);
  const triggers = df.instructions.flatMap((i) => (i.kind === 'ONBUILD' ? [i.trigger] : []));
  assert.deepEqual(triggers, ['RUN echo hi  ', 'RUN <<-EOF\n\tx\nEOF']);
  const run = parseInstruction(triggers[1]!);
  assert.ok(run.kind === 'RUN');
  assert.deepEqual(run.heredocs, [{ name: 'EOF', content: 'x\n', expand: true, chomp: true }]);
});

test('CRLF files parse like LF ones; heredoc bodies keep their line ends', () => {
  const df = parseDockerfile('# escape=`\r\nFROM a\r\nRUN echo a `\r\n  b\r\nCOPY <<EOF /f\r\nhi\r\nEOF\r\n');
  assert.equal(df.directives.escape, '`');
  assert.deepEqual(df.stages[0]!.instructions.map(summary), [['RUN', 'echo a   b'], ['COPY', ['<<EOF'], '/f']]);
  const copy = df.stages[0]!.instructions[1]!;
  assert.ok(copy.kind === 'COPY');
  assert.equal(copy.heredocs[0]!.content, 'hi\r\n');
});
