import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventsService, type EngineEvent } from '../events/events-service.ts';
import { networkDefaults, type NetworkSettings } from './network-defaults.ts';
import { emptyEndpoint } from './network-record.ts';
import { NetworkService, type NetworkHost } from './network-service.ts';
import type { StoredNetwork } from './network-store.ts';

interface Fixture {
  svc: NetworkService;
  dataRoot: string;
  events: EngineEvent[];
  removedDevices: string[];
  reopen(settings?: NetworkSettings): Promise<NetworkService>;
}

async function fixture(t: TestContext, settings: NetworkSettings = {}, routes: string[] = ['192.0.2.0/24']): Promise<Fixture> {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'berth-net-'));
  t.after(() => rmSync(dataRoot, { recursive: true, force: true }));
  const events: EngineEvent[] = [];
  const removedDevices: string[] = [];
  let counter = 0;
  const host: NetworkHost = {
    linkExists: (name) => name === 'eth0',
    hostRoutes: () => routes,
    enableIpForward: () => undefined,
    createNetworkDevices: async () => undefined,
    removeNetworkDevices: async (r: StoredNetwork) => void removedDevices.push(r.interfaceName),
  };
  const make = async (s: NetworkSettings) => {
    const bus = new EventsService();
    bus.subscribe((e) => events.push(e));
    const svc = new NetworkService({
      dataRoot, defaults: networkDefaults(s), events: bus, host,
      // IDs in creation order, distinct in their first character pairs.
      newId: () => (++counter).toString(16).padStart(2, '0').repeat(32),
    });
    await svc.load();
    return svc;
  };
  const f: Fixture = { svc: await make(settings), dataRoot, events, removedDevices, reopen: async (s = settings) => (f.svc = await make(s)) };
  return f;
}

test('the first start makes bridge, host and none; their IDs survive a restart', async (t) => {
  const f = await fixture(t, { bridge: 'bapi0', 'default-address-pools': [{ base: '10.213.0.0/16', size: 24 }] });
  const names = f.svc.list().map((n) => `${n.name}/${n.driver}`);
  assert.deepEqual(names.sort(), ['bridge/bridge', 'host/host', 'none/null']);
  const bridge = f.svc.defaultBridge();
  assert.equal(bridge.interfaceName, 'bapi0');
  assert.deepEqual(bridge.subnets, [{ subnet: '10.213.0.0/24', gateway: '10.213.0.1' }]);
  assert.equal(bridge.dns, false);
  assert.equal(bridge.predefined, true);
  const wire = f.svc.inspect('bridge');
  assert.deepEqual(wire.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: '10.213.0.0/24', Gateway: '10.213.0.1' }] });
  assert.equal(wire.Options['com.docker.network.bridge.name'], 'bapi0');
  assert.equal(wire.Options['com.docker.network.bridge.default_bridge'], 'true');
  const ids = f.svc.list().map((n) => n.id);
  await f.reopen();
  assert.deepEqual(f.svc.list().map((n) => n.id), ids);
  assert.equal(readdirSync(path.join(f.dataRoot, 'networks')).length, 3);
});

test('the default bridge avoids 172.17.0.0/16 and the host routes; --bip and -b changes update its record', async (t) => {
  const f = await fixture(t, {}, ['172.18.0.0/16', '10.0.0.0/8']);
  // 172.17 is taken by Docker's own bridge on machines that run both: dockerd's first pool is skipped for it.
  assert.deepEqual(f.svc.defaultBridge().subnets[0], { subnet: '172.19.0.0/16', gateway: '172.19.0.1' });
  assert.equal(f.svc.defaultBridge().interfaceName, 'berth0');
  const id = f.svc.defaultBridge().id;
  await f.reopen({ bridge: 'bapi1', bip: '10.213.9.1/24' });
  const b = f.svc.defaultBridge();
  assert.equal(b.id, id);
  assert.equal(b.interfaceName, 'bapi1');
  assert.deepEqual(b.subnets, [{ subnet: '10.213.9.0/24', gateway: '10.213.9.1' }]);
  // Without --bip the subnet it has is kept.
  await f.reopen({ bridge: 'bapi1' });
  assert.deepEqual(f.svc.defaultBridge().subnets, [{ subnet: '10.213.9.0/24', gateway: '10.213.9.1' }]);
  // -b none: no default bridge network.
  await f.reopen({ bridge: 'none' });
  assert.deepEqual(f.svc.list().map((n) => n.name).sort(), ['host', 'none']);
  assert.throws(() => f.svc.defaultBridge(), { message: 'network bridge not found' });
});

