import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildArgs } from './build-args.ts';
import { parseDockerfile } from './dockerfile/parse-dockerfile.ts';
import { applyMetadata, exposedPorts, isMetadata, normalizeWorkdir } from './metadata-steps.ts';
import { initialRunConfig, withCommentCmd, type StageState } from './stage-state.ts';
import { scratchImageConfig } from './step-image.ts';

const x = { word: (w: string) => w.replace(/^"(.*)"$/, '$1'), words: (w: string) => w.split(' ') };

/** The created_by of each instruction after FROM, as Docker 20.10 wrote them for the same lines. */
test('comments of metadata steps are dockerd\'s', () => {
  const df = parseDockerfile(`FROM x
ENV a b c
LABEL "k"="v v" k2=x
EXPOSE 80 443/udp
VOLUME ["/a", "/b"]
CMD echo hi
ARG x=1 y
USER 1:2
HEALTHCHECK --interval=90s --timeout=1500ms CMD ["curl","-f","x"]
STOPSIGNAL 9
ENTRYPOINT ["e"]
SHELL ["/bin/bash", "-c"]
ONBUILD RUN make
MAINTAINER me <me@x>
`);
  const state: StageState = { index: 0, imageId: undefined, image: scratchImageConfig({ os: 'linux', architecture: 'amd64' }), runConfig: initialRunConfig(undefined), cmdSet: false, args: new BuildArgs({}).forStage() };
  const out: string[] = [];
  for (const ins of df.stages[0]!.instructions) {
    assert.ok(isMetadata(ins));
    const { comment } = applyMetadata(state, ins, x);
    out.push((withCommentCmd(state.runConfig, comment).Cmd ?? []).join(' '));
  }
  assert.deepEqual(out, [
    '/bin/sh -c #(nop)  ENV a=b c',
    '/bin/sh -c #(nop)  LABEL k=v v k2=x',
    '/bin/sh -c #(nop)  EXPOSE 443/udp 80',
    '/bin/sh -c #(nop)  VOLUME [/a /b]',
    '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo hi"]',
    '/bin/sh -c #(nop)  ARG x=1 y',
    '/bin/sh -c #(nop)  USER 1:2',
    '/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "curl" "-f" "x"] "1m30s" "1.5s" "0s" \'\\x00\'}',
    '/bin/sh -c #(nop)  STOPSIGNAL 9',
    '/bin/sh -c #(nop)  ENTRYPOINT ["e"]',
    '/bin/bash -c #(nop)  SHELL [/bin/bash -c]',
    '/bin/bash -c #(nop)  ONBUILD RUN make',
    '/bin/bash -c #(nop)  MAINTAINER me <me@x>',
  ]);
  assert.deepEqual(state.runConfig.Cmd, ['/bin/sh', '-c', 'echo hi'], 'CMD set in the stage survives ENTRYPOINT');
  assert.deepEqual(state.runConfig.Healthcheck, { Test: ['CMD', 'curl', '-f', 'x'], Interval: 90e9, Timeout: 1.5e9 });
  assert.equal(state.maintainer, 'me <me@x>');
});

test('WORKDIR paths and EXPOSE specs', () => {
  assert.equal(normalizeWorkdir(undefined, 'rel'), '/rel');
  assert.equal(normalizeWorkdir('/a', 'b/../c/'), '/a/c');
  assert.equal(normalizeWorkdir('/a', '/abs/../other/'), '/abs/../other/', 'an absolute path is kept as written');
  assert.deepEqual(exposedPorts(['80', '53/UDP', '7000-7002/tcp', '1.2.3.4:8080:80']), ['80/tcp', '53/udp', '7000/tcp', '7001/tcp', '7002/tcp', '80/tcp']);
  assert.throws(() => exposedPorts(['80/xyz']), /invalid proto: xyz/);
  assert.throws(() => exposedPorts(['abc']), /invalid containerPort: abc/);
});
