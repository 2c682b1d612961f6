/**
 * docker-compose 1.29, compose-spec format (version 3.8): two networks (one
 * internal, with labels), per-network aliases, a service sharing another's
 * network namespace (`network_mode: service:a`, a sidecar: it sees a's
 * /etc/hosts, resolv.conf and hostname, as dockerd gives it), volumes_from,
 * then pause/unpause/kill/rm/top/images and down -v.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';
import { assertClean } from '../../helpers/net-check.ts';
import { compose, mountsUnder, ok, requireCompose } from './compose-v1.ts';

const FILE = `version: "3.8"
services:
  a:
    image: busybox
    command: sh -c "exec sleep 3600"
    networks: [front, back]
    extra_hosts: ["myhost:1.2.3.4"]
    init: true
    stop_grace_period: 1s
  b:
    image: busybox
    command: sh -c "exec sleep 3600"
    network_mode: "service:a"
    volumes_from: [c]
    stop_grace_period: 1s
  c:
    image: busybox
    command: sh -c "echo from-c > /anon/f; exec sleep 3600"
    volumes: [/anon]
    networks:
      back:
        aliases: [cee]
    stop_grace_period: 1s
networks:
  front: {}
  back:
    internal: true
    labels: {tier: back}
`;

test('docker-compose 1.29: networks with aliases, a network_mode: service sidecar, volumes_from, pause/kill/rm/top', async (t) => {
  if (!requireRoot(t) || !requireCompose(t)) return;
  const d = await startDaemon(t);
  const tag = randomBytes(3).toString('hex');
  const project = `cv1s${tag}`;
  const dir = `/tmp/berth-test-cv1-${tag}`;
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/docker-compose.yml`, FILE);
  const dc = (args: string[]) => ok(compose(d, dir, ['-p', project, ...args]), `docker-compose ${args.join(' ')}`);

  await dc(['up', '-d']);
  const back = await d.api('GET', `/networks/${project}_back`);
  assert.equal(back.status, 200);
  assert.equal(back.body.Internal, true);
  assert.equal(back.body.Attachable, true);
  assert.deepEqual(back.body.Labels, { 'com.docker.compose.network': 'back', 'com.docker.compose.project': project, 'com.docker.compose.version': '1.29.2', tier: 'back' });
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const nets = (await d.api('GET', `/networks?filters=${filters}`)).body as Array<{ Name: string }>;
  assert.deepEqual(nets.map((n) => n.Name).sort(), [`${project}_back`, `${project}_front`]);

  // The sidecar: a's names, a's networks' resolution (c's alias on back), c's volume.
  const sidecar = await dc(['exec', '-T', 'b', 'sh', '-c', 'grep myhost /etc/hosts; ping -c 1 -W 2 cee | grep -c "bytes from"; cat /anon/f; hostname']);
  const a = await d.api('GET', `/containers/${project}_a_1/json`);
  assert.equal(sidecar.stdout, `1.2.3.4\tmyhost\n1\nfrom-c\n${a.body.Config.Hostname}\n`);
  assert.equal(a.body.HostConfig.Init, true);
  // Inspect names a's files for b, as dockerd does once b has started.
  const b = await d.api('GET', `/containers/${project}_b_1/json`);
  assert.equal(b.body.Config.Hostname, a.body.Config.Hostname);
  for (const k of ['HostsPath', 'ResolvConfPath', 'HostnamePath']) assert.equal(b.body[k], a.body[k], k);
  // Before its first start, a container joining another's network has none (dockerd: "").
  // `run` of such a service is refused, by dockerd as here: compose 1.29 links the one-off to the service's containers.
  const run = await compose(d, dir, ['-p', project, 'run', '-d', '--no-deps', 'b', 'true']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Cannot create container for service b: conflicting options: container type network can't be used with links\. This would result in undefined behavior/);
  const created = await d.api('POST', `/containers/create?name=${project}_fresh`, { Image: 'busybox', HostConfig: { NetworkMode: `container:${project}_a_1` } });
  assert.equal(created.status, 201, created.text);
  const fresh = await d.api('GET', `/containers/${project}_fresh/json`);
  assert.deepEqual([fresh.body.HostsPath, fresh.body.ResolvConfPath, fresh.body.HostnamePath], ['', '', '']);
  assert.equal((await d.api('DELETE', `/containers/${project}_fresh`)).status, 204);

  const top = await dc(['top', 'a']);
  assert.match(top.stdout, /\/sbin\/docker-init -- sh -c exec sleep 3600/);
  await dc(['pause', 'c']);
  assert.match((await dc(['ps', 'c'])).stdout, new RegExp(`^${project}_c_1 .* Paused`, 'm'));
  await dc(['unpause', 'c']);
  await dc(['kill', '-s', 'KILL', 'c']);
  assert.equal((await d.api('GET', `/containers/${project}_c_1/json`)).body.State.ExitCode, 137);
  await dc(['rm', '-f', 'c']);
  const images = await dc(['images']);
  assert.match(images.stdout, new RegExp(`^${project}_a_1 +busybox +latest +[0-9a-f]{12}`, 'm'));

  await dc(['down', '-v']);
  assert.deepEqual((await d.api('GET', `/containers/json?all=1&filters=${filters}`)).body, []);
  assert.deepEqual((await d.api('GET', `/networks?filters=${filters}`)).body, []);
  assert.deepEqual(mountsUnder(d.dataRoot, dir), []);
  await assertClean(t, d);
  assert.deepEqual(mountsUnder(d.dataRoot, d.execRoot, dir), []);
});
