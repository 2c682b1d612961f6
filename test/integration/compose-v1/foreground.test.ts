/**
 * docker-compose 1.29 in the foreground (attach streams, no TTY): `up`
 * prints each service's output and stops the project on SIGINT, as against
 * dockerd 20.10; `up --exit-code-from` returns the service's exit code;
 * a network with IPAM config and driver options and a static address,
 * brought up twice without "needs to be recreated".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';
import { assertClean } from '../../helpers/net-check.ts';
import { COMPOSE, compose, ok, requireCompose } from './compose-v1.ts';

const FILE = `version: "2.4"
services:
  talker:
    image: busybox
    command: sh -c "trap 'exit 0' TERM; echo started; while true; do sleep 0.2; done"
  other:
    image: busybox
    command: sh -c "echo other-line; exec sleep 3600"
    stop_signal: SIGKILL
  job:
    image: busybox
    command: sh -c "echo job-ran; exit 5"
    profiles: [jobs]
`;

test('docker-compose up in the foreground streams the services\' output and stops them on SIGINT; --exit-code-from', async (t) => {
  if (!requireRoot(t) || !requireCompose(t)) return;
  const d = await startDaemon(t);
  const tag = randomBytes(3).toString('hex');
  const project = `cv1f${tag}`;
  const dir = `/tmp/berth-test-cv1-${tag}`;
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/docker-compose.yml`, FILE);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: d.host, COMPOSE_INTERACTIVE_NO_CLI: '1' };

  const child = spawn(COMPOSE, ['-p', project, '--no-ansi', 'up', 'talker', 'other'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 60_000;
  while (!(out.includes('talker_1  | started') && out.includes('other_1   | other-line')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /Attaching to /);
  child.kill('SIGINT');
  assert.equal(await exited, 0, out);
  assert.match(out, /Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)/);
  assert.match(out, new RegExp(`Stopping ${project}_talker_1 +\\.\\.\\. done`));
  const states = await d.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }))}`);
  assert.deepEqual((states.body as Array<{ Names: string[]; Status: string }>).map((c) => [c.Names[0], c.Status.replace(/ \d+ seconds? ago| Less than a second ago/, '')]).sort(), [
    [`/${project}_other_1`, 'Exited (137)'],
    [`/${project}_talker_1`, 'Exited (0)'],
  ]);

  const job = await compose(d, dir, ['-p', project, '--no-ansi', '--profile', 'jobs', 'up', '--exit-code-from', 'job', 'job']);
  assert.equal(job.code, 5, job.stderr);
  assert.match(job.stdout, /job_1 +\| job-ran/);
  await ok(compose(d, dir, ['-p', project, '--profile', 'jobs', 'down']), 'down');
  await assertClean(t, d);
});

test('docker-compose: a network with IPAM config, driver options and a static address is up-to-date on a second up', async (t) => {
  if (!requireRoot(t) || !requireCompose(t)) return;
  const d = await startDaemon(t);
  const tag = randomBytes(3).toString('hex');
  const dir = `/tmp/berth-test-cv1-${tag}`;
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(dir, { recursive: true });
  // The slot's own pool (net-slot.ts): no other test daemon uses it.
  const base = d.slot.pool.split('/')[0]!.split('.').slice(0, 3).join('.');
  await fs.writeFile(`${dir}/docker-compose.yml`, `version: "2.4"
services:
  s:
    image: busybox
    command: sh -c "exec sleep 3600"
    stop_signal: SIGKILL
    networks:
      n1: {ipv4_address: ${base}.10}
networks:
  n1:
    driver: bridge
    driver_opts: {com.docker.network.bridge.name: cv1b${tag}}
    ipam:
      config:
        - subnet: ${base}.0/28
          gateway: ${base}.1
`);
  const dc = (args: string[]) => ok(compose(d, dir, ['-p', `cv1n${tag}`, ...args]), `docker-compose ${args.join(' ')}`);
  await dc(['up', '-d']);
  const again = await dc(['up', '-d']);
  assert.match(again.stderr, new RegExp(`cv1n${tag}_s_1 is up-to-date`));
  const net = await d.api('GET', `/networks/cv1n${tag}_n1`);
  assert.deepEqual(net.body.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: `${base}.0/28`, Gateway: `${base}.1` }] });
  assert.deepEqual(net.body.Options, { 'com.docker.network.bridge.name': `cv1b${tag}` });
  const c = await d.api('GET', `/containers/cv1n${tag}_s_1/json`);
  assert.deepEqual(c.body.NetworkSettings.Networks[`cv1n${tag}_n1`].IPAMConfig, { IPv4Address: `${base}.10` });
  assert.equal(c.body.NetworkSettings.Networks[`cv1n${tag}_n1`].IPAddress, `${base}.10`);
  await dc(['down']);
  await assertClean(t, d, [`cv1b${tag}`]);
});
