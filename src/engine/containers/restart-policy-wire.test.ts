import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostConfigWithDefaults } from './to-wire.ts';
import type { HostConfig } from '../../wire/container-config.ts';

test('inspect shows a restart policy with its retry count, and "no" when none was asked for (dockerd 25+ stores it so)', () => {
  const policy = (p: unknown) => hostConfigWithDefaults({ RestartPolicy: p } as HostConfig).RestartPolicy;
  assert.deepEqual(policy(undefined), { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(policy({ Name: '' }), { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(policy({ Name: 'no' }), { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(policy({ Name: 'always' }), { Name: 'always', MaximumRetryCount: 0 });
  assert.deepEqual(policy({ Name: 'on-failure', MaximumRetryCount: 2 }), { Name: 'on-failure', MaximumRetryCount: 2 });
  // The field keeps its place in HostConfig (Go's struct order), whichever way it was given.
  const keys = Object.keys(hostConfigWithDefaults({ RestartPolicy: { Name: 'no' } } as HostConfig));
  assert.equal(keys.indexOf('RestartPolicy'), keys.indexOf('PortBindings') + 1);
});
