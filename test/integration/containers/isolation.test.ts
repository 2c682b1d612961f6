/** Isolation and limits: namespaces, hostname, capabilities, memory (OOM), pids. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

test('a container sees itself as PID 1 with its own hostname and none of the host files', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const r = await docker(d, ['run', '--rm', '--hostname', 'boxy', 'busybox', 'sh', '-c', 'echo $$; hostname; cat /etc/hostname; ls /; test -e /etc/os-release && echo host-leak || echo clean']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], '1');
  assert.equal(lines[1], 'boxy');
  assert.equal(lines[2], 'boxy');
  assert.ok(r.stdout.includes('clean'), r.stdout);
  const ps = await docker(d, ['run', '--rm', 'busybox', 'ps', '-o', 'pid,comm']);
  assert.deepEqual(ps.stdout.trim().split('\n').slice(1).map((l) => l.trim()), ['1 ps']);
  const id = await docker(d, ['run', '-d', 'busybox', 'sleep', '100']);
  const host = await docker(d, ['exec', id.stdout.trim(), 'hostname']);
  assert.equal(host.stdout.trim(), id.stdout.trim().slice(0, 12), 'default hostname is the short ID');
});

test('default capabilities are Docker\'s; cap-drop and read-only rootfs apply', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const caps = await docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'grep CapEff /proc/self/status']);
  // Docker's default set: chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap
  assert.equal(caps.stdout.trim(), 'CapEff:\t00000000a80425fb');
  const dropped = await docker(d, ['run', '--rm', '--cap-drop', 'CHOWN', 'busybox', 'chown', 'nobody', '/tmp']);
  assert.notEqual(dropped.code, 0);
  const ro = await docker(d, ['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
  assert.notEqual(ro.code, 0);
  assert.match(ro.stderr, /Read-only file system/);
  const tmpfs = await docker(d, ['run', '--rm', '--read-only', '--tmpfs', '/scratch', 'busybox', 'sh', '-c', 'touch /scratch/x && echo ok']);
  assert.equal(tmpfs.stdout.trim(), 'ok', tmpfs.stderr);
  const masked = await docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'cat /proc/kcore | wc -c']);
  assert.equal(masked.stdout.trim(), '0');
});

test('a memory limit OOM-kills with exit 137 and OOMKilled true', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // tail buffers its whole input in memory: /dev/zero has no newline, so it grows until killed.
  const r = await docker(d, ['run', '--name', 'hog', '-m', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'tail /dev/zero']);
  assert.equal(r.code, 137, r.stderr);
  const s = await docker(d, ['inspect', '-f', '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}', 'hog']);
  assert.equal(s.stdout.trim(), 'true 137 16777216');
});

test('a pids limit stops a fork bomb', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // The inner shell forks until the kernel refuses; the outer one stays as PID 1.
  const run = await docker(d, ['run', '-d', '--pids-limit', '20', 'busybox', 'sh', '-c', "sh -c 'for i in $(seq 1 100); do sleep 1000 & done' 2>/dev/null; exec sleep 1000"]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  const cgroup = `/sys/fs/cgroup/pids/berth/${id}`;
  assert.equal((await fs.readFile(`${cgroup}/pids.max`, 'utf8')).trim(), '20');
  let current = 0;
  for (let i = 0; i < 50; i++) {
    current = Number((await fs.readFile(`${cgroup}/pids.current`, 'utf8')).trim());
    if (current >= 19) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(current >= 19 && current <= 20, `the bomb reached the limit and no further: ${current}`);
});

test('user, workdir and env are applied as Docker does', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const r = await docker(d, ['run', '--rm', '-u', 'nobody', '-w', '/made/here', '-e', 'FOO=bar', 'busybox', 'sh', '-c', 'id -u; pwd; echo $FOO; echo $HOME; echo $PATH']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['65534', '/made/here', 'bar', '/home', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  const unknown = await docker(d, ['run', '--rm', '-u', 'ghost', 'busybox', 'true']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /unable to find user ghost/);
  const init = await docker(d, ['run', '--rm', '--init', 'busybox', 'ps', '-o', 'pid,comm']);
  assert.match(init.stdout, /1 (docker-init|catatonit)/);
});

test('sysctls and oom-score-adj reach the container; dns search lands in resolv.conf', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const r = await docker(d, ['run', '--rm', '--sysctl', 'net.ipv4.ip_forward=1', '--oom-score-adj', '123', '--dns-search', 'corp.example', 'busybox', 'sh', '-c', 'cat /proc/sys/net/ipv4/ip_forward /proc/self/oom_score_adj; grep search /etc/resolv.conf']);
  assert.equal(r.stdout, '1\n123\nsearch corp.example\n', r.stderr);
});

test('--cgroup-parent places the container cgroup under it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const parent = `/berth-test-parent-${process.pid}`;
  t.after(async () => {
    for (const c of ['memory', 'pids', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'blkio', 'systemd', 'unified']) {
      await fs.rmdir(`/sys/fs/cgroup/${c}${parent}`).catch(() => undefined);
    }
  });
  const run = await docker(d, ['run', '-d', '--cgroup-parent', parent, '-m', '20m', 'busybox', 'sleep', '100']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.equal((await fs.readFile(`/sys/fs/cgroup/memory${parent}/${id}/memory.limit_in_bytes`, 'utf8')).trim(), String(20 * 1024 * 1024));
  const stats = await docker(d, ['stats', '--no-stream', '--format', '{{.MemUsage}}', id]);
  assert.match(stats.stdout, /\/ 20MiB/);
  await docker(d, ['rm', '-f', id]);
});
