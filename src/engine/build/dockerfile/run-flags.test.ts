import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './parse-dockerfile.ts';
import { csvFields, parseRunMount } from './run-flags.ts';

test('RUN --mount values parse as BuildKit reads them', () => {
  const cases: Array<[string, object | null]> = [
    ['type=cache,target=/root/.cache', { type: 'cache', target: '/root/.cache', readOnly: false }],
    ['target=/src', { type: 'bind', target: '/src', readOnly: true }],
    ['type=bind,source=.,target=/src,rw', { type: 'bind', source: '.', target: '/src', readOnly: false }],
    ['type=bind,from=build,src=/out,dst=/in,readonly=false', { type: 'bind', from: 'build', source: '/out', target: '/in', readOnly: false }],
    ['type=tmpfs,target=/t,size=64m', { type: 'tmpfs', target: '/t', sizeLimit: 64 * 1024 * 1024, readOnly: false }],
    ['type=secret,id=tok,required', { type: 'secret', id: 'tok', required: true, readOnly: true }],
    ['type=secret,id=tok,env=TOKEN', { type: 'secret', id: 'tok', env: 'TOKEN' }],
    ['type=cache,target=/c,id=x,sharing=locked,mode=0755,uid=1000,gid=1000', { id: 'x', sharing: 'locked', mode: 0o755, uid: 1000, gid: 1000 }],
    ['TYPE=Cache,Target=/c', { type: 'cache', target: '/c' }],
    ['"type=bind,x",target=/a', null],
  ];
  for (const [value, want] of cases) {
    if (want === null) {
      assert.throws(() => parseRunMount(value), /unsupported mount type "bind,x"/);
      continue;
    }
    const m = parseRunMount(value);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(m[k as keyof typeof m], v, `${value} ${k}`);
  }
  assert.equal(parseRunMount('type=cache,target=$T', (w) => w.replace('$T', '/x')).target, '/x');
});

test('bad RUN --mount values fail with BuildKit\'s words', () => {
  const cases: Array<[string, string]> = [
    ['type=foo', 'unsupported mount type "foo"'],
    ['type=cache,foo=bar', "unexpected key 'foo' in 'foo=bar'"],
    ['type=cache,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['type=bind,required', "unexpected key 'required' for mount type 'bind'"],
    ['type=cache,size=1m', "unexpected key 'size' for mount type 'cache'"],
    ['type=tmpfs,size=lots', 'invalid value for size: lots'],
    ['type=cache,sharing=all', 'unsupported sharing value "all"'],
    ['type=bind,sharing=shared', 'invalid cache sharing set for bind mount'],
    ['type=bind,mode=0700', 'mode not allowed for "bind" type mounts'],
    ['type=cache,mode=9', 'invalid value 9 for mode'],
    ['type=cache,uid=-1', 'invalid value -1 for uid'],
    ['type=secret', 'invalid secret mount. one of source, target required'],
    ['type=secret,id=a,source=b', "both source and id can't be set"],
    ['type=secret,id=a,from=x', 'secret mount should not have a from'],
    ['type=bind,ro=maybe', 'invalid value for ro: maybe'],
  ];
  for (const [value, message] of cases) assert.throws(() => parseRunMount(value), { name: 'InvalidParameterError', message }, value);
});

test('csv fields follow encoding/csv quoting', () => {
  assert.deepEqual(csvFields('a=1,"b=2,3",c'), ['a=1', 'b=2,3', 'c']);
  assert.deepEqual(csvFields('"a ""q"""'), ['a "q"']);
  assert.deepEqual(csvFields(''), ['']);
});

test('RUN flags checked when the Dockerfile is parsed', () => {
  const bad: Array<[string, string]> = [
    ['RUN --network=bridge true', 'dockerfile parse error line 2: invalid network mode "bridge"'],
    ['RUN --security=root true', 'dockerfile parse error line 2: security "root" is not valid'],
    ['RUN --mount=type=bind,from=$STAGE,target=/a true', "dockerfile parse error line 2: 'from' doesn't support variable expansion, define alias stage instead"],
  ];
  for (const [line, message] of bad) assert.throws(() => parseDockerfile(`FROM a\n${line}\n`), { message }, line);
  assert.doesNotThrow(() => parseDockerfile('FROM a\nRUN --network=none --security=sandbox --mount=type=cache,target=$DIR,bogus true\n'));
});
