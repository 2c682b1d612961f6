/**
 * A realistic project brought up and down by docker-compose 1.29 against
 * berthd: a web server with a bind-mounted site and a published port, two
 * services reaching each other by name behind a healthcheck, a named volume
 * shared by two services, a service built from a Dockerfile (docker-py's
 * POST /build), then recreate, ps, logs, exec, run, stop/start/restart,
 * scale and down -v leaving nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot, type Daemon } from '../../helpers/daemon.ts';
import { assertClean } from '../../helpers/net-check.ts';
import { compose, freePort, httpGet, mountsUnder, ok, requireCompose } from './compose-v1.ts';

interface Summary {
  Id: string;
  Names: string[];
  State: string;
  Labels: Record<string, string>;
}

async function projectContainers(d: Daemon, project: string, extra: string[] = []): Promise<Summary[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`, ...extra] }));
  const r = await d.api('GET', `/containers/json?all=1&filters=${filters}`);
  assert.equal(r.status, 200, r.text);
  return (r.body as Summary[]).sort((a, b) => a.Names[0]!.localeCompare(b.Names[0]!));
}

function composeFile(port: number, site: string, env: string): string {
  return `version: "2.4"
services:
  web:
    image: busybox
    container_name: SITE
    command: httpd -f -p 80 -h /www
    restart: unless-stopped
    stop_grace_period: 1s
    ports: ["${port}:80"]
    volumes: ["${site}:/www:ro"]
  db:
    image: busybox
    command: sh -c "echo db-ready > /data/ready; exec httpd -f -p 8000 -h /data"
    stop_grace_period: 1s
    volumes: ["shared:/data"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost:8000/ready"]
      interval: 1s
      timeout: 2s
      retries: 10
  client:
    image: busybox
    command: sh -c "wget -q -O- http://db:8000/ready; exec sleep 3600"
    stop_grace_period: 1s
    depends_on:
      db:
        condition: service_healthy
    environment: ["MODE=${env}"]
    volumes: ["shared:/shared"]
  built:
    build: ./app
    stop_grace_period: 1s
volumes:
  shared: {}
`;
}

test('docker-compose 1.29 brings a project up, recreates, scales, runs one-offs and takes it down with nothing left', async (t) => {
  if (!requireRoot(t) || !requireCompose(t)) return;
  const d = await startDaemon(t);
  const tag = randomBytes(3).toString('hex');
  const project = `cv1${tag}`;
  const dir = `/tmp/berth-test-cv1-${tag}`;
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(`${dir}/site`, { recursive: true });
  await fs.mkdir(`${dir}/app`, { recursive: true });
  await fs.writeFile(`${dir}/site/index.html`, '<h1>hello compose</h1>\n');
  await fs.writeFile(`${dir}/app/Dockerfile`, 'FROM busybox\nRUN echo built > /built.txt\nCMD ["sh", "-c", "cat /built.txt; exec sleep 3600"]\n');
  const port = await freePort();
  const site = `${project}-site`;
  const write = (env: string) => fs.writeFile(`${dir}/docker-compose.yml`, composeFile(port, `${dir}/site`, env).replace('SITE', site));
  const dc = (args: string[]) => ok(compose(d, dir, ['-p', project, ...args]), `docker-compose ${args.join(' ')}`);

  await write('one');
  const up = await dc(['up', '-d']);
  assert.match(up.stderr, new RegExp(`Creating network "${project}_default" with the default driver`));
  assert.match(up.stderr, new RegExp(`Creating volume "${project}_shared" with default driver`));
  assert.match(up.stdout + up.stderr, new RegExp(`Successfully tagged ${project}_built:latest`));

  // The page, from the host through the published port.
  const page = await httpGet(port);
  assert.deepEqual(page, { status: 200, body: '<h1>hello compose</h1>\n' });

  // Names, labels and states as docker-compose 1.29 makes and reads them.
  const first = await projectContainers(d, project);
  assert.deepEqual(first.map((c) => c.Names[0]), [`/${project}_built_1`, `/${project}_client_1`, `/${project}_db_1`, `/${site}`]);
  for (const c of first) {
    assert.equal(c.State, 'running', c.Names[0]);
    assert.equal(c.Labels['com.docker.compose.oneoff'], 'False');
    assert.equal(c.Labels['com.docker.compose.container-number'], '1');
    assert.equal(c.Labels['com.docker.compose.version'], '1.29.2');
    assert.match(c.Labels['com.docker.compose.config-hash']!, /^[0-9a-f]{64}$/);
  }
  const ps = await dc(['ps']);
  assert.match(ps.stdout, new RegExp(`^${project}_db_1 .* Up \\(healthy\\)`, 'm'));
  assert.match(ps.stdout, new RegExp(`^${site} .* Up .*0\\.0\\.0\\.0:${port}->80/tcp`, 'm'));

  // The client reached db by its service name (after db was healthy) and shares its volume.
  const logs = await dc(['logs', '--no-color', 'client', 'built']);
  assert.match(logs.stdout, /client_1 +\| db-ready/);
  assert.match(logs.stdout, /built_1 +\| built/);
  assert.equal((await dc(['exec', '-T', 'client', 'cat', '/shared/ready'])).stdout, 'db-ready\n');
  assert.equal((await dc(['exec', '-T', 'client', 'sh', '-c', 'echo $MODE'])).stdout, 'one\n');
  const exitCode = await compose(d, dir, ['-p', project, 'exec', '-T', 'client', 'sh', '-c', 'exit 3']);
  assert.equal(exitCode.code, 3);

  // A one-off: output, and nothing left with --rm.
  const run = await dc(['run', '--rm', '-T', 'client', 'sh', '-c', 'echo one-off $MODE; cat /shared/ready']);
  assert.equal(run.stdout, 'one-off one\ndb-ready\n');
  assert.deepEqual(await projectContainers(d, project, ['com.docker.compose.oneoff=True']), []);

  // Changing one service's environment recreates that service only.
  await write('two');
  const again = await dc(['up', '-d']);
  assert.match(again.stderr, new RegExp(`Recreating ${project}_client_1`));
  assert.match(again.stderr, new RegExp(`${project}_db_1 is up-to-date`));
  const second = await projectContainers(d, project);
  const ids = (list: Summary[]) => Object.fromEntries(list.map((c) => [c.Names[0], c.Id]));
  const [before, after] = [ids(first), ids(second)];
  for (const name of Object.keys(before)) {
    if (name === `/${project}_client_1`) assert.notEqual(after[name], before[name]);
    else assert.equal(after[name], before[name], `${name} kept`);
  }
  assert.equal((await dc(['exec', '-T', 'client', 'sh', '-c', 'echo $MODE'])).stdout, 'two\n');

  // stop, start, restart.
  await dc(['stop']);
  assert.deepEqual((await projectContainers(d, project)).map((c) => c.State), ['exited', 'exited', 'exited', 'exited']);
  await dc(['start']);
  assert.deepEqual((await projectContainers(d, project)).map((c) => c.State), ['running', 'running', 'running', 'running']);
  await dc(['restart', 'web']);
  assert.equal((await httpGet(port)).status, 200);

  // Scale up, then down.
  const scaled = await dc(['up', '-d', '--scale', 'built=3']);
  assert.match(scaled.stderr, new RegExp(`Creating ${project}_built_3`));
  assert.equal((await projectContainers(d, project, ['com.docker.compose.service=built'])).length, 3);
  await dc(['scale', 'built=1']);
  assert.deepEqual((await projectContainers(d, project, ['com.docker.compose.service=built'])).map((c) => c.Names[0]), [`/${project}_built_1`]);

  // docker-py's build again, without the cache.
  const build = await dc(['build', '--no-cache', 'built']);
  assert.match(build.stdout + build.stderr, /Step 2\/3 : RUN echo built > \/built.txt\n ---> Running in [0-9a-f]{12}/);

  // down -v --rmi local: containers, network, volume and the built image gone.
  const down = await dc(['down', '-v', '--rmi', 'local']);
  assert.match(down.stderr, new RegExp(`Removing network ${project}_default`));
  assert.match(down.stderr, new RegExp(`Removing volume ${project}_shared`));
  assert.match(down.stderr, new RegExp(`Removing image ${project}_built`));
  assert.deepEqual(await projectContainers(d, project), []);
  const nets = (await d.api('GET', '/networks')).body as Array<{ Name: string }>;
  assert.deepEqual(nets.map((n) => n.Name).sort(), ['bridge', 'host', 'none']);
  assert.deepEqual((await d.api('GET', '/volumes')).body.Volumes, []);
  assert.equal((await d.api('GET', `/images/${project}_built/json`)).status, 404);
  // No rootfs, volume or bind mount left; network namespaces (the daemon keeps spares) once it has stopped.
  assert.deepEqual(mountsUnder(d.dataRoot, dir), []);
  await assertClean(t, d);
  assert.deepEqual(mountsUnder(d.dataRoot, d.execRoot, dir), []);
});
