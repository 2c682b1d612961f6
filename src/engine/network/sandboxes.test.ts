/** Sandboxes over a fake netavark and namespace folder: addresses, the ready pool, teardowns, recovery after a crash. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Netavark, NetavarkOptions, NetavarkStatus } from '../../drivers/network/netavark.ts';
import type { NetnsDir } from '../../drivers/network/netns.ts';
import { HostPortReservations } from './host-ports.ts';
import type { NetworkRecord } from './network-record.ts';
import { POOL_SIZE, Sandboxes, macFromIp } from './sandboxes.ts';

function network(id: string, name: string, subnet: string, gateway: string): NetworkRecord {
  return {
    id: id.repeat(64).slice(0, 64), name, created: '', driver: 'bridge', interfaceName: `b-${name}`, subnets: [{ subnet, gateway }],
    ipam: { driver: 'default', options: null, config: [{ Subnet: subnet }] }, enableIPv6: false, internal: false, attachable: false,
    ingress: false, options: {}, labels: {}, dns: false, predefined: name === 'bridge',
  };
}

const BRIDGE = network('b', 'bridge', '10.9.0.0/24', '10.9.0.1');
const USER = network('u', 'user', '10.9.1.0/24', '10.9.1.1');

interface Fake {
  sandboxes: Sandboxes;
  /** Set-ups and teardowns netavark saw, as "setup <sandbox> <network>=<ips> <ifname>". */
  calls: string[];
  dir: string;
  /** Namespaces that exist. */
  namespaces: Set<string>;
  teardownGate: { open: Promise<void>; release(): void };
}

function fake(t: TestContext, options: { pool?: boolean } = {}): Fake {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-sandboxes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const calls: string[] = [];
  const namespaces = new Set<string>();
  let release = () => {};
  const teardownGate = { open: Promise.resolve(), release: () => release() };
  const describe = (o: NetavarkOptions) =>
    Object.entries(o.networks).map(([n, p]) => `${[BRIDGE, USER].find((x) => x.id === n)?.name ?? n}=${p.static_ips.join(',')} ${p.interface_name}`).join(' ');
  const netavark = {
    async setup(_netns: string, o: NetavarkOptions): Promise<NetavarkStatus> {
      calls.push(`setup ${o.container_id.slice(0, 4)} ${describe(o)}`);
      const status: NetavarkStatus = {};
      for (const [n, p] of Object.entries(o.networks)) {
        const prefix = o.network_info[n]!.subnets[0]!.subnet.split('/')[1];
        status[n] = { interfaces: { [p.interface_name]: { mac_address: p.static_mac ?? '', subnets: p.static_ips.map((ip) => ({ ipnet: `${ip}/${prefix}`, gateway: o.network_info[n]!.subnets[0]!.gateway })) } } };
      }
      return status;
    },
    async teardown(_netns: string, o: NetavarkOptions): Promise<void> {
      await teardownGate.open;
      calls.push(`teardown ${o.container_id.slice(0, 4)} ${describe(o)}`);
    },
  } as unknown as Netavark;
  const netns = {
    dir,
    path: (name: string) => `${dir}/${name}`,
    async create(name: string) {
      namespaces.add(name);
      writeFileSync(`${dir}/${name}`, '');
      return `${dir}/${name}`;
    },
    remove(name: string) {
      namespaces.delete(name);
      rmSync(`${dir}/${name}`, { force: true });
    },
    names: () => readdirSync(dir).filter((n) => !n.includes('.')),
  } as unknown as NetnsDir;
  const sandboxes = new Sandboxes({
    netavark, netns,
    ports: new HostPortReservations({ portRange: [40000, 40100], ipv6: false, binder: async () => ({ close: () => undefined }) }),
    networkById: (id) => [BRIDGE, USER].find((n) => n.id === id),
    poolNetwork: options.pool ? () => BRIDGE : undefined,
  });
  t.after(() => sandboxes.close());
  return {
    sandboxes, calls, dir, namespaces,
    teardownGate: Object.assign(teardownGate, {
      hold() {
        teardownGate.open = new Promise<void>((r) => (release = r));
      },
    }),
  };
}

const plain = (n: NetworkRecord, extra: Partial<{ ipv4: string }> = {}) => ({ name: 'c', endpoints: [{ network: n, interfaceName: 'eth0', aliases: [], ...extra }], ports: [] });

test('addresses are the lowest free ones, the MAC is derived from the address, and an address comes back only after the teardown', async (t) => {
  const f = fake(t);
  const a = await f.sandboxes.setup(plain(BRIDGE));
  const b = await f.sandboxes.setup(plain(BRIDGE));
  assert.deepEqual([a.endpoints[0]!.ipv4, b.endpoints[0]!.ipv4], ['10.9.0.2', '10.9.0.3']);
  assert.equal(a.endpoints[0]!.mac, macFromIp('10.9.0.2'));
  assert.equal(a.endpoints[0]!.mac, '02:42:0a:09:00:02');
  assert.equal(a.endpoints[0]!.gatewayV4, '10.9.0.1');
  (f.teardownGate as unknown as { hold(): void }).hold();
  f.sandboxes.release(a.id);
  const c = await f.sandboxes.setup(plain(BRIDGE));
  assert.equal(c.endpoints[0]!.ipv4, '10.9.0.4', 'not .2: its old sandbox is still being torn down');
  f.teardownGate.release();
  await f.sandboxes.whenReleased(a.id);
  assert.equal((await f.sandboxes.setup(plain(BRIDGE))).endpoints[0]!.ipv4, '10.9.0.2');
  assert.equal(f.namespaces.has(a.id), false);
});

