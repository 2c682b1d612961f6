import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCpuset, parseCpuList } from './cpuset.ts';

test('cpu lists parse into their members; anything else is refused', () => {
  assert.deepEqual([...parseCpuList('0-2,5')], [0, 1, 2, 5]);
  assert.deepEqual([...parseCpuList('3')], [3]);
  for (const bad of ['', 'a', '1-', '3-1', '1,,2']) assert.throws(() => parseCpuList(bad), /invalid format/);
});

test('a cpuset must be within what the host offers, in dockerd words', () => {
  const host = { cpus: '0-1', mems: '0' };
  checkCpuset({ CpusetCpus: '0,1', CpusetMems: '0' }, host);
  checkCpuset({ CpusetCpus: '7' }, {}); // nothing known: nothing refused
  assert.throws(() => checkCpuset({ CpusetCpus: '1-2' }, host), { message: 'Requested CPUs are not available - requested 1-2, available: 0-1' });
  assert.throws(() => checkCpuset({ CpusetMems: '1' }, host), { message: 'Requested memory nodes are not available - requested 1, available: 0' });
  assert.throws(() => checkCpuset({ CpusetCpus: 'x' }, host), { message: 'Invalid value x for cpuset cpus: invalid format: x' });
});
