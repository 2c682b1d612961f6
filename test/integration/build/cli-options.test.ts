/**
 * `berth build`'s options and outputs where scripts read them: the plain
 * output byte for byte as the docker CLI prints it (same daemon), -q and
 * --iidfile, a failing RUN's message and exit code, --build-arg from the
 * flag and from the environment, labels and several tags, and secrets
 * reaching `RUN --mount=type=secret` without staying in the image.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { assertNoMounts, berth, buildOk, dockerCli, makeDir, runIn } from './cli-helpers.ts';

test('berth build prints the classic output as the docker CLI does; -q and --iidfile give the image ID; a failing RUN exits with its code', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = makeDir(t, { Dockerfile: 'FROM busybox\nRUN echo hello\nCOPY a /a\n', a: 'a\n' });

  const first = await buildOk(d, ['--progress=plain', '-t', 'cli-out:1', '-t', 'cli-out:2', ctx]);
  assert.match(
    first.stdout,
    /^Sending build context to Docker daemon {2}\S+\r\r\nStep 1\/3 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/3 : RUN echo hello\n ---> Running in [0-9a-f]{12}\nhello\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\nStep 3\/3 : COPY a \/a\n ---> [0-9a-f]{12}\nSuccessfully built ([0-9a-f]{12})\nSuccessfully tagged cli-out:1\nSuccessfully tagged cli-out:2\n$/,
  );
  assert.equal(first.stderr, '');
  // A cached rebuild is deterministic: byte for byte what the docker CLI prints (not on a terminal).
  const ours = await buildOk(d, ['-t', 'cli-out:1', ctx]);
  const theirs = await dockerCli(d, ['build', '-t', 'cli-out:1', ctx]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.equal(ours.stdout, theirs.stdout);
  assert.match(ours.stdout, / ---> Using cache\n/);

  const id = (await berth(d, ['image', 'inspect', '-f', '{{.Id}}', 'cli-out:1'])).stdout.trim();
  const quiet = await buildOk(d, ['-q', '--iidfile', `${ctx}/iid-q`, ctx]);
  assert.deepEqual([quiet.stdout, quiet.stderr], [`${id}\n`, '']);
  // As the docker CLI: with -q the file holds what the daemon printed (newline included), else the aux ID.
  assert.equal(readFileSync(`${ctx}/iid-q`, 'utf8'), `${id}\n`);
  await buildOk(d, ['--iidfile', `${ctx}/iid`, ctx]);
  assert.equal(readFileSync(`${ctx}/iid`, 'utf8'), id);

  const failing = makeDir(t, { Dockerfile: 'FROM busybox\nRUN echo before; exit 7\nRUN echo never\n' });
  for (const bin of [berth, dockerCli]) {
    const r = await bin(d, ['build', '--iidfile', `${failing}/iid`, failing]);
    assert.equal(r.code, 7);
    assert.match(r.stdout, /Step 2\/3 : RUN echo before; exit 7\n ---> Running in [0-9a-f]{12}\nbefore\n$/);
    assert.match(r.stderr, /The command '\/bin\/sh -c echo before; exit 7' returned a non-zero code: 7\n$/);
  }
  const q = await berth(d, ['build', '-q', failing]);
  assert.equal(q.code, 7);
  assert.equal(q.stdout, '');
  // With -q the build's output comes out on stderr only when it fails, then the error.
  assert.match(q.stderr, /^Sending build context to Docker daemon[^\n]*\n[\s\S]*The command '\/bin\/sh -c echo before; exit 7' returned a non-zero code: 7\n$/);
  await assertNoMounts(d);
});

test('berth build sends build args (from the flag and from the environment), labels, tags and secrets', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = makeDir(t, {
    Dockerfile: [
      'FROM busybox',
      'ARG FROM_FLAG',
      'ARG FROM_ENV',
      'ARG UNSET',
      'RUN echo "$FROM_FLAG|$FROM_ENV|${UNSET:-none}" > /args',
      'RUN --mount=type=secret,id=tok test "$(cat /run/secrets/tok)" = s3cret && echo file-ok > /verified',
      'RUN --mount=type=secret,id=envtok,required=true cat /run/secrets/envtok | wc -c > /envlen',
      '',
    ].join('\n'),
    'tok.txt': 's3cret',
  });
  await buildOk(
    d,
    ['-q', '-t', 'cli-opts:a', '-t', 'cli-opts:b', '--label', 'com.example.x=1', '--label', 'empty', '--build-arg', 'FROM_FLAG=v1', '--build-arg', 'FROM_ENV', '--build-arg', 'UNSET', '--secret', `id=tok,src=${ctx}/tok.txt`, '--secret', 'id=envtok,env=BUILD_TOKEN', ctx],
    { env: { FROM_ENV: 'v2', BUILD_TOKEN: 'abcdefgh' } },
  );
  assert.equal(await runIn(d, 'cli-opts:a', ['cat', '/args', '/verified', '/envlen']), 'v1|v2|none\nfile-ok\n8\n');
  const inspect = JSON.parse((await berth(d, ['image', 'inspect', 'cli-opts:b'])).stdout)[0];
  assert.deepEqual(inspect.Config.Labels, { 'com.example.x': '1', empty: '' });
  assert.deepEqual([...inspect.RepoTags].sort(), ['cli-opts:a', 'cli-opts:b']);
  // No secret in any layer or in the image's config.
  assert.equal(await runIn(d, 'cli-opts:a', ['sh', '-c', 'ls /run/secrets 2>/dev/null | wc -l; grep -rl s3cret / --exclude-dir=proc --exclude-dir=sys 2>/dev/null | wc -l']), '0\n0\n');
  assert.doesNotMatch(JSON.stringify(inspect), /s3cret|abcdefgh/);

  // A secret the build asks for but was not given: the daemon's error, exit 1.
  const r = await berth(d, ['build', '-q', ctx], { env: { FROM_ENV: 'v2' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /secret/i);
  await assertNoMounts(d);
});
