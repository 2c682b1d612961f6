/**
 * The /networks API and `docker network create|ls|inspect|rm|prune` with the
 * real docker CLI, against a daemon with its own default bridge (`--bridge`,
 * `--bip`) and address pool. Network objects only: no container attaches
 * here. Every bridge network is given a `bapi…` device name (a create makes
 * the device, as dockerd's does), and what a test made is deleted after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { apiRequest, BERTHD, cleanupRoots, docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';

/** A bridge name of our own range, unique to the test. */
const bridgeName = () => `bapi${randomBytes(4).toString('hex')}`;

const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);

/** Bridge names for a test's networks; whatever of them is left after it is deleted. */
function ownBridges(t: Parameters<typeof startDaemon>[0]): () => string {
  const names: string[] = [];
  t.after(() => {
    for (const n of names) if (linkExists(n)) spawnSync('ip', ['link', 'del', n]);
  });
  return () => {
    const name = bridgeName();
    names.push(name);
    return name;
  };
}

/** The option that names a network's bridge. */
const named = (name: string) => ['-o', `com.docker.network.bridge.name=${name}`];

/** `docker events` of networks created or destroyed since `since` (Unix seconds): "action name type". */
async function networkEvents(d: Daemon, since: number): Promise<string[]> {
  const until = String(Math.floor(Date.now() / 1000) + 1);
  const format = '{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}';
  const r = await docker(d, ['events', '--since', String(since), '--until', until, '--filter', 'type=network', '--filter', 'event=create', '--filter', 'event=destroy', '--format', format]);
  return r.stdout.trim().split('\n');
}

/** A daemon whose default bridge is `bridge` on `bip` and whose automatic subnets come from `pool`. */
function start(t: Parameters<typeof startDaemon>[0], bridge: string, bip: string, pool: string): Promise<Daemon> {
  return startDaemon(t, { bootstrap: false, args: ['--bridge', bridge, '--bip', bip, '--default-address-pool', `base=${pool},size=24`] });
}

test('GET /networks/bridge shows the default bridge as dockerd does, with our device and subnet', async (t) => {
  if (!requireRoot(t)) return;
  const bridge = bridgeName();
  const d = await start(t, bridge, '10.213.120.1/24', '10.213.124.0/22');
  for (const path of ['/networks/bridge', '/v1.41/networks/bridge']) {
    const r = await d.api('GET', path);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body), ['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);
    assert.equal(r.body.Name, 'bridge');
    assert.match(r.body.Id, /^[0-9a-f]{64}$/);
    assert.match(r.body.Created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.deepEqual(r.body.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: '10.213.120.0/24', Gateway: '10.213.120.1' }] });
    assert.deepEqual(r.body.Options, {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': bridge,
      'com.docker.network.driver.mtu': '1500',
    });
    assert.deepEqual([r.body.Scope, r.body.Driver, r.body.Containers, r.body.Labels, r.body.ConfigFrom], ['local', 'bridge', {}, {}, { Network: '' }]);
  }
  const ls = await docker(d, ['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.deepEqual(ls.stdout.trim().split('\n').sort(), ['bridge bridge local', 'host host local', 'none null local']);
  const ids = (await d.api('GET', '/networks')).body.map((n: { Id: string }) => n.Id).sort();
  // The predefined networks keep their IDs across a restart.
  await d.stop();
  await d.restart();
  assert.deepEqual((await d.api('GET', '/networks')).body.map((n: { Id: string }) => n.Id).sort(), ids);
});

