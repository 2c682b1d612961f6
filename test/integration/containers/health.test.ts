/** Health checks: probes run as execs, status and streak as dockerd keeps them, in inspect, ps and events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `inspect -f` until it prints `want` (probes run on their own clock), or give up after `ms`. */
async function until(d: Parameters<typeof docker>[0], name: string, format: string, want: RegExp, ms = 8000): Promise<string> {
  const deadline = Date.now() + ms;
  let got = '';
  while (Date.now() < deadline) {
    got = (await docker(d, ['inspect', '-f', format, name])).stdout.trim();
    if (want.test(got)) return got;
    await sleep(200);
  }
  return got;
}

test('a passing healthcheck makes the container healthy; ps shows it and filters on it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const since = Math.floor(Date.now() / 1000) - 1;
  assert.equal((await docker(d, ['run', '-d', '--name', 'ok', '--health-cmd', 'echo fine; exit 0', '--health-interval', '1s', 'busybox', 'sleep', '300'])).code, 0);
  assert.equal((await docker(d, ['run', '-d', '--name', 'plain', 'busybox', 'sleep', '300'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Health.Status}}', 'ok'])).stdout, 'starting\n');
  assert.match((await docker(d, ['ps', '--filter', 'name=ok', '--format', '{{.Status}}'])).stdout, /^Up .* \(health: starting\)\n$/);
  assert.equal(await until(d, 'ok', '{{.State.Health.Status}}', /^healthy$/), 'healthy');
  // Probes leave nothing behind: no exec record in inspect, at most the one running in the monitor's files.
  await until(d, 'ok', '{{len .State.Health.Log}}', /^[2-9]$/);
  const id = (await docker(d, ['inspect', '-f', '{{.Id}}', 'ok'])).stdout.trim();
  assert.ok(readdirSync(`${d.execRoot}/containers/${id}/execs`).length <= 1);
  const h = JSON.parse((await docker(d, ['inspect', '-f', '{{json .State.Health}}', 'ok'])).stdout) as { FailingStreak: number; Log: { ExitCode: number; Output: string; Start: string; End: string }[] };
  assert.equal(h.FailingStreak, 0);
  assert.equal(h.Log[0]?.ExitCode, 0);
  assert.equal(h.Log[0]?.Output, 'fine\n');
  assert.ok(Date.parse(h.Log[0]!.End) >= Date.parse(h.Log[0]!.Start));
  assert.match((await docker(d, ['ps', '--filter', 'name=ok', '--format', '{{.Status}}'])).stdout, /^Up .* \(healthy\)\n$/);
  assert.equal((await docker(d, ['ps', '--filter', 'health=healthy', '--format', '{{.Names}}'])).stdout, 'ok\n');
  assert.equal((await docker(d, ['ps', '--filter', 'health=none', '--format', '{{.Names}}'])).stdout, 'plain\n');
  assert.match((await docker(d, ['ps', '--filter', 'health=bogus'])).stderr, /Unrecognised filter value for health: bogus/);
  // A stopped container is not healthy.
  await docker(d, ['stop', '-t', '0', 'ok']);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Health.Status}}', 'ok'])).stdout, 'unhealthy\n');
  const until2 = Math.floor(Date.now() / 1000) + 1;
  const ev = await docker(d, ['events', '--since', String(since), '--until', String(until2), '--filter', 'container=ok', '--format', '{{.Action}}']);
  const actions = ev.stdout.trim().split('\n');
  assert.ok(actions.includes('health_status: healthy'), ev.stdout);
  assert.ok(actions.includes('exec_create: /bin/sh -c echo fine; exit 0'), ev.stdout);
});

test('failing probes count up to the retries, then unhealthy; a probe past its timeout fails with -1', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'bad', '--health-cmd', 'exit 3', '--health-interval', '1s', '--health-retries', '2', 'busybox', 'sleep', '300']);
  await docker(d, ['run', '-d', '--name', 'slow', '--health-cmd', 'sleep 10', '--health-interval', '1s', '--health-timeout', '300ms', '--health-retries', '1', 'busybox', 'sleep', '300']);
  assert.match(await until(d, 'bad', '{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}}', /^unhealthy/), /^unhealthy [2-9]\d* 3$/);
  const slow = await until(d, 'slow', '{{.State.Health.Status}}|{{(index .State.Health.Log 0).ExitCode}}|{{(index .State.Health.Log 0).Output}}', /^unhealthy/);
  assert.equal(slow, 'unhealthy|-1|Health check exceeded timeout (300ms)');
});
