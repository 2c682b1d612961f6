/** --ulimit through the real docker CLI: applied, "unlimited" as -1, and refused at create when the daemon could not set it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { hasEffectiveCapability, parseHardLimits } from '../../../src/drivers/host-limits.ts';

test('--ulimit is applied, -1 means unlimited, and one the daemon cannot raise is a 400 naming it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // The daemon inherits this process's limits.
  const hard = parseHardLimits(readFileSync('/proc/self/limits', 'utf8'));
  const nofile = hard.get('nofile')!;
  const lower = Math.min(nofile, 4096);
  const applied = await docker(d, ['run', '--rm', '--ulimit', `nofile=${lower - 1}:${lower}`, 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn']);
  assert.equal(applied.stdout, `${lower - 1}\n${lower}\n`, applied.stderr);
  if (hard.get('core') === Infinity) {
    const unlimited = await docker(d, ['run', '-d', '--ulimit', 'core=-1', 'busybox', 'sleep', '300']);
    const id = unlimited.stdout.trim();
    assert.equal((await docker(d, ['exec', id, 'sh', '-c', 'ulimit -c; ulimit -Hc'])).stdout, 'unlimited\nunlimited\n');
  }
  if (hasEffectiveCapability(24) || nofile === Infinity) {
    t.diagnostic('the daemon may raise limits here (CAP_SYS_RESOURCE): nothing to refuse');
    return;
  }
  const refused = await docker(d, ['create', '--name', 'too-many', '--ulimit', `nofile=${nofile + 1}:${nofile + 1}`, 'busybox']);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `Error response from daemon: invalid ulimit nofile=${nofile + 1}:${nofile + 1}: the hard limit is above this host's (${nofile}), and the daemon cannot raise it (no CAP_SYS_RESOURCE)\n`);
  assert.equal((await docker(d, ['ps', '-a', '-q', '--filter', 'name=too-many'])).stdout, '', 'nothing half-created');
});
