import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUlimitsApplicable, hasEffectiveCapability, parseHardLimits } from './host-limits.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             95000                95000                processes
Max open files            1024                 20000                files
Max core file size        0                    unlimited            bytes
`;

test('hard limits by ulimit name; effective capabilities by bit', () => {
  const limits = parseHardLimits(LIMITS);
  assert.equal(limits.get('nofile'), 20000);
  assert.equal(limits.get('nproc'), 95000);
  assert.equal(limits.get('core'), Infinity);
  assert.equal(limits.get('cpu'), Infinity);
  assert.equal(hasEffectiveCapability(24, 'CapEff:\t000001fffeffffff\n'), false);
  assert.equal(hasEffectiveCapability(24, 'CapEff:\t000001ffffffffff\n'), true);
});

test('a ulimit above the host hard limit is refused only when the daemon cannot raise it', () => {
  const host = { hardLimits: parseHardLimits(LIMITS), canRaise: false };
  checkUlimitsApplicable([{ Name: 'nofile', Soft: 100, Hard: 20000 }, { Name: 'core', Soft: -1, Hard: -1 }], host);
  assert.throws(() => checkUlimitsApplicable([{ Name: 'nofile', Soft: 30000, Hard: 30000 }], host), {
    message: "invalid ulimit nofile=30000:30000: the hard limit is above this host's (20000), and the daemon cannot raise it (no CAP_SYS_RESOURCE)",
  });
  assert.throws(() => checkUlimitsApplicable([{ Name: 'nproc', Soft: 1, Hard: -1 }], host), /invalid ulimit nproc=1:-1/);
  checkUlimitsApplicable([{ Name: 'nofile', Soft: 30000, Hard: 30000 }], { ...host, canRaise: true });
});
