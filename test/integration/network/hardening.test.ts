/**
 * Bad network input, refused with dockerd 20.10's status code and message
 * (checked on the reference engine), leaving nothing half-configured: no
 * namespace, veth or iptables rule of the failed container, and the daemon
 * serving on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';
import { assertClean, assertUnchanged, freePort, hostState, ok } from '../../helpers/net-check.ts';

/** Create a container, start it through the API: the start's status and message (what `docker run` reports). */
async function startFails(d: Daemon, args: string[]): Promise<{ status: number; message: string }> {
  const id = await ok(docker(d, ['create', ...args]), `create ${args.join(' ')}`);
  const r = await d.api('POST', `/containers/${id}/start`);
  await ok(docker(d, ['rm', id]), 'rm the failed container');
  return { status: r.status, message: (r.body as { message?: string }).message ?? '' };
}

test('bad addresses, ports and networks are refused as dockerd refuses them, leaving nothing behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const sub = `10.201.${d.slot.n}`;
  await ok(docker(d, ['network', 'create', '--subnet', `${sub}.0/28`, 'hd']), 'network create');
  await ok(docker(d, ['run', '-d', '--name', 'holder', '--network', 'hd', '--ip', `${sub}.5`, 'busybox', 'sleep', '300']), 'run holder');
  await ok(docker(d, ['run', '--rm', 'busybox', 'true']), 'a default container (fills the spares)');
  const published = await freePort();
  await ok(docker(d, ['run', '-d', '--name', 'pub', '-p', `${published}:80`, 'busybox', 'sleep', '300']), 'run pub');
  let before = hostState(d);
  // Let the spares settle before comparing.
  await assertUnchanged(d, before, 'settling');
  before = hostState(d);

  const cases: { what: string; args: string[]; status: number; message: string | RegExp }[] = [
    { what: '--ip outside the subnet', args: ['--network', 'hd', '--ip', '10.218.99.5', 'busybox', 'true'], status: 500,
      message: "Invalid address 10.218.99.5: It does not belong to any of this network's subnets" },
    { what: '--ip taken by a running container', args: ['--network', 'hd', '--ip', `${sub}.5`, 'busybox', 'true'], status: 403, message: 'Address already in use' },
    { what: '--ip on the default bridge', args: ['--ip', `10.200.${d.slot.n}.50`, 'busybox', 'true'], status: 400,
      message: 'user specified IP address is supported on user defined networks only' },
    { what: 'a host port taken by another container', args: ['-p', `${published}:80`, 'busybox', 'true'], status: 500,
      message: new RegExp(`^driver failed programming external connectivity on endpoint \\S+ \\([0-9a-f]{64}\\): Bind for 0\\.0\\.0\\.0:${published} failed: port is already allocated$`) },
    { what: 'an unknown network', args: ['--network', 'nosuchnet', 'busybox', 'true'], status: 404, message: 'network nosuchnet not found' },
  ];
  for (const c of cases) {
    const r = await startFails(d, c.args);
    assert.equal(r.status, c.status, `${c.what}: ${r.message}`);
    if (typeof c.message === 'string') assert.equal(r.message, c.message, c.what);
    else assert.match(r.message, c.message, c.what);
    await assertUnchanged(d, before, c.what);
  }

  // A port a host process holds: dockerd's userland proxy fails to bind it.
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  t.after(() => new Promise((r) => server.close(r)));
  const held = (server.address() as net.AddressInfo).port;
  const r = await startFails(d, ['-p', `${held}:80`, 'busybox', 'true']);
  assert.equal(r.status, 500, r.message);
  assert.match(r.message, new RegExp(`^driver failed programming external connectivity on endpoint \\S+ \\([0-9a-f]{64}\\): .*0\\.0\\.0\\.0:${held}.*address already in use$`));
  await assertUnchanged(d, before, 'a port held by a host process');

  // Refused before anything is made.
  const badPort = await docker(d, ['run', '--rm', '-p', '99999:80', 'busybox', 'true']);
  assert.equal(badPort.code, 125);
  assert.match(badPort.stderr, /invalid hostPort: 99999/);
  const api = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '99999' }] } } });
  assert.equal(api.status, 400);
  assert.equal(api.body.message, 'invalid port specification: "99999"');

  const twice = await d.api('POST', '/networks/hd/connect', { Container: 'holder' });
  assert.equal(twice.status, 403);
  assert.equal(twice.body.message, 'endpoint with name holder already exists in network hd');
  const id = (await d.api('GET', '/networks/hd')).body.Id as string;
  const busy = await d.api('DELETE', '/networks/hd');
  assert.equal(busy.status, 403);
  assert.equal(busy.body.message, `error while removing network: network hd id ${id} has active endpoints`);
  const predefined = await d.api('DELETE', '/networks/bridge');
  assert.equal(predefined.status, 403);
  assert.equal(predefined.body.message, 'bridge is a pre-defined network and cannot be removed');
  await assertUnchanged(d, before, 'connect twice, rm of a busy or predefined network');

  // The daemon serves on: the holder still answers on its address, a new container runs.
  assert.match(await ok(docker(d, ['run', '--rm', '--network', 'hd', 'busybox', 'ping', '-c', '1', '-W', '2', `${sub}.5`]), 'ping holder'), /1 packets received/);
  await assertClean(t, d);
});
