import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildView, TAIL_LINES } from './build-display.ts';

const feedAll = (view: BuildView, msgs: [number, Record<string, unknown>][]) => {
  for (const [t, m] of msgs) view.feed(m, t);
};

test('steps are read from the classic stream: number, instruction, time, CACHED and the running tail', () => {
  const view = new BuildView(0);
  feedAll(view, [
    [0, { stream: 'Step 1/3 : FROM busybox' }],
    [0, { stream: '\n' }],
    [100, { stream: ' ---> 0e8817765fea\n' }],
    [100, { stream: 'Step 2/3 : RUN echo a' }],
    [100, { stream: '\n' }],
    [100, { stream: ' ---> Using cache\n ---> dc8af3b18301\n' }],
    [200, { stream: 'Step 3/3 : RUN seq 10' }],
    [200, { stream: '\n ---> Running in 01f1b6b1e778\n' }],
    ...Array.from({ length: 10 }, (_, i): [number, Record<string, unknown>] => [300, { stream: `${i + 1}\n` }]),
    [300, { stream: 'partial' }],
  ]);
  const frame = view.frame(1200, 60);
  assert.equal(frame[0], 'Berth build 1.2s  (2/3 steps)');
  assert.match(frame[1]!, /^ ✔ \[1\/3\] FROM busybox +0\.1s$/);
  assert.match(frame[2]!, /^ ✔ \[2\/3\] RUN echo a +CACHED +0\.0s$/);
  assert.match(frame[3]!, /^ » \[3\/3\] RUN seq 10 +1\.0s$/);
  assert.deepEqual(frame.slice(4), ['   │ 6', '   │ 7', '   │ 8', '   │ 9', '   │ 10', '   │ partial']);
  assert.equal(frame.slice(4).length, TAIL_LINES);
  for (const line of frame) assert.ok([...line].length <= 60, line);
});

test('a failed step shows its whole output; a successful build its ID and tags', () => {
  const failed = new BuildView(0);
  feedAll(failed, [
    [0, { stream: 'Step 1/2 : FROM busybox\n ---> 0e8817765fea\nStep 2/2 : RUN x\n ---> Running in 01f1b6b1e778\n' }],
    ...Array.from({ length: 8 }, (_, i): [number, Record<string, unknown>] => [10, { stream: `out ${i}\n` }]),
    [20, { errorDetail: { code: 7, message: "The command '/bin/sh -c x' returned a non-zero code: 7" }, error: '…' }],
  ]);
  const frame = failed.frame(50, 80, true);
  assert.match(frame[0]!, /FAILED$/);
  assert.match(frame[2]!, /^ ✘ \[2\/2\] RUN x/);
  assert.equal(frame.filter((l) => l.startsWith('   │ out ')).length, 8);

  const ok = new BuildView(0);
  feedAll(ok, [
    [0, { stream: 'Step 1/1 : FROM busybox\n ---> 0e8817765fea\n' }],
    [5, { stream: '[Warning] One or more build-args [FOO] were not consumed\n' }],
    [5, { aux: { ID: 'sha256:0e8817765fea' } }],
    [5, { stream: 'Successfully built 0e8817765fea\nSuccessfully tagged a:latest\n' }],
  ]);
  ok.finish(10);
  assert.deepEqual(ok.frame(10, 80, true).slice(-3), ['   [Warning] One or more build-args [FOO] were not consumed', ' ✔ built sha256:0e8817765fea', ' ✔ tagged a:latest']);
});

test('escape sequences and carriage returns in a step output do not reach the frame', () => {
  const view = new BuildView(0);
  feedAll(view, [[0, { stream: 'Step 1/1 : RUN x\n\x1b[31mred\x1b[0m\n10%\r50%\r100%\n' }]]);
  assert.deepEqual(view.frame(0, 80).slice(2), ['   │ red', '   │ 100%']);
});