test('a fixed address waits for teardowns in flight, and one that is taken is refused without leaving anything', async (t) => {
  const f = fake(t);
  const a = await f.sandboxes.setup(plain(USER, { ipv4: '10.9.1.50' }));
  await assert.rejects(f.sandboxes.setup(plain(USER, { ipv4: '10.9.1.50' })), /Address already in use/);
  assert.deepEqual([...f.namespaces], [a.id], 'the refused one made no namespace');
  assert.deepEqual(readdirSync(f.dir).filter((n) => n.endsWith('.json')), [`${a.id}.json`], 'nor a side file');
  (f.teardownGate as unknown as { hold(): void }).hold();
  f.sandboxes.release(a.id);
  const again = f.sandboxes.setup(plain(USER, { ipv4: '10.9.1.50' }));
  setTimeout(() => f.teardownGate.release(), 20);
  assert.equal((await again).endpoints[0]!.ipv4, '10.9.1.50', 'granted once the old sandbox is gone');
});

test('the default bridge keeps ready sandboxes: a plain request takes one, others are set up for themselves', async (t) => {
  const f = fake(t, { pool: true });
  const first = await f.sandboxes.setup(plain(BRIDGE));
  assert.equal(first.endpoints[0]!.ipv4, '10.9.0.2', 'the first request is served before the pool takes addresses');
  for (let i = 0; i < 50 && f.calls.filter((c) => c.startsWith('setup')).length < 1 + POOL_SIZE; i++) await new Promise((r) => setTimeout(r, 5));
  const before = f.calls.length;
  const pooled = await f.sandboxes.setup(plain(BRIDGE));
  assert.equal(f.calls.slice(before).filter((c) => c.startsWith('setup') && c.includes(pooled.id.slice(0, 4))).length, 0, 'no set-up on the request\'s path');
  assert.notEqual(pooled.endpoints[0]!.endpointId, '', 'an endpoint ID of its own');
  const own = await f.sandboxes.setup(plain(USER));
  assert.ok(f.calls.some((c) => c.startsWith(`setup ${own.id.slice(0, 4)} user=`)), 'a user network is set up for the request');
  await f.sandboxes.close();
  assert.deepEqual([...f.namespaces].sort(), [first.id, pooled.id, own.id].sort(), 'at close the spare ones are torn down, the containers\' stay');
});

test('connect adds the lowest free ethN, disconnect takes it away; after a crash, sandboxes no container names are torn down', async (t) => {
  const f = fake(t);
  const s = await f.sandboxes.setup(plain(BRIDGE));
  const got = await f.sandboxes.connect(s.id, plain(USER));
  assert.equal(got.ipv4, '10.9.1.2');
  assert.ok(f.calls.at(-1)!.endsWith('user=10.9.1.2 eth1'));
  await f.sandboxes.disconnect(s.id, USER.id);
  assert.ok(f.calls.at(-1)!.startsWith(`teardown ${s.id.slice(0, 4)} user=10.9.1.2 eth1`));
  const orphan = await f.sandboxes.setup(plain(BRIDGE));

  // A new daemon over the same folder: s runs on, orphan belonged to nothing.
  const g = fake(t);
  const next = new Sandboxes({
    netavark: (g.sandboxes as unknown as { o: { netavark: Netavark } }).o.netavark,
    netns: (f.sandboxes as unknown as { o: { netns: NetnsDir } }).o.netns,
    ports: new HostPortReservations({ portRange: [40000, 40100], ipv6: false, binder: async () => ({ close: () => undefined }) }),
    networkById: (id) => [BRIDGE, USER].find((n) => n.id === id),
  });
  await next.recover([{ id: s.id, ports: [] }]);
  await next.settled();
  assert.ok(g.calls.some((c) => c.startsWith(`teardown ${orphan.id.slice(0, 4)} bridge=10.9.0.3 eth0`)), 'the orphan is torn down');
  assert.equal(f.namespaces.has(orphan.id), false);
  assert.equal(f.namespaces.has(s.id), true);
  const fresh = await next.setup(plain(BRIDGE));
  assert.equal(fresh.endpoints[0]!.ipv4, '10.9.0.3', 's keeps .2 across the restart; the orphan\'s .3 is free again');
});

test('after a crash between the side file and the namespace, recovery tears down what the side file names and removes it', async (t) => {
  const f = fake(t);
  const s = await f.sandboxes.setup(plain(USER, { ipv4: '10.9.1.7' }));
  // What a kill -9 at `sandbox-recorded` leaves: the side file alone (its namespace never made), and a temp file of a write.
  (f.sandboxes as unknown as { o: { netns: NetnsDir } }).o.netns.remove(s.id);
  writeFileSync(`${f.dir}/.${'0'.repeat(64)}.json.tmp-1234`, '{');
  const g = fake(t);
  const next = new Sandboxes({
    netavark: (g.sandboxes as unknown as { o: { netavark: Netavark } }).o.netavark,
    netns: (f.sandboxes as unknown as { o: { netns: NetnsDir } }).o.netns,
    ports: new HostPortReservations({ portRange: [40000, 40100], ipv6: false, binder: async () => ({ close: () => undefined }) }),
    networkById: (id) => [BRIDGE, USER].find((n) => n.id === id),
  });
  await next.recover([]);
  await next.settled();
  assert.ok(g.calls.some((c) => c.startsWith(`teardown ${s.id.slice(0, 4)} user=10.9.1.7 eth0`)), 'netavark undoes whatever of the set-up exists');
  assert.deepEqual(readdirSync(f.dir), [], 'no side file or temp file left');
  assert.equal((await next.setup(plain(USER, { ipv4: '10.9.1.7' }))).endpoints[0]!.ipv4, '10.9.1.7', 'its address is free again');
});
