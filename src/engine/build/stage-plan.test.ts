import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile/parse-dockerfile.ts';
import { planStages, stageRef, stepTotal } from './stage-plan.ts';

const DF = parseDockerfile(`ARG X=1
FROM busybox AS base
RUN true
FROM base AS a
RUN true
FROM busybox AS unused
FROM scratch AS b
COPY --from=a /x /x
RUN --mount=type=bind,from=unused2,target=/m true
FROM busybox
COPY --from=1 /x /x
COPY --from=b /y /y
COPY --from=other/image /z /z
`);
const o = { labels: 0, fromName: (s: { from: { image: string } }) => s.from.image, expandFlag: (v: string) => v };

test('the stages a target needs, dockerd\'s step numbers', () => {
  const plan = planStages(DF, o);
  assert.deepEqual(plan.needed, [0, 1, 3, 4]);
  assert.deepEqual([...plan.deps.get(4)!].sort(), [1, 3]);
  assert.deepEqual([...plan.deps.get(1)!], [0]);
  assert.equal(plan.total, 13);
  assert.deepEqual(plan.firstStep, [2, 4, 6, 7, 10]);
  const a = planStages(DF, { ...o, target: 'A', labels: 2 });
  assert.deepEqual(a.needed, [0, 1]);
  assert.equal(a.total, 7);
  assert.throws(() => planStages(DF, { ...o, target: 'nope' }), /^InvalidParameterError: failed to reach build target nope in Dockerfile$/m);
  assert.equal(stepTotal(DF, 'b', 1), 10);
});

test('--from values: earlier stage names and indexes, else an image', () => {
  assert.equal(stageRef(DF.stages, 4, 'A'), 1);
  assert.equal(stageRef(DF.stages, 4, '3'), 3);
  assert.equal(stageRef(DF.stages, 4, 'busybox'), undefined);
  assert.throws(() => stageRef(DF.stages, 3, '3'), /invalid from flag value 3: refers to current build stage/);
  assert.throws(() => stageRef(DF.stages, 3, '7'), /invalid from flag value 7: index out of bounds/);
});
