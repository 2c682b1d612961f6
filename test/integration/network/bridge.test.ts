/**
 * The default bridge, user networks, published ports, links and connect,
 * through netavark, driven by the real docker CLI and by berth. Each test's
 * daemon has its own bridge and subnets (test/helpers/net-slot.ts), and each
 * test checks that nothing of it is left on the host afterwards.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { startDaemon, requireRoot, docker, runCli, BERTH, type Daemon } from '../../helpers/daemon.ts';
import { leftovers } from '../../helpers/net-slot.ts';

const berth = (d: Daemon, args: string[]) => runCli(BERTH, d, args);

/** A port nobody listens on now (the kernel's pick). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** GET http://host:port/ with a short retry (httpd needs a moment to listen). */
async function fetchText(host: string, port: number): Promise<string> {
  let last: unknown;
  for (let i = 0; i < 40; i++) {
    try {
      const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2000) });
      return await res.text();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing served on ${host}:${port}: ${String(last)}`);
}

/** A host address that is not loopback (published ports answer there too). */
function hostAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.20')) return a.address;
  }
  return undefined;
}

async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await p;
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  return r.stdout.trim();
}

/** After every container is gone and the daemon stopped: nothing of the slot on the host. */
async function assertClean(t: TestContext, d: Daemon): Promise<void> {
  const list = (await d.api('GET', '/containers/json?all=1')).body as { Id: string }[];
  for (const c of list) await d.api('DELETE', `/containers/${c.Id}?force=1`);
  const nets = (await d.api('GET', '/networks')).body as { Id: string; Name: string }[];
  for (const n of nets) if (!['bridge', 'host', 'none'].includes(n.Name)) await d.api('DELETE', `/networks/${n.Id}`);
  await d.stop();
  const left = leftovers(d.slot);
  assert.deepEqual(left, [], `left on the host by ${t.name}`);
}

test('a default container gets an address on the daemon\'s bridge, reaches the gateway, and inspect shows it as dockerd does', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const gateway = d.slot.bip.split('/')[0]!;
  for (const cli of [docker, berth]) {
    const out = await ok(cli(d, ['run', '--rm', 'busybox', 'sh', '-c', 'ip -o -4 addr show; ls /sys/class/net; ping -c 1 -W 2 ' + gateway]), 'run');
    assert.match(out, new RegExp(`eth0\\s+inet 10\\.200\\.${d.slot.n}\\.\\d+/24`));
    assert.match(out, /1 packets received/);
    assert.deepEqual(out.split('\n').filter((l) => /^(eth\d|lo)$/.test(l)), ['eth0', 'lo']);
  }
  const id = await ok(docker(d, ['run', '-d', '--name', 'web', 'busybox', 'sleep', '300']), 'run -d');
  const ns = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings}}', id]), 'inspect'));
  const bridgeId = JSON.parse(await ok(docker(d, ['network', 'inspect', '-f', '{{json .Id}}', 'bridge']), 'network inspect'));
  assert.match(ns.IPAddress, new RegExp(`^10\\.200\\.${d.slot.n}\\.\\d+$`));
  assert.equal(ns.Gateway, gateway);
  assert.equal(ns.IPPrefixLen, 24);
  assert.equal(ns.MacAddress, '02:42:' + ns.IPAddress.split('.').map((b: string) => Number(b).toString(16).padStart(2, '0')).join(':'));
  assert.equal(ns.Networks.bridge.NetworkID, bridgeId);
  assert.equal(ns.Networks.bridge.IPAddress, ns.IPAddress);
  assert.equal(ns.Networks.bridge.EndpointID, ns.EndpointID);
  assert.match(ns.EndpointID, /^[0-9a-f]{64}$/);
  assert.match(ns.SandboxID, /^[0-9a-f]{64}$/);
  // The host reaches the container's address through the bridge.
  const hostPing = await ok(docker(d, ['run', '--rm', 'busybox', 'ping', '-c', '1', '-W', '2', ns.IPAddress]), 'ping between containers');
  assert.match(hostPing, /1 packets received/);
  await ok(docker(d, ['rm', '-f', 'web']), 'rm');
  // dockerd's network events: connect at the start, disconnect at the exit, for the container on its network.
  const since = Math.floor(Date.now() / 1000) - 1;
  const ran = await ok(docker(d, ['run', '-d', 'busybox', 'true']), 'run for events');
  await ok(docker(d, ['wait', ran]), 'wait');
  const quiet = await ok(docker(d, ['create', 'busybox']), 'create unstarted');
  const second = await docker(d, ['network', 'connect', 'bridge', quiet]);
  assert.match(second.stderr, /already exists in network bridge/, 'it is on bridge from its create');
  // A stopped container connected: no event until it runs; disconnected: an event, as dockerd.
  const evnet = await ok(docker(d, ['network', 'create', 'evnet']), 'network create');
  await ok(docker(d, ['network', 'connect', 'evnet', quiet]), 'connect a stopped container');
  await ok(docker(d, ['network', 'disconnect', 'evnet', quiet]), 'disconnect it');
  let events = '';
  for (let i = 0; i < 20 && !events.includes(`disconnect evnet`); i++) {
    events = await ok(docker(d, ['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'type=network', '--format', '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.container}} {{.Actor.ID}}']), 'events');
    if (!events.includes(`disconnect evnet`)) await new Promise((r) => setTimeout(r, 100));
  }
  const mine = events.split('\n').filter((l) => l.includes(ran) || l.includes(quiet));
  assert.deepEqual(mine, [`connect bridge ${ran} ${bridgeId}`, `disconnect bridge ${ran} ${bridgeId}`, `disconnect evnet ${quiet} ${evnet}`]);
  await ok(docker(d, ['rm', '-f', ran, quiet]), 'rm');
  await ok(docker(d, ['network', 'rm', 'evnet']), 'network rm');
  const stopped = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.Networks}}', await ok(docker(d, ['create', 'busybox']), 'create')]), 'inspect created'));
  assert.equal(stopped.bridge.IPAddress, '');
  await assertClean(t, d);
});

test('published ports serve the host on 127.0.0.1, on the host\'s own address and on a random port; docker port and ps show them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const page = 'hello from berth';
  const serve = ['sh', '-c', `mkdir -p /www && echo '${page}' > /www/index.html && httpd -f -p 80 -h /www`];
  const p1 = await freePort();
  const p2 = await freePort();
  await ok(docker(d, ['run', '-d', '--name', 'local', '-p', `127.0.0.1:${p1}:80`, 'busybox', ...serve]), 'run -p ip:port:80');
  await ok(berth(d, ['run', '-d', '--name', 'any', '-p', `${p2}:80`, 'busybox', ...serve]), 'run -p port:80');
  await ok(docker(d, ['run', '-d', '--name', 'random', '-p', '127.0.0.1::80', 'busybox', ...serve]), 'run -p ip::80');
  await ok(docker(d, ['run', '-d', '--name', 'all', '--expose', '80', '-P', 'busybox', ...serve]), 'run -P');
  assert.equal((await fetchText('127.0.0.1', p1)).trim(), page);
  assert.equal((await fetchText('127.0.0.1', p2)).trim(), page);
  const address = hostAddress();
  if (address) assert.equal((await fetchText(address, p2)).trim(), page);

  const port = await ok(docker(d, ['port', 'random', '80']), 'docker port');
  const m = /^127\.0\.0\.1:(\d+)$/.exec(port);
  assert.ok(m, port);
  assert.equal((await fetchText('127.0.0.1', Number(m[1]))).trim(), page);
  const allPort = await ok(docker(d, ['port', 'all', '80/tcp']), 'docker port -P');
  const m2 = /0\.0\.0\.0:(\d+)/.exec(allPort);
  assert.ok(m2, allPort);
  assert.equal((await fetchText('127.0.0.1', Number(m2[1]))).trim(), page);

  const byFilter = async (f: string) => (await ok(docker(d, ['ps', '--format', '{{.Names}}', '--filter', f]), `ps --filter ${f}`)).split('\n').filter(Boolean).sort();
  assert.deepEqual(await byFilter(`publish=${p1}`), ['local']);
  assert.deepEqual(await byFilter(`publish=${p1}/udp`), []);
  assert.deepEqual(await byFilter('expose=80'), ['all', 'any', 'local', 'random']);
  assert.deepEqual(await byFilter('network=bridge'), ['all', 'any', 'local', 'random']);
  assert.deepEqual(await byFilter('network=bri'), []);
  const ps = await ok(docker(d, ['ps', '--format', '{{.Names}} {{.Ports}}', '--filter', 'name=local']), 'ps');
  assert.equal(ps, `local 127.0.0.1:${p1}->80/tcp`);
  const ports = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'local']), 'inspect ports'));
  assert.deepEqual(ports, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(p1) }] });
  const bindings = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .HostConfig.PortBindings}}', 'local']), 'inspect bindings'));
  assert.deepEqual(bindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(p1) }] });

  // Host networking has the host's ports: -p is kept in HostConfig and warned about, as dockerd does.
  const hostMode = await docker(d, ['create', '--network', 'host', '-p', `${p1}:80`, 'busybox']);
  assert.equal(hostMode.code, 0, hostMode.stderr);
  assert.match(hostMode.stderr, /WARNING: Published ports are discarded when using host network mode/);

  // A host port in use fails the start, and leaves nothing behind.
  const taken = await docker(d, ['run', '-d', '--name', 'clash', '-p', `127.0.0.1:${p1}:80`, 'busybox', ...serve]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /port is already allocated|address already in use/);
  assert.equal((await fetchText('127.0.0.1', p1)).trim(), page, 'the first container still serves');

  // The port of a removed container is free at once for the next one, as `rm -f web && run -p … web` expects.
  await ok(docker(d, ['rm', '-f', 'any']), 'rm -f');
  await ok(docker(d, ['run', '-d', '--name', 'any', '-p', `${p2}:80`, 'busybox', ...serve]), 'run again on the same port');
  assert.equal((await fetchText('127.0.0.1', p2)).trim(), page);

  // Across a daemon restart, published ports keep working.
  await d.stop();
  await d.restart();
  assert.equal((await fetchText('127.0.0.1', p1)).trim(), page);
  await ok(docker(d, ['stop', '-t', '0', 'local']), 'stop');
  await ok(docker(d, ['start', 'local']), 'start again');
  assert.equal((await fetchText('127.0.0.1', p1)).trim(), page, 'after a restart of the container');
  await assertClean(t, d);
});

test('on a user network containers find each other by name, alias and short ID, and not across networks', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await ok(docker(d, ['network', 'create', 'front']), 'network create');
  await ok(berth(d, ['network', 'create', 'back']), 'berth network create');
  const dbId = await ok(docker(d, ['run', '-d', '--name', 'db', '--network', 'front', '--network-alias', 'database', 'busybox', 'sh', '-c', 'echo db > /i.html; httpd -f -p 80 -h /']), 'run db');
  await ok(docker(d, ['run', '-d', '--name', 'other', '--network', 'back', 'busybox', 'sleep', '300']), 'run other');
  for (const name of ['db', 'database', dbId.slice(0, 12)]) {
    const out = await ok(docker(d, ['run', '--rm', '--network', 'front', 'busybox', 'sh', '-c', `nslookup ${name} >/dev/null && ping -c 1 -W 2 ${name} && wget -q -O - http://${name}/i.html`]), `reach ${name}`);
    assert.match(out, /1 packets received/);
    assert.match(out, /^db$/m);
  }
  const dbIp = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.Networks.front.IPAddress}}', 'db']), 'inspect'));
  const across = await docker(d, ['exec', 'other', 'ping', '-c', '1', '-W', '1', dbIp]);
  assert.notEqual(across.code, 0, 'a container of another network cannot reach db');
  const unresolved = await docker(d, ['exec', 'other', 'nslookup', 'db']);
  assert.notEqual(unresolved.code, 0, 'db is not a name on the other network');

  // connect adds eth1 to a running container, disconnect takes it away.
  await ok(docker(d, ['network', 'connect', 'front', 'other']), 'connect');
  const links = await ok(docker(d, ['exec', 'other', 'ls', '/sys/class/net']), 'ls');
  assert.deepEqual(links.split('\n').sort(), ['eth0', 'eth1', 'lo']);
  assert.match(await ok(docker(d, ['exec', 'other', 'wget', '-q', '-O', '-', 'http://db/i.html']), 'reach db after connect'), /db/);
  await ok(berth(d, ['network', 'disconnect', 'front', 'other']), 'disconnect');
  assert.deepEqual((await ok(docker(d, ['exec', 'other', 'ls', '/sys/class/net']), 'ls')).split('\n').sort(), ['eth0', 'lo']);
  await assertClean(t, d);
});

test('--link puts the target into /etc/hosts and the legacy variables into the environment', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = await ok(docker(d, ['run', '-d', '--name', 'target', '--expose', '80', '-e', 'SECRET=x', 'busybox', 'sleep', '300']), 'run target');
  const ip = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.IPAddress}}', 'target']), 'inspect'));
  const out = await ok(docker(d, ['run', '--rm', '--name', 'me', '--link', 'target:db', 'busybox', 'sh', '-c', 'cat /etc/hosts; env; ping -c 1 -W 2 db']), 'run --link');
  assert.match(out, new RegExp(`^${ip.replace(/\./g, '\\.')}\\tdb ${id.slice(0, 12)} target$`, 'm'));
  assert.match(out, /^DB_NAME=\/me\/db$/m);
  assert.match(out, new RegExp(`^DB_PORT=tcp://${ip.replace(/\./g, '\\.')}:80$`, 'm'));
  assert.match(out, /^DB_PORT_80_TCP_PORT=80$/m);
  assert.match(out, /^DB_ENV_SECRET=x$/m);
  assert.match(out, /1 packets received/);
  await assertClean(t, d);
});
