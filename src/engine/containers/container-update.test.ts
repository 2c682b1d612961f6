import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '../../util/errors.ts';
import { applyUpdate, checkUpdateConflicts } from './container-update.ts';

const conflict = (message: string) => (err: unknown) => err instanceof ConflictError && err.message === `Cannot update container c1: ${message}`;
const OVER_SWAP = 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time';

test('update conflicts are dockerd 20.10\'s (409): memory above the swap limit, even when there is none', () => {
  assert.throws(() => checkUpdateConflicts('c1', { Memory: 64, MemorySwap: 128 }, { Memory: 256 }), conflict(OVER_SWAP));
  assert.throws(() => checkUpdateConflicts('c1', {}, { Memory: 6291456 }), conflict(OVER_SWAP));
  assert.throws(() => checkUpdateConflicts('c1', { MemorySwap: -1 }, { Memory: 6291456 }), conflict(OVER_SWAP));
  assert.doesNotThrow(() => checkUpdateConflicts('c1', {}, { Memory: 6291456, MemorySwap: 12582912 }));
  assert.doesNotThrow(() => checkUpdateConflicts('c1', { Memory: 64, MemorySwap: 128 }, { Memory: 100 }));
  assert.doesNotThrow(() => checkUpdateConflicts('c1', {}, { MemorySwap: 1 }));
  const autoRemove = 'Restart policy cannot be updated because AutoRemove is enabled for the container';
  assert.throws(() => checkUpdateConflicts('c1', { AutoRemove: true }, { RestartPolicy: { Name: 'always' } }), conflict(autoRemove));
  assert.doesNotThrow(() => checkUpdateConflicts('c1', { AutoRemove: true }, { RestartPolicy: { Name: 'no' } }));
});

test('applyUpdate merges what changes: zeros are "not given", NanoCpus replaces a period and quota', () => {
  assert.deepEqual(applyUpdate({ Memory: 64, CpuPeriod: 1000, CpuQuota: 2000 }, { Memory: 0, NanoCpus: 1e9 }), { Memory: 64, CpuPeriod: 0, CpuQuota: 0, NanoCpus: 1e9 });
  assert.throws(() => applyUpdate({}, { RestartPolicy: { Name: 'bogus' as 'no' } }));
});
