/** `docker update`: limits reach a running container's cgroup and the record; dockerd's refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startDaemon, requireRoot, docker, runCli, BERTH } from '../../helpers/daemon.ts';

test('update changes limits of a running container live, keeps them in inspect, and refuses what dockerd refuses', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = (await docker(d, ['run', '-d', '--name', 'up', '--memory', '64m', '--memory-swap', '128m', 'busybox', 'sleep', '300'])).stdout.trim();
  const up = await docker(d, ['update', '--memory', '96m', '--cpus', '0.5', '--pids-limit', '50', '--restart', 'on-failure:3', 'up']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, 'up\n');
  const fields = await docker(d, ['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{json .HostConfig.RestartPolicy}}', 'up']);
  assert.equal(fields.stdout, `${96 * 1024 * 1024} ${128 * 1024 * 1024} 500000000 50 {"MaximumRetryCount":3,"Name":"on-failure"}\n`);
  if (existsSync('/sys/fs/cgroup/memory')) {
    // cgroup v1 (these machines): the limits are in the container's cgroup and visible inside it.
    assert.equal(readFileSync(`/sys/fs/cgroup/memory/berth/${id}/memory.limit_in_bytes`, 'utf8').trim(), String(96 * 1024 * 1024));
    assert.equal(readFileSync(`/sys/fs/cgroup/pids/berth/${id}/pids.max`, 'utf8').trim(), '50');
    const inside = await docker(d, ['exec', 'up', 'cat', '/sys/fs/cgroup/pids/pids.max']);
    assert.equal(inside.stdout.trim(), '50', inside.stderr);
  }

  const tooSmall = await docker(d, ['update', '--memory', '1m', 'up']);
  assert.equal(tooSmall.code, 1);
  assert.equal(tooSmall.stderr, 'Error response from daemon: Minimum memory limit allowed is 6MB\n');
  const overSwap = await docker(d, ['update', '--memory', '256m', 'up']);
  assert.equal(overSwap.stderr, `Error response from daemon: Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n`);
  assert.equal((await docker(d, ['update', '--memory', '10m', 'nosuch'])).stderr, 'Error response from daemon: No such container: nosuch\n');

  const rmId = (await docker(d, ['run', '-d', '--rm', 'busybox', 'sleep', '300'])).stdout.trim();
  const restart = await docker(d, ['update', '--restart', 'always', rmId]);
  assert.equal(restart.stderr, `Error response from daemon: Cannot update container ${rmId}: Restart policy cannot be updated because AutoRemove is enabled for the container\n`);

  // A stopped container keeps the new limits for its next start.
  const later = (await docker(d, ['create', 'busybox', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes'])).stdout.trim();
  assert.equal((await docker(d, ['update', '--memory', '48m', '--memory-swap', '96m', later])).code, 0);
  const started = await docker(d, ['start', '-a', later]);
  if (existsSync('/sys/fs/cgroup/memory')) assert.equal(started.stdout.trim(), String(48 * 1024 * 1024));
});

test('berth update does what docker update does', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'bu', 'busybox', 'sleep', '300']);
  // As dockerd 20.10: a memory limit above the container's swap limit (none here) needs a swap limit with it.
  const noSwap = await runCli(BERTH, d, ['update', '--memory', '64m', 'bu']);
  assert.equal(noSwap.code, 1);
  assert.match(noSwap.stderr, /Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/);
  const r = await runCli(BERTH, d, ['update', '--memory', '64m', '--memory-swap', '128m', '--restart', 'always', 'bu']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'bu\n');
  assert.equal((await docker(d, ['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}', 'bu'])).stdout, '67108864 always\n');
  for (const cli of [BERTH, '/usr/local/bin/docker']) {
    const none = await runCli(cli, d, ['update', 'bu']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'you must provide one or more flags when using this command\n');
  }
});

test('update --pids-limit -1 lifts a running container\'s limit (kept as 0, as dockerd keeps it); 0 changes nothing', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // Not lower: runc's own init (a Go program, several threads) counts against the limit while it starts the container.
  await docker(d, ['run', '-d', '--name', 'pl', '--pids-limit', '32', 'busybox', 'sleep', '300']);
  assert.equal((await docker(d, ['update', '--pids-limit', '0', 'pl'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.HostConfig.PidsLimit}}', 'pl'])).stdout, '32\n');
  assert.equal((await docker(d, ['update', '--pids-limit', '-1', 'pl'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.HostConfig.PidsLimit}}', 'pl'])).stdout, '0\n');
  if (existsSync('/sys/fs/cgroup/pids')) assert.equal((await docker(d, ['exec', 'pl', 'cat', '/sys/fs/cgroup/pids/pids.max'])).stdout, 'max\n');
});
