import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emptyStats, formatTime, readContainerStats, ZERO_TIME } from './stats.ts';
import { cgroupsPathFor } from './paths.ts';
import { readOomKillCount } from './oom.ts';
import type { ContainerStats } from '../../wire/stats.ts';

async function tree(t: { after: (fn: () => Promise<void>) => void }, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-cgroups-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

const PROC = {
  'proc/stat': 'cpu  100 0 100 800 0 0 0 0 0 0\n',
  'proc/meminfo': 'MemTotal:       1000 kB\n',
  'proc/42/net/dev': 'Inter-|\n face |\n    lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n  eth0: 10 2 0 0 0 0 0 0 20 3 0 0 0 0 0 0\n',
};
const CG = cgroupsPathFor('abc');

/** The docker CLI's CPU % and memory figures (cli/command/container/stats_helpers.go). */
function cliFigures(s: ContainerStats) {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 0;
  const cpuPercent = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  const stats = s.memory_stats.stats ?? {};
  const cache = stats['total_inactive_file'] ?? stats['inactive_file'] ?? 0;
  return { cpuPercent, mem: (s.memory_stats.usage ?? 0) - cache, limit: s.memory_stats.limit };
}

test('cgroupsPath is /berth/<id>, the parent overridable', () => {
  assert.equal(CG, '/berth/abc');
  assert.equal(cgroupsPathFor('abc', 'custom/parent'), '/custom/parent/abc');
});

test('v1: cpu, memory, pids, blkio and networks in Docker shape', async (t) => {
  const dir = await tree(t, {
    ...PROC,
    [`cg/cpuacct${CG}/cpuacct.usage`]: '3000000\n',
    [`cg/cpuacct${CG}/cpuacct.usage_percpu`]: '1000000 2000000 \n',
    [`cg/cpuacct${CG}/cpuacct.stat`]: 'user 2\nsystem 1\n',
    [`cg/cpu${CG}/cpu.stat`]: 'nr_periods 5\nnr_throttled 1\nthrottled_time 99\n',
    [`cg/memory${CG}/memory.usage_in_bytes`]: '500000\n',
    [`cg/memory${CG}/memory.max_usage_in_bytes`]: '600000\n',
    [`cg/memory${CG}/memory.failcnt`]: '0\n',
    [`cg/memory${CG}/memory.limit_in_bytes`]: '9223372036854771712\n',
    [`cg/memory${CG}/memory.stat`]: 'cache 0\nrss 49152\ntotal_inactive_file 100000\n',
    [`cg/pids${CG}/pids.current`]: '3\n',
    [`cg/pids${CG}/pids.max`]: 'max\n',
    [`cg/blkio${CG}/blkio.throttle.io_service_bytes`]: '8:0 Read 4096\n8:0 Write 0\nTotal 4096\n',
    [`cg/blkio${CG}/blkio.throttle.io_serviced`]: '8:0 Read 1\nTotal 1\n',
  });
  const opts = { id: 'abc', name: 'web', cgroupsPath: CG, pid: 42, cgroupRoot: path.join(dir, 'cg'), procRoot: path.join(dir, 'proc'), version: 1 as const };
  const s = await readContainerStats({ ...opts, now: () => new Date('2024-05-01T10:00:00.120Z') });
  assert.equal(s.read, '2024-05-01T10:00:00.12Z');
  assert.equal(s.preread, ZERO_TIME);
  assert.equal(s.name, '/web');
  assert.deepEqual(s.cpu_stats.cpu_usage, { total_usage: 3000000, percpu_usage: [1000000, 2000000], usage_in_kernelmode: 10000000, usage_in_usermode: 20000000 });
  assert.equal(s.cpu_stats.system_cpu_usage, 1000 * 1e7);
  assert.deepEqual(s.cpu_stats.throttling_data, { periods: 5, throttled_periods: 1, throttled_time: 99 });
  assert.deepEqual(Object.keys(s.cpu_stats), ['cpu_usage', 'system_cpu_usage', 'online_cpus', 'throttling_data']);
  assert.equal(s.memory_stats.limit, 1000 * 1024, 'unlimited memory reports the host total');
  assert.equal(s.memory_stats.max_usage, 600000);
  assert.equal(s.memory_stats.failcnt, undefined);
  assert.deepEqual(s.pids_stats, { current: 3 });
  assert.deepEqual(s.blkio_stats.io_service_bytes_recursive?.[0], { major: 8, minor: 0, op: 'Read', value: 4096 });
  assert.deepEqual(s.blkio_stats.sectors_recursive, []);
  assert.deepEqual(Object.keys(s.networks ?? {}), ['eth0']);
  assert.equal(s.networks?.['eth0']?.tx_packets, 3);

  // A second sample carries the first as precpu/preread; the CLI's figures follow.
  await writeFile(path.join(dir, `cg/cpuacct${CG}/cpuacct.usage`), '503000000\n');
  await writeFile(path.join(dir, 'proc/stat'), 'cpu  200 0 200 1600 0 0 0 0 0 0\n');
  const s2 = await readContainerStats({ ...opts, previous: s });
  assert.equal(s2.preread, s.read);
  assert.deepEqual(s2.precpu_stats, s.cpu_stats);
  const f = cliFigures(s2);
  const cpus = s2.cpu_stats.online_cpus ?? 0;
  assert.ok(Math.abs(f.cpuPercent - (500000000 / (1000 * 1e7)) * cpus * 100) < 1e-9);
  assert.equal(f.mem, 400000);
});

test('v2: usec counters become ns, io.stat read/write, memory.max honoured', async (t) => {
  const dir = await tree(t, {
    ...PROC,
    [`cg${CG}/cpu.stat`]: 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 0\nnr_throttled 0\nthrottled_usec 2\n',
    [`cg${CG}/memory.current`]: '4096\n',
    [`cg${CG}/memory.max`]: '8192\n',
    [`cg${CG}/memory.stat`]: 'anon 4096\ninactive_file 1024\n',
    [`cg${CG}/memory.events`]: 'low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\n',
    [`cg${CG}/pids.current`]: '2\n',
    [`cg${CG}/pids.max`]: '100\n',
    [`cg${CG}/io.stat`]: '8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n',
  });
  const s = await readContainerStats({ id: 'abc', name: 'db', cgroupsPath: CG, cgroupRoot: path.join(dir, 'cg'), procRoot: path.join(dir, 'proc'), version: 2 });
  assert.deepEqual(s.cpu_stats.cpu_usage, { total_usage: 1500000, usage_in_kernelmode: 500000, usage_in_usermode: 1000000 });
  assert.equal(s.cpu_stats.throttling_data.throttled_time, 2000);
  assert.deepEqual(s.memory_stats, { usage: 4096, stats: { anon: 4096, inactive_file: 1024 }, limit: 8192, failcnt: 1 });
  assert.equal(cliFigures(s).mem, 3072);
  assert.deepEqual(s.pids_stats, { current: 2, limit: 100 });
  assert.deepEqual(s.blkio_stats.io_service_bytes_recursive, [
    { major: 8, minor: 0, op: 'read', value: 10 },
    { major: 8, minor: 0, op: 'write', value: 20 },
  ]);
  assert.equal(s.blkio_stats.io_serviced_recursive, null);
  assert.equal(s.networks, undefined);
  assert.equal(await readOomKillCount(CG, path.join(dir, 'cg'), 2), 1);
  assert.equal(await readOomKillCount('/berth/gone', path.join(dir, 'cg'), 2), 0);
});

test('a vanished cgroup reads as zeros, not an error', async (t) => {
  const dir = await tree(t, PROC);
  const s = await readContainerStats({ id: 'x', name: 'x', cgroupsPath: CG, cgroupRoot: path.join(dir, 'cg'), procRoot: path.join(dir, 'proc'), version: 1 });
  assert.equal(s.cpu_stats.cpu_usage.total_usage, 0);
  assert.deepEqual(s.memory_stats, {});
});

test('a stopped container has Docker empty document', () => {
  const s = emptyStats('id1', 'web');
  assert.equal(
    JSON.stringify(s),
    '{"read":"0001-01-01T00:00:00Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{"io_service_bytes_recursive":null,"io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{},"name":"/web","id":"id1"}',
  );
  assert.equal(formatTime(new Date('2024-05-01T10:00:00.000Z')), '2024-05-01T10:00:00Z');
});
