import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newState, type ContainerRecord } from './record.ts';
import { restartDelay, shouldRestart, shouldStartAtBoot, validateRestartPolicy } from './restart-policy.ts';
import { testRecord as record } from './test-records.ts';

test('restart policy decisions', () => {
  const r = (policy: { Name?: string; MaximumRetryCount?: number }, restartCount = 0, manuallyStopped = false) =>
    ({ ...record('aa', '2024-01-01T00:00:00Z', 'exited'), hostConfig: { RestartPolicy: policy }, restartCount, manuallyStopped }) as ContainerRecord;
  assert.equal(shouldRestart(r({ Name: 'no' }), 1), false);
  assert.equal(shouldRestart(r({ Name: 'always' }), 0), true);
  assert.equal(shouldRestart(r({ Name: 'always' }, 0, true), 0), false);
  assert.equal(shouldRestart(r({ Name: 'unless-stopped' }), 0), true);
  assert.equal(shouldRestart(r({ Name: 'on-failure' }), 0), false);
  assert.equal(shouldRestart(r({ Name: 'on-failure' }), 1), true);
  assert.equal(shouldRestart(r({ Name: 'on-failure', MaximumRetryCount: 2 }, 2), 1), false);
  assert.equal(shouldRestart(r({ Name: 'on-failure', MaximumRetryCount: 2 }, 1), 1), true);
});

test('which stopped containers the daemon starts when it starts (moby restore)', () => {
  const r = (policy: { Name?: string; MaximumRetryCount?: number }, exitCode: number, manuallyStopped: boolean, restartCount = 0, ran = true) =>
    ({
      ...record('aa', '2024-01-01T00:00:00Z', 'exited'),
      hostConfig: { RestartPolicy: policy },
      state: { ...newState(), status: 'exited', exitCode, startedAt: ran ? '2024-01-01T00:00:01Z' : newState().startedAt },
      restartCount,
      manuallyStopped,
    }) as ContainerRecord;
  assert.equal(shouldStartAtBoot(r({ Name: 'always' }, 137, true)), true, 'always: even after docker stop');
  assert.equal(shouldStartAtBoot(r({ Name: 'always' }, 0, false, 0, false)), false, 'never started: no');
  assert.equal(shouldStartAtBoot(r({ Name: 'unless-stopped' }, 137, true)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'unless-stopped' }, 0, false)), true);
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure' }, 0, false)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure' }, 137, true)), true, 'a failure, a manual stop included');
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure', MaximumRetryCount: 1 }, 1, false, 1)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'no' }, 1, false)), false);
});

test('the restart back-off starts at 100 ms and doubles per consecutive restart, up to a minute', () => {
  assert.deepEqual([0, 1, 2, 3, 9].map(restartDelay), [100, 200, 400, 800, 51_200]);
  assert.equal(restartDelay(10), 60_000);
  assert.equal(restartDelay(50), 60_000);
});

test('restart policies are checked with dockerd\'s words', () => {
  for (const ok of [undefined, { Name: '' }, { Name: 'no' }, { Name: 'always' }, { Name: 'unless-stopped' }, { Name: 'on-failure', MaximumRetryCount: 3 }]) validateRestartPolicy(ok);
  assert.throws(() => validateRestartPolicy({ Name: 'sometimes' }), { message: "invalid restart policy 'sometimes'" });
  assert.throws(() => validateRestartPolicy({ Name: 'always', MaximumRetryCount: 2 }), { message: "maximum retry count cannot be used with restart policy 'always'" });
  assert.throws(() => validateRestartPolicy({ Name: 'on-failure', MaximumRetryCount: -1 }), { message: 'maximum retry count cannot be negative' });
});
