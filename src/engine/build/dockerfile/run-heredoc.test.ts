import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './parse-dockerfile.ts';
import { splitCopySources } from './heredoc.ts';
import { planRun } from './run-heredoc.ts';
import { expandHeredoc } from './shell-words.ts';

function plans(text: string): unknown[] {
  return parseDockerfile(`FROM a\n${text}`).stages[0]!.instructions.map((i) => (i.kind === 'RUN' ? planRun(i) : null));
}

test('RUN heredocs become what BuildKit runs', () => {
  assert.deepEqual(plans('RUN echo hi\nRUN ["a", "b"]\n'), [{ args: ['echo hi'], shell: true }, { args: ['a', 'b'], shell: false }]);
  assert.deepEqual(plans('RUN <<EOF\necho a\necho b\nEOF\n'), [{ args: ['echo a\necho b\n'], shell: true }]);
  assert.deepEqual(plans('RUN <<-EOF\n\techo a\n\tEOF\n'), [{ args: ['echo a\n'], shell: true }]);
  assert.deepEqual(plans('RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n'), [{
    args: ['/dev/pipes/EOF'], shell: true, file: { path: '/dev/pipes/EOF', content: '#!/usr/bin/env python3\nprint(1)\n', mode: 0o755 },
  }]);
  assert.deepEqual(plans('RUN python3 <<EOF\nprint(1)\nEOF\n'), [{ args: ['python3 <<EOF\nprint(1)\nEOF'], shell: true }]);
  assert.deepEqual(plans('RUN cat <<A > /a && cat <<B > /b\na\nA\nb\nB\n'), [{ args: ['cat <<A > /a && cat <<B > /b\na\nA\nb\nB'], shell: true }]);
});

test('COPY heredoc bodies expand variables but keep quotes', () => {
  const env = (n: string) => ({ NAME: 'me' } as Record<string, string>)[n];
  assert.equal(expandHeredoc('hi $NAME\n"${NAME}" \'$NAME\'\n\\$NAME\n', env), 'hi me\n"me" \'me\'\n$NAME\n');
});

test('COPY sources split into paths and inline files', () => {
  const ins = parseDockerfile('FROM a\nCOPY a <<-"X" b <<Y /d/\n\tx $V\n\tX\ny\nY\n').stages[0]!.instructions[0]!;
  assert.ok(ins.kind === 'COPY');
  assert.deepEqual(splitCopySources(ins), {
    paths: ['a', 'b'],
    contents: [{ name: 'X', content: 'x $V\n', expand: false, chomp: true }, { name: 'Y', content: 'y\n', expand: true, chomp: false }],
  });
});