test('create, inspect, list, rm: records on disk, events as dockerd sends them', async (t) => {
  const f = await fixture(t, { bridge: 'bapi2', bip: '10.213.10.1/24', 'default-address-pools': [{ base: '10.213.32.0/20', size: 24 }] });
  f.events.length = 0;
  const { Id, Warning } = await f.svc.create({ Name: 'web', Labels: { tier: 'front' }, CheckDuplicate: true });
  assert.equal(Warning, '');
  const file = path.join(f.dataRoot, 'networks', `${Id}.json`);
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).name, 'web');
  const wire = f.svc.inspect('web');
  assert.deepEqual(Object.keys(wire), ['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);
  assert.deepEqual(wire.IPAM.Config, [{ Subnet: '10.213.32.0/24', Gateway: '10.213.32.1' }]);
  assert.deepEqual(wire.Labels, { tier: 'front' });
  assert.equal(f.svc.inspect(Id.slice(0, 6)).Id, Id);
  assert.throws(() => f.svc.inspect('web', { scope: 'swarm' }), { message: 'network web not found' });
  assert.equal(f.svc.inspect('web', { scope: 'local', verbose: true }).Id, Id);
  assert.deepEqual(f.svc.listWire(new Map([['type', ['custom']]])).map((n) => n.Name), ['web']);
  await f.svc.remove('web');
  assert.deepEqual(f.removedDevices, [`br-${Id.slice(0, 12)}`]);
  assert.throws(() => f.svc.resolve('web'), { message: 'network web not found' });
  assert.deepEqual(readdirSync(path.join(f.dataRoot, 'networks')).includes(`${Id}.json`), false);
  assert.deepEqual(
    f.events.map((e) => [e.Type, e.Action, e.Actor.ID, e.Actor.Attributes]),
    [
      ['network', 'create', Id, { name: 'web', type: 'bridge' }],
      ['network', 'destroy', Id, { name: 'web', type: 'bridge' }],
    ],
  );
  const bridge = f.svc.defaultBridge();
  f.svc.connected(bridge, 'c'.repeat(64));
  assert.deepEqual(f.events.at(-1)!.Actor, { ID: bridge.id, Attributes: { container: 'c'.repeat(64), name: 'bridge', type: 'bridge' } });
  assert.deepEqual(Object.keys(f.events.at(-1)!.Actor.Attributes), ['container', 'name', 'type']);
});

test("predefined networks cannot be removed; ambiguous references are refused in each lookup's words", async (t) => {
  const f = await fixture(t, { bip: '10.213.11.1/24', 'default-address-pools': [{ base: '10.213.48.0/20', size: 24 }] });
  for (const name of ['bridge', 'host', 'none']) await assert.rejects(f.svc.remove(name), { message: `${name} is a pre-defined network and cannot be removed` });
  await assert.rejects(f.svc.remove(f.svc.defaultBridge().id.slice(0, 5)), { message: 'bridge is a pre-defined network and cannot be removed' });
  const a = await f.svc.create({ Name: 'twin' });
  const b = await f.svc.create({ Name: 'twin' });
  assert.equal(b.Warning, `Network with name twin (id : ${a.Id}) already exists`);
  assert.throws(() => f.svc.inspect('twin'), { message: '2 matches found based on name: network twin is ambiguous' });
  await assert.rejects(f.svc.remove('twin'), { message: 'network twin is ambiguous (2 matches found based on name)' });
  // IDs here are "0101…", "0202…", …: "0" prefixes all of them.
  assert.throws(() => f.svc.inspect('0'), /matches found based on ID prefix: network 0 is ambiguous/);
  await assert.rejects(f.svc.remove('0'), /network 0 is ambiguous \(\d+ matches found based on ID prefix\)/);
  await assert.rejects(f.svc.remove('nope'), { message: 'network nope not found' });
  await assert.rejects(f.svc.create({ Name: 'twin', CheckDuplicate: true }), { message: 'network with name twin already exists' });
});

