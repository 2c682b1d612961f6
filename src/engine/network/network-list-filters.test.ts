import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectNetworks, selectPrunable } from './network-list-filters.ts';
import type { NetworkRecord } from './network-record.ts';
import { parseRouteTable } from './predefined.ts';

const net = (name: string, id: string, over: Partial<NetworkRecord> = {}): NetworkRecord => ({
  id: id.padEnd(64, '0'), name, created: '2026-12-04T20:00:00Z', driver: 'bridge', interfaceName: '', subnets: [],
  ipam: { driver: 'default', options: null, config: [] },
  enableIPv6: false, internal: false, attachable: false, ingress: false, options: {}, labels: {}, dns: true, predefined: false,
  ...over,
});

const all = [
  net('bridge', 'c3bb09', { predefined: true, dns: false }),
  net('host', 'a2fd7c', { predefined: true, driver: 'host' }),
  net('none', '19af25', { predefined: true, driver: 'null' }),
  net('bapi-f1', 'e76839', { labels: { a: 'b' } }),
  net('bapi-f2', '021974', { labels: { a: '' }, created: '2026-12-04T21:00:00Z' }),
  net('mv', 'fadd30', { driver: 'macvlan' }),
];
const used = new Set(['bapi-f2']);
const names = (f: [string, string[]][]) => selectNetworks(all, new Map(f), (n) => used.has(n.name)).map((n) => n.name);

test('list filters select as dockerd 20.10 does', () => {
  assert.deepEqual(names([]), all.map((n) => n.name));
  assert.deepEqual(names([['dangling', ['true']]]), ['bapi-f1', 'mv']);
  assert.deepEqual(names([['dangling', ['0']]]), ['bridge', 'host', 'none', 'bapi-f2']);
  assert.deepEqual(names([['type', ['custom']]]), ['bapi-f1', 'bapi-f2', 'mv']);
  assert.deepEqual(names([['type', ['builtin']]]), ['bridge', 'host', 'none']);
  assert.deepEqual(names([['type', ['custom', 'builtin']]]), ['bapi-f1', 'bapi-f2', 'mv', 'bridge', 'host', 'none']);
  assert.deepEqual(names([['driver', ['bri']]]), []);
  assert.deepEqual(names([['driver', ['null', 'host']]]), ['host', 'none']);
  assert.deepEqual(names([['name', ['api-f']]]), ['bapi-f1', 'bapi-f2']);
  assert.deepEqual(names([['name', ['^bapi-f1$']]]), ['bapi-f1']);
  assert.deepEqual(names([['name', ['[']]]), []);
  assert.deepEqual(names([['name', ['Bridge']]]), []);
  assert.deepEqual(names([['id', ['bb09']]]), ['bridge']);
  assert.deepEqual(names([['label', ['a']]]), ['bapi-f1', 'bapi-f2']);
  assert.deepEqual(names([['label', ['a=b', 'a']]]), ['bapi-f1']);
  assert.deepEqual(names([['scope', ['local']]]).length, 6);
  assert.deepEqual(names([['scope', ['swarm']]]), []);
  assert.deepEqual(names([['name', ['bridge']], ['driver', ['null']]]), []);
});

test("bad list filters are refused in dockerd's words", () => {
  assert.throws(() => names([['foo', ['x']]]), { message: "Invalid filter 'foo'" });
  assert.throws(() => names([['until', ['1h']]]), { message: "Invalid filter 'until'" });
  assert.throws(() => names([['dangling', ['TRUE']]]), { message: `invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")` });
  assert.throws(() => names([['dangling', ['true', 'false']]]), { message: 'got more than one value for filter key "dangling"' });
  assert.throws(() => names([['type', ['foo']]]), (e: Error) => e.constructor.name === 'SystemError' && e.message === "invalid filter: 'type'='foo'");
});

test('prune selects unused user networks by until, label and label!', () => {
  const now = Date.parse('2026-12-04T21:30:00Z');
  const prune = (f: [string, string[]][]) => selectPrunable(all, new Map(f), (n) => used.has(n.name), now).map((n) => n.name);
  assert.deepEqual(prune([]), ['bapi-f1', 'mv']);
  assert.deepEqual(prune([['label', ['a=b']]]), ['bapi-f1']);
  assert.deepEqual(prune([['label!', ['a=b']]]), ['mv']);
  assert.deepEqual(prune([['until', ['1h']]]), ['bapi-f1', 'mv']);
  assert.deepEqual(prune([['until', ['2h']]]), []);
  assert.throws(() => prune([['dangling', ['true']]]), { message: "Invalid filter 'dangling'" });
  assert.throws(() => prune([['until', ['xx']]]), { message: 'failed to parse value as time or duration: "xx"' });
  assert.throws(() => prune([['until', ['1h', '2h']]]), { message: 'more than one until filter specified' });
});

test("/proc/net/route becomes CIDRs, the default route and a named device's routes left out", () => {
  const table = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
    'br-02822b9ddff7\t0000A8C0\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0',
    'berth0\t00D50A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  ].join('\n');
  assert.deepEqual(parseRouteTable(table, 'berth0'), ['172.17.0.0/16', '192.0.2.0/24', '192.168.0.0/20']);
});
