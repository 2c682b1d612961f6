import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findGroupId, resolveSocketGroup } from './host-groups.ts';

const GROUPS = 'root:x:0:\n# a comment:x:5:\ndocker:x:105:alice\nstaff:x:50:\n';

test('a group is found by its name or by its GID', () => {
  assert.equal(findGroupId(GROUPS, 'docker'), 105);
  assert.equal(findGroupId(GROUPS, '50'), 50);
  assert.equal(findGroupId(GROUPS, 'nosuch'), undefined);
});

test('the socket group is chosen as dockerd chooses it', () => {
  const cases: Array<[string | undefined, string, { gid: number; warning?: boolean } | string]> = [
    [undefined, GROUPS, { gid: 105 }],
    [undefined, 'root:x:0:\n', { gid: 0, warning: true }],
    ['docker', 'root:x:0:\n', { gid: 0, warning: true }],
    ['', GROUPS, { gid: 0 }],
    ['staff', GROUPS, { gid: 50 }],
    ['4242', GROUPS, { gid: 4242 }],
    ['nosuch', GROUPS, 'failed to load listeners: group nosuch not found'],
  ];
  for (const [group, file, want] of cases) {
    if (typeof want === 'string') {
      assert.throws(() => resolveSocketGroup(group, file, 0), { message: want }, String(group));
      continue;
    }
    const got = resolveSocketGroup(group, file, 0);
    assert.equal(got.gid, want.gid, String(group));
    assert.equal(got.warning !== undefined, Boolean(want.warning), String(group));
  }
});
