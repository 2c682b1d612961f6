import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logDetails } from './log-attrs.ts';
import type { ContainerRecord } from './record.ts';

const record = (logOpts: Record<string, string>) =>
  ({
    id: 'a'.repeat(64),
    name: '/web',
    image: `sha256:${'b'.repeat(64)}`,
    config: { Image: 'busybox', Labels: { a: 'b', c: 'd' }, Env: ['E1=x', 'E2=y z', 'PATH=/bin'] },
    hostConfig: { LogConfig: { Type: 'json-file', Config: logOpts } },
  }) as unknown as ContainerRecord;

test('logs --details: the attributes the log options name, sorted, query-escaped, comma-joined', () => {
  assert.equal(logDetails(record({})), '');
  assert.equal(logDetails(record({ labels: 'c,a', env: 'E2,E1', tag: 'mytag' })), 'E1=x,E2=y+z,a=b,c=d,tag=mytag');
  assert.equal(logDetails(record({ 'labels-regex': '^c$', 'env-regex': '^E1' })), 'E1=x,c=d');
  assert.equal(logDetails(record({ tag: '{{.Name}}/{{.ID}}' })), `tag=web%2F${'a'.repeat(12)}`);
});
