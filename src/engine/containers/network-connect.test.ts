import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyedLock } from '../../store/lock.ts';
import { EventsService, type EngineEvent } from '../events/events-service.ts';
import { networkDefaults } from '../network/network-defaults.ts';
import { NetworkService } from '../network/network-service.ts';
import type { EndpointResult, Sandboxes } from '../network/sandboxes.ts';
import type { ContainerStore } from './container-store.ts';
import { NetworkConnect } from './network-connect.ts';
import type { ContainerRecord } from './record.ts';
import { testRecord } from './test-records.ts';

/** A network service on a fake host, one running container and a sandbox whose connect waits for `finishConnect`. */
async function fixture(t: test.TestContext) {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'berth-connect-'));
  t.after(() => rmSync(dataRoot, { recursive: true, force: true }));
  const events: EngineEvent[] = [];
  const bus = new EventsService();
  bus.subscribe((e) => events.push(e));
  let ids = 0;
  const networks = new NetworkService({
    dataRoot, events: bus, defaults: networkDefaults({ bridge: 'bapi-t0', 'default-address-pools': [{ base: '10.213.0.0/16', size: 24 }] }),
    host: { linkExists: () => false, hostRoutes: () => [], enableIpForward: () => undefined, createNetworkDevices: async () => undefined, removeNetworkDevices: async () => undefined },
    newId: () => (++ids).toString(16).padStart(2, '0').repeat(32),
  });
  await networks.load();
  const record = testRecord('web', '2026-12-04T21:00:00Z', 'running', { sandbox: { id: 'sb1', key: '/run/netns/sb1', ports: [] } });
  const records = new Map<string, ContainerRecord>([[record.id, record]]);
  const store = {
    all: () => [...records.values()],
    resolve: (ref: string) => [...records.values()].find((r) => r.id === ref || r.name === `/${ref}`) ?? assert.fail(`no container ${ref}`),
    save: async () => undefined,
  } as unknown as ContainerStore;
  let finishConnect!: () => void;
  const connecting = new Promise<void>((resolve) => (finishConnect = resolve));
  let sandboxAsked!: () => void;
  const asked = new Promise<void>((resolve) => (sandboxAsked = resolve));
  const sandboxes = {
    connect: async (): Promise<EndpointResult> => {
      sandboxAsked();
      await connecting;
      return { networkId: '', endpointId: 'ep1', ipv4: '10.213.1.2', ipv4PrefixLen: 24, gatewayV4: '10.213.1.1', ipv6: '', ipv6PrefixLen: 0, gatewayV6: '', mac: '02:42:0a:d5:01:02' };
    },
    disconnect: async () => undefined,
  } as unknown as Sandboxes;
  const connections = new NetworkConnect({ store, lock: new KeyedLock(), networking: { networks, sandboxes } });
  networks.useContainers(connections);
  return { networks, connections, record, events, finishConnect, asked };
}

test('a network rm racing a connect waits for it, then refuses: the network has an active endpoint', async (t) => {
  const f = await fixture(t);
  await f.networks.create({ Name: 'racy' });
  const connect = f.connections.connect('racy', 'web', undefined);
  await f.asked;
  let removed = false;
  const rm = f.networks.remove('racy').then(() => (removed = true));
  // The connect holds the networks' lock: rm cannot get in while the endpoint is being set up.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(removed, false);
  f.finishConnect();
  await connect;
  await assert.rejects(rm, { message: /has active endpoints$/ });
  assert.equal(f.record.networks?.racy?.endpointId, 'ep1');
  assert.equal(f.networks.resolve('racy').name, 'racy');
});

test('a connect after a network rm finds no network', async (t) => {
  const f = await fixture(t);
  await f.networks.create({ Name: 'gone' });
  const rm = f.networks.remove('gone');
  const connect = f.connections.connect('gone', 'web', undefined);
  await rm;
  await assert.rejects(connect, { message: 'network gone not found' });
  assert.equal(f.record.networks?.gone, undefined);
});

test("connect and disconnect send the network's events with the container's ID", async (t) => {
  const f = await fixture(t);
  const { Id } = await f.networks.create({ Name: 'ev' });
  f.finishConnect();
  await f.connections.connect('ev', 'web', undefined);
  await f.connections.disconnect('ev', 'web', false);
  const seen = f.events.filter((e) => e.Type === 'network' && e.Action !== 'create').map((e) => [e.Action, e.Actor.ID, e.Actor.Attributes]);
  assert.deepEqual(seen, [
    ['connect', Id, { container: f.record.id, name: 'ev', type: 'bridge' }],
    ['disconnect', Id, { container: f.record.id, name: 'ev', type: 'bridge' }],
  ]);
});
