/**
 * What docker-py (docker-compose 1.29) sends and reads, answered in dockerd's
 * shapes (each checked on the reference dockerd 20.10 with the same requests):
 * - a create that leaves lists out sees them null in inspect, and Config in
 *   Go's encoding ("Domainname": "", "Volumes": null, "Labels": {}, no
 *   "NetworkDisabled": false);
 * - links on a user-defined network live in the endpoint: HostConfig.Links is
 *   null, NetworkSettings.Networks.<net>.Links holds them, and they resolve;
 * - the short ID is appended to the aliases asked for, not put first;
 * - a list entry's networks carry no Links, Aliases or DriverOpts (null).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { assertClean, ok } from '../../helpers/net-check.ts';

test('a bare API create (docker-py) shows null lists and Config in dockerd\'s encoding', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const created = await d.api('POST', '/v1.41/containers/create?name=bare', { Image: 'busybox', NetworkDisabled: false, HostConfig: { Links: [] } });
  assert.equal(created.status, 201, created.text);
  const r = await d.api('GET', '/containers/bare/json');
  const h = r.body.HostConfig;
  for (const k of ['Links', 'Dns', 'DnsOptions', 'DnsSearch', 'Devices', 'Ulimits', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps',
    'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'PortBindings', 'Binds', 'DeviceCgroupRules']) {
    assert.equal(h[k], null, `HostConfig.${k}`);
  }
  const c = r.body.Config;
  assert.equal(c.Domainname, '');
  assert.equal(c.Volumes, null);
  assert.deepEqual(c.Labels, {});
  assert.equal('NetworkDisabled' in c, false);
  assert.equal('MacAddress' in c, false);
  assert.deepEqual(Object.keys(c).slice(0, 6), ['Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr']);
  // The docker CLI sends the lists as []: kept as sent.
  await ok(docker(d, ['create', '--name', 'cli', 'busybox', 'true']), 'create');
  assert.equal(await ok(docker(d, ['inspect', '-f', '{{json .HostConfig.Dns}} {{json .HostConfig.PortBindings}} {{json .Config.Domainname}}', 'cli']), 'inspect'), '[] {} ""');
  await assertClean(t, d);
});

test('links and aliases on a user-defined network as docker-compose 1.29 sends them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await ok(docker(d, ['network', 'create', 'proj_default']), 'network create');
  await ok(docker(d, ['run', '-d', '--name', 'proj_db_1', '--network', 'proj_default', '--network-alias', 'db', 'busybox', 'sleep', '300']), 'run db');
  // docker-compose's create: HostConfig.Links and the endpoint's aliases; it then disconnects and connects again with Links in the endpoint.
  const created = await d.api('POST', '/v1.41/containers/create?name=proj_client_1', {
    Image: 'busybox', Cmd: ['sleep', '300'],
    HostConfig: { NetworkMode: 'proj_default', Links: ['proj_db_1:db_1', 'proj_db_1:dbalias'], PortBindings: {}, Binds: [], VolumesFrom: [] },
    NetworkingConfig: { EndpointsConfig: { proj_default: { Aliases: ['cl', 'client'], IPAMConfig: {} } } },
  });
  assert.equal(created.status, 201, created.text);
  const id: string = created.body.Id;
  assert.equal((await d.api('POST', '/networks/proj_default/disconnect', { Container: id })).status, 200);
  const connected = await d.api('POST', '/networks/proj_default/connect', {
    Container: id, EndpointConfig: { Aliases: ['client', 'cl'], Links: ['proj_db_1:db_1', 'proj_db_1:dbalias'] },
  });
  assert.equal(connected.status, 200, connected.text);
  assert.equal((await d.api('POST', `/containers/${id}/start`)).status, 204);

  const r = await d.api('GET', `/containers/${id}/json`);
  assert.equal(r.body.HostConfig.Links, null);
  const ep = r.body.NetworkSettings.Networks.proj_default;
  assert.deepEqual(ep.Links, ['proj_db_1:db_1', 'proj_db_1:dbalias']);
  assert.deepEqual(ep.Aliases, ['client', 'cl', id.slice(0, 12)]);
  const db = await d.api('GET', '/containers/proj_db_1/json');
  assert.deepEqual(db.body.NetworkSettings.Networks.proj_default.Aliases, ['db', db.body.Id.slice(0, 12)]);

  // The link aliases reach the target from the linking container.
  assert.match(await ok(docker(d, ['exec', 'proj_client_1', 'ping', '-c', '1', '-W', '2', 'dbalias']), 'ping the link alias'), /1 packets received/);

  const filters = encodeURIComponent(JSON.stringify({ label: [], name: ['proj_client_1'] }));
  const list = await d.api('GET', `/containers/json?filters=${filters}`);
  assert.equal(list.body.length, 1);
  const listed = list.body[0].NetworkSettings.Networks.proj_default;
  assert.equal(listed.Links, null);
  assert.equal(listed.Aliases, null);
  assert.equal(listed.DriverOpts, null);
  assert.match(listed.IPAddress, /^10\.201\./);
  await assertClean(t, d);
});
