/**
 * The builder in-process on a real engine: every instruction, its effect
 * on the image (run to check), its history entry and the classic builder's
 * output, as Docker 20.10 gives them for the same Dockerfile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireRoot } from '../../helpers/daemon.ts';
import { openBuilder } from './builder-helpers.ts';

const EVERYTHING = `ARG BASE=busybox
FROM $BASE
ARG A=1
ARG B
ENV x=y  z="w v"
LABEL a=b "c d"=e
RUN echo hi $A $B $C > /run.txt
COPY f.txt /dst/
WORKDIR /work/dir
EXPOSE 80/tcp 90 7000-7001/udp
USER nobody
CMD ["sh"]
ENTRYPOINT echo ep
VOLUME /v
STOPSIGNAL SIGKILL
HEALTHCHECK --interval=5s --timeout=2s --start-period=1m --retries=2 CMD true
ONBUILD RUN echo trig > /trig.txt
MAINTAINER someone
SHELL ["/bin/sh","-xc"]
RUN echo after shell
`;

test('every instruction: the config, the history and the output are dockerd\'s', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const dir = await b.context({ Dockerfile: EVERYTHING, 'f.txt': 'hello\n' });
  const { id, output } = await b.build(dir, { buildArgs: { A: '5', B: '2', C: '3' }, tags: ['docker.io/library/every:one'], labels: { zz: 'v 1', aa: 'x' } });

  const steps = output.split('\n').filter((l) => l.startsWith('Step '));
  assert.equal(steps.length, 22);
  assert.equal(steps[0], 'Step 1/22 : ARG BASE=busybox');
  assert.equal(steps[20], 'Step 21/22 : LABEL aa=x');
  assert.equal(steps[21], 'Step 22/22 : LABEL zz=v 1');
  assert.match(output, /Step 7\/22 : RUN echo hi \$A \$B \$C > \/run.txt\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n/);
  assert.match(output, /Step 8\/22 : COPY f.txt \/dst\/\n ---> [0-9a-f]{12}\n/);
  assert.match(output, /\u001b\[91m\+ echo after shell\n\u001b\[0m/, 'stderr is shown in red, as dockerd writes it');
  assert.match(output, /\[Warning\] One or more build-args \[C\] were not consumed\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged every:one\n$/);

  const inspect = b.engine.images.inspect('every:one');
  assert.equal(inspect.Id, id);
  const c = inspect.Config!;
  assert.deepEqual(c.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'x=y', 'z=w v'], 'build args are not in the config');
  assert.deepEqual(c.Labels, { a: 'b', 'c d': 'e', aa: 'x', zz: 'v 1' });
  assert.deepEqual(Object.keys(c.ExposedPorts ?? {}).sort(), ['7000/udp', '7001/udp', '80/tcp', '90/tcp']);
  assert.equal(c.User, 'nobody');
  assert.equal(c.WorkingDir, '/work/dir');
  assert.deepEqual(c.Entrypoint, ['/bin/sh', '-c', 'echo ep']);
  assert.deepEqual(c.Cmd, ['sh'], 'CMD set in this stage survives the ENTRYPOINT after it');
  assert.deepEqual(c.Volumes, { '/v': {} });
  assert.equal(c.StopSignal, 'SIGKILL');
  assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Timeout: 2e9, StartPeriod: 60e9, Retries: 2 });
  assert.deepEqual(c.OnBuild, ['RUN echo trig > /trig.txt']);
  assert.deepEqual(c.Shell, ['/bin/sh', '-xc']);
  assert.equal(inspect.Author, 'someone');
  assert.equal(inspect.RootFS.Layers?.length, 5, 'busybox, RUN, COPY, WORKDIR, RUN (its VOLUME mount point)');

  const history = b.engine.images.history(id).map((h) => h.CreatedBy).reverse().slice(1);
  assert.deepEqual(history.slice(0, 8), [
    '/bin/sh -c #(nop)  ARG A=1',
    '/bin/sh -c #(nop)  ARG B',
    '/bin/sh -c #(nop)  ENV x=y z=w v',
    '/bin/sh -c #(nop)  LABEL a=b c d=e',
    '|2 A=5 B=2 /bin/sh -c echo hi $A $B $C > /run.txt',
    history[5]!,
    '/bin/sh -c #(nop) WORKDIR /work/dir',
    '/bin/sh -c #(nop)  EXPOSE 7000-7001/udp 80/tcp 90',
  ]);
  assert.match(history[5]!, /^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/dst\/ $/);
  assert.deepEqual(history.slice(8), [
    '/bin/sh -c #(nop)  USER nobody',
    '/bin/sh -c #(nop)  CMD ["sh"]',
    '/bin/sh -c #(nop)  ENTRYPOINT ["/bin/sh" "-c" "echo ep"]',
    '/bin/sh -c #(nop)  VOLUME [/v]',
    '/bin/sh -c #(nop)  STOPSIGNAL SIGKILL',
    '/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "true"] "5s" "2s" "1m0s" \'\\x02\'}',
    '/bin/sh -c #(nop)  ONBUILD RUN echo trig > /trig.txt',
    '/bin/sh -c #(nop)  MAINTAINER someone',
    '/bin/sh -xc #(nop)  SHELL [/bin/sh -xc]',
    '|2 A=5 B=2 /bin/sh -xc echo after shell',
    '/bin/sh -xc #(nop)  LABEL aa=x',
    '/bin/sh -xc #(nop)  LABEL zz=v 1',
  ]);

  // The image runs as built: files, owner, user, workdir, env.
  const r = await b.run(id, [], { Entrypoint: ['sh', '-c', 'cat /run.txt /dst/f.txt; stat -c "%U %a" /dst/f.txt /work/dir; id -un; pwd; echo $x/$z/$A'] });
  assert.equal(r.stdout, 'hi 5 2\nhello\nroot 644\nroot 755\nnobody\n/work/dir\ny/w v/\n');
});

test('ENTRYPOINT resets an inherited CMD, not one set in the same stage; ONBUILD triggers run after FROM', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const base = await b.build(await b.context({ Dockerfile: 'FROM busybox\nCMD ["echo", "base"]\nONBUILD RUN echo triggered > /trig\nONBUILD ENV T=1\n' }), { tags: ['docker.io/library/base:x'] });
  const child = await b.build(await b.context({ Dockerfile: 'FROM base:x\nENTRYPOINT ["echo"]\nRUN cat /trig\n' }));
  assert.match(child.output, /^Step 1\/3 : FROM base:x\n# Executing 2 build triggers\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\nStep 2\/3 : ENTRYPOINT \["echo"\]\n/);
  assert.match(child.output, /triggered\n/);
  const c = b.engine.images.inspect(child.id).Config!;
  assert.equal(c.Cmd, null, 'the base image\'s CMD is reset by ENTRYPOINT');
  assert.deepEqual(c.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'T=1']);
  assert.equal(c.OnBuild, null, 'triggers are consumed');
  assert.deepEqual(b.engine.images.inspect(base.id).Config!.Cmd, ['echo', 'base']);
  const same = await b.build(await b.context({ Dockerfile: 'FROM busybox\nCMD ["a"]\nENTRYPOINT ["b"]\n' }));
  assert.deepEqual(b.engine.images.inspect(same.id).Config!.Cmd, ['a'], 'a CMD of the same stage stays');
});

test('heredocs: RUN runs the body as its script, COPY writes it as a file (variables expanded unless quoted)', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const df = `FROM busybox
ENV WHO=world
RUN <<EOF
echo one > /one
echo two >> /one
EOF
RUN cat > /two <<'EOT'
$WHO literal
EOT
COPY <<EOF /three
hello $WHO
EOF
RUN <<EOF
#!/bin/sh -e
echo "shebang $0" > /four
EOF
`;
  const { id } = await b.build(await b.context({ Dockerfile: df }));
  const r = await b.run(id, ['sh', '-c', 'cat /one /two /three /four; ls /dev/pipes 2>&1']);
  assert.equal(r.stdout, 'one\ntwo\n$WHO literal\nhello world\nshebang /dev/pipes/EOF\nls: /dev/pipes: No such file or directory\n');
});

test('USER, WORKDIR relative to the last one, EXPOSE from ARG words, STOPSIGNAL and HEALTHCHECK NONE', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const df = `FROM busybox
ARG PORTS="8080 9090/udp"
WORKDIR /a
WORKDIR b
EXPOSE $PORTS
USER 1000:1000
STOPSIGNAL 9
HEALTHCHECK CMD ["true"]
HEALTHCHECK NONE
RUN id -u > /tmp/uid; pwd > /tmp/pwd
`;
  const { id, output } = await b.build(await b.context({ Dockerfile: df }));
  assert.match(output, /Note: overriding previous HEALTHCHECK: \[CMD true\]\n/);
  const c = b.engine.images.inspect(id).Config!;
  assert.equal(c.WorkingDir, '/a/b');
  assert.deepEqual(Object.keys(c.ExposedPorts ?? {}).sort(), ['8080/tcp', '9090/udp']);
  assert.equal(c.StopSignal, '9');
  assert.deepEqual(c.Healthcheck, { Test: ['NONE'] });
  const r = await b.run(id, ['cat', '/tmp/uid', '/tmp/pwd']);
  assert.equal(r.stdout, '1000\n/a/b\n');
});

test('bad input: an invalid signal, a failing RUN (dockerd\'s words and code), no tag, no container with forcerm', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  await assert.rejects(b.build(await b.context({ Dockerfile: 'FROM busybox\nSTOPSIGNAL NOPE\n' })), /Invalid signal: NOPE/);
  const failing = await b.context({ Dockerfile: 'FROM busybox\nENV A=1\nRUN echo out; echo err >&2; exit 7\n' });
  const err = (await b.build(failing, { tags: ['docker.io/library/never:x'], forceRemove: true }).catch((e: unknown) => e)) as Error & { code?: number; output?: string };
  assert.equal(err.message, "The command '/bin/sh -c echo out; echo err >&2; exit 7' returned a non-zero code: 7");
  assert.equal(err.code, 7);
  assert.match(err.output!, / ---> Running in ([0-9a-f]{12})\n[^]*Removing intermediate container \1\n$/);
  assert.throws(() => b.engine.images.resolveImage('never:x'), /No such image/);
  // Without forcerm the failed step's container goes too (dockerd would keep it), without the "Removing" line.
  const silent = (await b.build(failing, {}).catch((e: unknown) => e)) as Error & { output?: string };
  assert.match(silent.message, /returned a non-zero code: 7/);
  assert.doesNotMatch(silent.output!, /Removing intermediate container/);
  assert.deepEqual(b.engine.containers.store.all(), []);
  await assert.rejects(b.build(await b.context({ Dockerfile: 'FROM busybox\nRUN ["sh", "-c", "exit 3"]\n' }), { forceRemove: true }), /^CommandFailedError: The command 'sh -c exit 3' returned a non-zero code: 3$/m);
});

test('an aborted build kills and removes the running step\'s container', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const abort = new AbortController();
  const building = b.build(await b.context({ Dockerfile: 'FROM busybox\nRUN echo started; sleep 30\n' }), {}, abort.signal);
  const deadline = Date.now() + 20000;
  while (b.engine.containers.store.all().every((c) => c.state.status !== 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  abort.abort(new Error('client went away'));
  await assert.rejects(building, /client went away/);
  assert.deepEqual(b.engine.containers.store.all(), []);
});

test('RUN steps get the build\'s extra hosts, network mode and memory limit', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const df = 'FROM busybox\nRUN grep myhost /etc/hosts > /hosts; cat /proc/net/dev | grep -c : > /links; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null | head -1 > /mem\n';
  const { id } = await b.build(await b.context({ Dockerfile: df }), { extraHosts: ['myhost:10.1.2.3'], networkMode: 'none', resources: { memory: 64 * 1024 * 1024 } });
  const r = await b.run(id, ['cat', '/hosts', '/links', '/mem']);
  assert.equal(r.stdout, `10.1.2.3\tmyhost\n1\n${64 * 1024 * 1024}\n`);
});

test('proxy build args reach RUN without an ARG, stay out of the config, and out of history unless declared', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const buildArgs = { HTTP_PROXY: 'http://proxy:3128', no_proxy: 'local' };
  const plain = await b.build(await b.context({ Dockerfile: 'FROM busybox\nRUN echo "$HTTP_PROXY $no_proxy" > /p\n' }), { buildArgs });
  assert.doesNotMatch(plain.output, /not consumed/, 'predefined args never warn');
  const history = b.engine.images.history(plain.id).map((h) => h.CreatedBy);
  assert.equal(history[0], '|0 /bin/sh -c echo "$HTTP_PROXY $no_proxy" > /p');
  assert.equal((await b.run(plain.id, ['cat', '/p'])).stdout, 'http://proxy:3128 local\n');
  assert.ok(!(b.engine.images.inspect(plain.id).Config!.Env ?? []).some((e) => e.includes('proxy')));
  const declared = await b.build(await b.context({ Dockerfile: 'FROM busybox\nARG HTTP_PROXY\nRUN echo "$HTTP_PROXY" > /p\n' }), { buildArgs });
  assert.equal(b.engine.images.history(declared.id)[0]!.CreatedBy, '|1 HTTP_PROXY=http://proxy:3128 /bin/sh -c echo "$HTTP_PROXY" > /p', 'the undeclared no_proxy is still left out');
});