test('active endpoints keep a network from rm and prune; prune answers names and leaves predefined networks', async (t) => {
  const f = await fixture(t, { bip: '10.213.12.1/24', 'default-address-pools': [{ base: '10.213.64.0/20', size: 24 }] });
  const used = await f.svc.create({ Name: 'used' });
  const created = await f.svc.create({ Name: 'created-only', Labels: { keep: 'yes' } });
  await f.svc.create({ Name: 'idle' });
  const running = { ...emptyEndpoint(used.Id), endpointId: 'e'.repeat(64), ipAddress: '10.213.64.2', ipPrefixLen: 24, macAddress: '02:42:0a:d5:40:02' };
  const settled: string[] = [];
  f.svc.useContainers({
    settle: async (id) => void settled.push(f.svc.get(id)!.name),
    endpointsOn: (id) =>
      id === used.Id ? [{ containerId: 'c'.repeat(64), name: '/app', endpoint: running }] : id === created.Id ? [{ containerId: 'd'.repeat(64), name: '/later', endpoint: emptyEndpoint(created.Id) }] : [],
  });
  await assert.rejects(f.svc.remove('used'), { message: `error while removing network: network used id ${used.Id} has active endpoints` });
  assert.deepEqual(f.svc.inspect('used').Containers, {
    ['c'.repeat(64)]: { Name: 'app', EndpointID: 'e'.repeat(64), MacAddress: '02:42:0a:d5:40:02', IPv4Address: '10.213.64.2/24', IPv6Address: '' },
  });
  assert.deepEqual(f.svc.inspect('created-only').Containers, {});
  assert.deepEqual(f.svc.listWire(new Map([['dangling', ['true']]])).map((n) => n.Name), ['created-only', 'idle']);
  assert.deepEqual(await f.svc.prune(new Map([['label!', ['keep=yes']]])), { NetworksDeleted: ['idle'] });
  assert.deepEqual(await f.svc.prune(new Map()), { NetworksDeleted: ['created-only'] });
  assert.deepEqual(await f.svc.prune(new Map()), { NetworksDeleted: null });
  // Teardowns in flight are waited for before a network's devices go.
  assert.deepEqual(settled, ['idle', 'created-only']);
  assert.deepEqual(f.events.filter((e) => e.Action === 'prune').map((e) => e.Actor), [1, 2, 3].map(() => ({ ID: '', Attributes: { reclaimed: '0' } })));
  await assert.rejects(f.svc.prune(new Map([['dangling', ['true']]])), { message: "Invalid filter 'dangling'" });
  await assert.rejects(f.svc.prune(new Map([['until', ['xx']]])), { message: 'failed to parse value as time or duration: "xx"' });
  assert.deepEqual(f.svc.list().map((n) => n.name).sort(), ['bridge', 'host', 'none', 'used']);
});

test('a torn write (a temp file left by a kill -9) is swept at load, and concurrent creates never share a subnet', async (t) => {
  const f = await fixture(t, { bip: '10.213.13.1/24', 'default-address-pools': [{ base: '10.213.80.0/20', size: 24 }] });
  const dir = path.join(f.dataRoot, 'networks');
  writeFileSync(path.join(dir, '.abc.json.tmp-1234'), '{"id": "ab');
  await f.reopen();
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), []);
  const made = await Promise.all([1, 2, 3, 4].map((i) => f.svc.create({ Name: `p${i}` })));
  const subnets = made.map(({ Id }) => f.svc.resolve(Id).subnets[0]!.subnet);
  assert.equal(new Set(subnets).size, 4);
});