test('docker network create, ls, inspect, rm and prune: JSON, messages and events as dockerd', async (t) => {
  if (!requireRoot(t)) return;
  const d = await start(t, bridgeName(), '10.213.130.1/24', '10.213.132.0/22');
  const bridge = ownBridges(t);
  const since = Math.floor(Date.now() / 1000);
  const webBridge = bridge();
  const made = await docker(d, ['network', 'create', ...named(webBridge), '--label', 'tier=front', 'bapi-web']);
  assert.equal(made.code, 0, made.stderr);
  const id = made.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const inspected = JSON.parse((await docker(d, ['network', 'inspect', 'bapi-web'])).stdout)[0];
  assert.equal(inspected.Id, id);
  // An automatic subnet from the pool (a test daemon may be given more pools than ours: the first one free), its first host the gateway.
  const [auto] = inspected.IPAM.Config;
  assert.match(auto.Subnet, /^10\.\d+\.\d+\.\d+\/\d+$/);
  assert.equal(auto.Gateway, auto.Subnet.replace(/\d+\/\d+$/, (m: string) => `${Number(m.split('/')[0]) + 1}`));
  assert.deepEqual([inspected.IPAM.Driver, inspected.IPAM.Options, inspected.IPAM.Config.length], ['default', {}, 1]);
  assert.deepEqual([inspected.Labels, inspected.Options, inspected.Internal, inspected.Attachable], [{ 'tier': 'front' }, { 'com.docker.network.bridge.name': webBridge }, false, false]);
  // As dockerd, the network's bridge is there from the create: down, with the gateway's address.
  const addr = spawnSync('ip', ['-o', '-4', 'addr', 'show', 'dev', webBridge], { encoding: 'utf8' }).stdout;
  assert.match(addr, new RegExp(`inet ${auto.Gateway.replace(/\./g, '\\.')}/${auto.Subnet.split('/')[1]} `));

  const custom = await docker(d, ['network', 'create', '--internal', '--attachable', ...named(bridge()), '--subnet', '10.213.134.0/24', '--gateway', '10.213.134.254', '--ip-range', '10.213.134.128/25', '--aux-address', 'a=10.213.134.5', 'bapi-db']);
  assert.equal(custom.code, 0, custom.stderr);
  const db = (await d.api('GET', '/networks/bapi-db')).body;
  assert.deepEqual(db.IPAM.Config, [{ Subnet: '10.213.134.0/24', IPRange: '10.213.134.128/25', Gateway: '10.213.134.254', AuxiliaryAddresses: { a: '10.213.134.5' } }]);
  assert.deepEqual([db.Internal, db.Attachable], [true, true]);

  const refusals: [string[], RegExp][] = [
    [['network', 'create', 'bapi-web'], /Error response from daemon: network with name bapi-web already exists/],
    [['network', 'create', '--subnet', '10.213.134.0/25', 'bapi-x'], /Error response from daemon: Pool overlaps with other one on this address space/],
    [['network', 'create', '-d', 'foo', 'bapi-x'], /Error response from daemon: plugin "foo" not found/],
    [['network', 'create', '-d', 'macvlan', 'bapi-x'], /Error response from daemon: operation not supported/],
    [['network', 'rm', 'bridge'], /Error response from daemon: bridge is a pre-defined network and cannot be removed/],
    [['network', 'rm', 'bapi-nope'], /Error response from daemon: network bapi-nope not found/],
    [['network', 'inspect', 'bapi-nope'], /Error: No such network: bapi-nope|network bapi-nope not found/],
  ];
  for (const [args, message] of refusals) {
    const r = await docker(d, args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  const statuses = await Promise.all([
    d.api('POST', '/networks/create', { Name: 'bridge' }),
    d.api('POST', '/networks/create', { Name: 'bapi-x', Driver: 'host' }),
    d.api('POST', '/networks/create', { Name: 1 }),
    d.api('POST', '/networks/create'),
    d.api('DELETE', '/networks/host'),
    d.api('GET', '/networks/bapi-web?scope=swarm'),
    d.api('GET', '/networks/bapi-web?verbose=yes'),
    d.api('GET', '/networks?filters={"type":["x"]}'),
  ]);
  assert.deepEqual(statuses.map((r) => [r.status, r.body?.message]), [
    [403, 'operation is not permitted on predefined bridge network '],
    [403, 'only one instance of "host" network is allowed'],
    [400, 'json: cannot unmarshal number into Go struct field NetworkCreateRequest.Name of type string'],
    [400, 'got EOF while reading request body'],
    [403, 'host is a pre-defined network and cannot be removed'],
    [404, 'network bapi-web not found'],
    [400, 'invalid value for verbose: yes: strconv.ParseBool: parsing "yes": invalid syntax'],
    [500, "invalid filter: 'type'='x'"],
  ]);

  const ls = await docker(d, ['network', 'ls', '--filter', 'type=custom', '--format', '{{.Name}}']);
  assert.deepEqual(ls.stdout.trim().split('\n').sort(), ['bapi-db', 'bapi-web']);
  assert.equal((await docker(d, ['network', 'ls', '-q', '--filter', 'label=tier=front'])).stdout.trim(), id.slice(0, 12));

  assert.deepEqual(await networkEvents(d, since), ['create bapi-web bridge', 'create bapi-db bridge']);
  // User networks survive a restart (the events, kept in memory as dockerd keeps them, do not).
  await d.stop();
  await d.restart();
  assert.equal((await d.api('GET', `/networks/${id.slice(0, 10)}`)).body.Name, 'bapi-web');

  const rm = await docker(d, ['network', 'rm', 'bapi-web']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, 'bapi-web\n');
  assert.equal(linkExists(webBridge), false, 'the bridge goes with its network');
  const prune = await docker(d, ['network', 'prune', '-f']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.equal(prune.stdout, 'Deleted Networks:\nbapi-db\n\n');
  assert.equal((await d.api('POST', '/networks/prune')).text, '{"NetworksDeleted":null}\n');
  assert.deepEqual((await docker(d, ['network', 'ls', '--format', '{{.Name}}'])).stdout.trim().split('\n').sort(), ['bridge', 'host', 'none']);

  assert.deepEqual(await networkEvents(d, since), ['destroy bapi-web bridge', 'destroy bapi-db bridge']);
});

test("a network's bridge comes with create and goes with rm; one that was there before the network is left alone", async (t) => {
  if (!requireRoot(t)) return;
  const d = await start(t, bridgeName(), '10.213.140.1/24', '10.213.144.0/22');
  const bridge = ownBridges(t);
  const ours = bridge();
  const theirs = bridge();
  assert.equal((await docker(d, ['network', 'create', ...named(ours), '--subnet', '10.213.146.0/24', 'bapi-ours'])).code, 0);
  assert.match(spawnSync('ip', ['-o', 'addr', 'show', 'dev', ours], { encoding: 'utf8' }).stdout, /inet 10\.213\.146\.1\/24 /);
  assert.equal(spawnSync('ip', ['link', 'add', theirs, 'type', 'bridge']).status, 0);
  assert.equal((await docker(d, ['network', 'create', ...named(theirs), 'bapi-theirs'])).code, 0);
  assert.equal(spawnSync('ip', ['-o', 'addr', 'show', 'dev', theirs], { encoding: 'utf8' }).stdout, '', 'the administrator\'s bridge is not changed');
  assert.equal((await docker(d, ['network', 'rm', 'bapi-ours', 'bapi-theirs'])).code, 0);
  assert.equal(linkExists(ours), false);
  assert.equal(linkExists(theirs), true);
  // A device that cannot be made fails the create, and nothing is left.
  const clash = await docker(d, ['network', 'create', ...named(bridge()), '--subnet', '10.213.147.0/24', '-o', 'com.docker.network.driver.mtu=1', 'bapi-tiny']);
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /Error response from daemon: ip link add/);
  assert.equal((await d.api('GET', '/networks/bapi-tiny')).status, 404);
});

test("bad network settings stop berthd at start with dockerd's words, before anything is made", async (t) => {
  if (!requireRoot(t)) return;
  const dir = `/tmp/berth-test/bad-net-${randomBytes(4).toString('hex')}`;
  const cases: [string[], RegExp][] = [
    [['--bip', 'foo'], /invalid CIDR address: foo/],
    [['--default-address-pool', 'base=10.213.0.0/16'], /invalid pools size: /],
    [['--default-address-pool', 'nonsense'], /invalid argument "nonsense" for "--default-address-pool" flag: invalid field 'nonsense' must be a key=value pair/],
    [['--iptables=maybe'], /invalid argument "maybe" for "--iptables" flag: strconv.ParseBool: parsing "maybe": invalid syntax/],
    [['--dns', '1.2.3'], /1\.2\.3 is not an ip address/],
  ];
  for (const [args, message] of cases) {
    const child = spawn(BERTHD, ['-H', `unix://${dir}/s.sock`, '--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    assert.equal(await new Promise((r) => child.on('exit', r)), 1, args.join(' '));
    assert.match(err, message);
    assert.equal(existsSync(dir), false);
  }
});

test('a macvlan network works on a parent the host has (a veth here: this kernel has no dummy links), one network per parent', async (t) => {
  if (!requireRoot(t)) return;
  const d = await start(t, bridgeName(), '10.213.150.1/24', '10.213.152.0/22');
  const parent = bridgeName();
  t.after(() => void spawnSync('ip', ['link', 'del', parent]));
  assert.equal(spawnSync('ip', ['link', 'add', parent, 'type', 'veth', 'peer', 'name', `${parent}p`]).status, 0);
  const made = await docker(d, ['network', 'create', '-d', 'macvlan', '-o', `parent=${parent}`, '--subnet', '10.213.154.0/24', 'bapi-mv']);
  assert.equal(made.code, 0, made.stderr);
  const mv = (await d.api('GET', '/networks/bapi-mv')).body;
  assert.deepEqual([mv.Driver, mv.Options, mv.IPAM.Config], ['macvlan', { parent }, [{ Subnet: '10.213.154.0/24' }]]);
  const again = await docker(d, ['network', 'create', '-d', 'macvlan', '-o', `parent=${parent}`, 'bapi-mv2']);
  assert.match(again.stderr, new RegExp(`Error response from daemon: network dm-${mv.Id.slice(0, 12)} is already using parent interface ${parent}`));
  assert.match((await docker(d, ['network', 'create', '-d', 'macvlan', '-o', 'parent=bapi-nolink', 'bapi-mv3'])).stderr, /invalid subinterface vlan name bapi-nolink, example formatting is eth0.10/);
  assert.equal((await docker(d, ['network', 'rm', 'bapi-mv'])).code, 0);
  assert.equal(existsSync(`/sys/class/net/${parent}`), true, 'the parent stays');
});

test('a kill -9 right after a create is recorded, or in the middle of an rm, leaves a whole network that rm removes', async (t) => {
  if (!requireRoot(t)) return;
  const d = await start(t, bridgeName(), '10.213.160.1/24', '10.213.164.0/22');
  const device = bridgeName();
  t.after(() => void (existsSync(`/sys/class/net/${device}`) && spawnSync('ip', ['link', 'del', device])));
  await d.stop();
  await d.restart({ BERTH_FAILPOINT: 'network-recorded' });
  const cut = await docker(d, ['network', 'create', '-o', `com.docker.network.bridge.name=${device}`, 'bapi-crash']);
  assert.notEqual(cut.code, 0, 'the daemon died before answering');
  await new Promise((r) => (d.child.exitCode !== null || d.child.signalCode !== null ? r(undefined) : d.child.once('exit', r)));
  await d.restart({ BERTH_FAILPOINT: 'network-removing' });
  const listed = (await d.api('GET', '/networks?filters={"name":["^bapi-crash$"]}')).body;
  assert.equal(listed.length, 1);
  assert.equal(spawnSync('ip', ['link', 'add', device, 'type', 'bridge']).status, 0);
  assert.notEqual((await docker(d, ['network', 'rm', 'bapi-crash'])).code, 0, 'the daemon died mid-rm');
  await new Promise((r) => (d.child.exitCode !== null || d.child.signalCode !== null ? r(undefined) : d.child.once('exit', r)));
  assert.equal(existsSync(`/sys/class/net/${device}`), false, 'the bridge went first');
  await d.restart();
  assert.equal((await d.api('GET', '/networks/bapi-crash')).body.Options['com.docker.network.bridge.name'], device);
  const rm = await docker(d, ['network', 'rm', 'bapi-crash']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((await d.api('GET', '/networks/bapi-crash')).status, 404);
});

test("daemon.json's bridge, bip and default-address-pools make the networks as the flags do", async (t) => {
  if (!requireRoot(t)) return;
  // berthd started directly: flags (a test daemon's own) would take precedence over the file.
  const dir = `/tmp/berth-test/net-conf-${randomBytes(4).toString('hex')}`;
  mkdirSync(dir, { recursive: true });
  const bridge = bridgeName();
  writeFileSync(`${dir}/daemon.json`, JSON.stringify({ bridge, bip: '10.213.180.1/24', 'default-address-pools': [{ base: '10.213.184.0/22', size: 24 }], iptables: false, dns: ['10.213.180.53'] }));
  const socket = `${dir}/s.sock`;
  const child = spawn(BERTHD, ['--config-file', `${dir}/daemon.json`, '-H', `unix://${socket}`, '--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`], { stdio: 'ignore' });
  t.after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await cleanupRoots(`${dir}/data`, `${dir}/exec`);
    rmSync(dir, { recursive: true, force: true });
  });
  const api = (method: string, path: string, body?: unknown) => apiRequest(socket, method, path, body);
  for (let i = 0; i < 300 && !(await api('GET', '/_ping').then((r) => r.status === 200, () => false)); i++) await new Promise((r) => setTimeout(r, 25));
  const b = (await api('GET', '/networks/bridge')).body;
  assert.deepEqual([b.Options['com.docker.network.bridge.name'], b.IPAM.Config], [bridge, [{ Subnet: '10.213.180.0/24', Gateway: '10.213.180.1' }]]);
  const auto = bridgeName();
  t.after(() => void (linkExists(auto) && spawnSync('ip', ['link', 'del', auto])));
  assert.equal((await api('POST', '/networks/create', { Name: 'bapi-auto', Options: { 'com.docker.network.bridge.name': auto } })).status, 201);
  assert.deepEqual((await api('GET', '/networks/bapi-auto')).body.IPAM.Config, [{ Subnet: '10.213.184.0/24', Gateway: '10.213.184.1' }]);
  assert.equal((await api('DELETE', '/networks/bapi-auto')).status, 204);
});
