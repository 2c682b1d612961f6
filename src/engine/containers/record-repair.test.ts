import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairRecord } from './record-repair.ts';
import { newState, type ContainerRecord } from './record.ts';

function record(config: object, hostConfig: object): ContainerRecord {
  return {
    id: 'a'.repeat(64), name: '/x', created: '2026-01-01T00:00:00Z', image: 'sha256:1', imageChainId: '',
    config, hostConfig, path: 'true', args: [], state: newState(), restartCount: 0, networkMode: 'default',
  } as unknown as ContainerRecord;
}

const CASES: { what: string; config?: object; hostConfig?: object; fixed: string[]; after: (r: ContainerRecord) => unknown; expect: unknown }[] = [
  { what: 'a label with a number value loses that label', config: { Labels: { a: 5, b: 'ok' } }, fixed: ['Config.Labels.a'], after: (r) => r.config.Labels, expect: { b: 'ok' } },
  { what: 'StopTimeout 1e300 is dropped', config: { StopTimeout: 1e300 }, fixed: ['Config.StopTimeout'], after: (r) => r.config.StopTimeout, expect: undefined },
  { what: 'a Healthcheck Test that is a number is dropped', config: { Healthcheck: { Test: 5, Retries: 3 } }, fixed: ['Config.Healthcheck.Test'], after: (r) => r.config.Healthcheck, expect: { Retries: 3 } },
  { what: 'Memory 1e308 is dropped', hostConfig: { Memory: 1e308 }, fixed: ['HostConfig.Memory'], after: (r) => r.hostConfig.Memory, expect: undefined },
  { what: 'ShmSize 1e20 is dropped', hostConfig: { ShmSize: 1e20 }, fixed: ['HostConfig.ShmSize'], after: (r) => r.hostConfig.ShmSize, expect: undefined },
  { what: 'a Tmpfs entry with a number is dropped', hostConfig: { Tmpfs: { '/x': 5 } }, fixed: ['HostConfig.Tmpfs./x'], after: (r) => r.hostConfig.Tmpfs, expect: {} },
  { what: 'a device that is a number is dropped', hostConfig: { Devices: [5, { PathOnHost: '/dev/null' }] }, fixed: ['HostConfig.Devices[0]'], after: (r) => r.hostConfig.Devices, expect: [{ PathOnHost: '/dev/null' }] },
  { what: 'a ulimit with a string Soft loses it', hostConfig: { Ulimits: [{ Name: 'nofile', Soft: '1', Hard: 2 }] }, fixed: ['HostConfig.Ulimits[0].Soft'], after: (r) => r.hostConfig.Ulimits, expect: [{ Name: 'nofile', Hard: 2 }] },
  { what: 'ConsoleSize [-1,-1] is dropped whole', hostConfig: { ConsoleSize: [-1, -1] }, fixed: ['HostConfig.ConsoleSize'], after: (r) => r.hostConfig.ConsoleSize, expect: undefined },
  { what: 'ConsoleSize "x" is dropped', hostConfig: { ConsoleSize: 'x' }, fixed: ['HostConfig.ConsoleSize'], after: (r) => r.hostConfig.ConsoleSize, expect: undefined },
  { what: 'a fractional CpuShares is dropped', hostConfig: { CpuShares: 1.5 }, fixed: ['HostConfig.CpuShares'], after: (r) => r.hostConfig.CpuShares, expect: undefined },
  { what: 'a string Cmd (a Go strslice) is kept', config: { Cmd: 'true' }, fixed: [], after: (r) => r.config.Cmd, expect: 'true' },
  { what: 'nulls and unknown fields are kept', config: { Labels: null, Bogus: { deep: 1 } }, hostConfig: { PidsLimit: null }, fixed: [], after: (r) => (r.config as Record<string, unknown>)['Bogus'], expect: { deep: 1 } },
  { what: 'the largest int64 that prints in range is kept', hostConfig: { Memory: 2 ** 63 - 1024 }, fixed: [], after: (r) => r.hostConfig.Memory, expect: 2 ** 63 - 1024 },
  { what: 'a HostConfig that is not an object becomes empty', hostConfig: [1] as unknown as object, fixed: ['HostConfig'], after: (r) => r.hostConfig, expect: {} },
];

for (const c of CASES) {
  test(`repairRecord: ${c.what}`, () => {
    const r = record(structuredClone(c.config ?? {}), structuredClone(c.hostConfig ?? {}));
    assert.deepEqual(repairRecord(r), c.fixed);
    assert.deepEqual(c.after(r), c.expect);
    assert.deepEqual(repairRecord(r), [], 'a repaired record is sound');
  });
}

test('repairRecord: a broken state is reset field by field', () => {
  const r = record({}, {});
  (r.state as unknown as Record<string, unknown>)['exitCode'] = 'x';
  assert.deepEqual(repairRecord(r), ['State.exitCode']);
  assert.equal(r.state.exitCode, 0);
});
