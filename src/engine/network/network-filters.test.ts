import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { NetworkRecord } from './network-record.ts';
import { filterNetworks, networkPruneMatcher, type NetworkInUse } from './network-filters.ts';

function net(name: string, id: string, over: Partial<NetworkRecord> = {}, hasEndpoints = false): NetworkInUse {
  const record: NetworkRecord = {
    id, name, created: '2026-12-01T00:00:00.123456789Z', driver: 'bridge', interfaceName: '', subnets: [],
    ipam: { driver: 'default', options: null, config: [] }, enableIPv6: false, internal: false, attachable: false, ingress: false,
    options: {}, labels: {}, dns: true, predefined: false, ...over,
  };
  return { record, hasEndpoints };
}

const NETS = [
  net('bridge', 'b1b1eba9c94a', { predefined: true }, true),
  net('host', '976e1e5e6932', { predefined: true, driver: 'host' }),
  net('none', '679d24add029', { predefined: true, driver: 'null' }),
  net('front', 'aa11', { labels: { tier: 'web', env: 'prod' } }, true),
  net('back', 'bb22', { labels: { tier: 'db' }, driver: 'macvlan' }),
  net('front-2', 'cc33ff', {}),
];

test('network list filters select as dockerd does', () => {
  const names = (f: Record<string, string[]>) => filterNetworks(NETS, f).map((n) => n.record.name);
  const cases: [Record<string, string[]>, string[]][] = [
    [{}, ['bridge', 'host', 'none', 'front', 'back', 'front-2']],
    [{ driver: ['bridge'] }, ['bridge', 'front', 'front-2']],
    [{ driver: ['macvlan', 'null'] }, ['none', 'back']],
    [{ name: ['front'] }, ['front', 'front-2']],
    [{ name: ['^front$'] }, ['front']],
    [{ name: ['('] }, []],
    [{ name: ['ck'] }, ['back']],
    [{ id: ['bb'] }, ['back']],
    [{ id: ['3f'] }, ['front-2']],
    [{ label: ['tier'] }, ['front', 'back']],
    [{ label: ['tier=web'] }, ['front']],
    [{ label: ['tier', 'env=prod'] }, ['front']],
    [{ label: ['tier=nope'] }, []],
    [{ scope: ['local'] }, ['bridge', 'host', 'none', 'front', 'back', 'front-2']],
    [{ scope: ['swarm'] }, []],
    [{ type: ['custom'] }, ['front', 'back', 'front-2']],
    [{ type: ['builtin'] }, ['bridge', 'host', 'none']],
    [{ type: ['custom', 'builtin'] }, ['front', 'back', 'front-2', 'bridge', 'host', 'none']],
    [{ dangling: ['true'] }, ['back', 'front-2']],
    [{ dangling: ['1'] }, ['back', 'front-2']],
    [{ dangling: ['false'] }, ['bridge', 'host', 'none', 'front']],
    [{ dangling: ['0'], type: ['custom'] }, ['front']],
  ];
  for (const [filters, want] of cases) assert.deepEqual(names(filters), want, JSON.stringify(filters));
  assert.deepEqual(filterNetworks(NETS, new Map([['name', ['back']]])).map((n) => n.record.id), ['bb22']);
  // The reference engine lets users create a network named `ingress`, and lists it as custom.
  assert.deepEqual(filterNetworks([...NETS, net('ingress', 'dd44')], { type: ['custom'], dangling: ['true'] }).map((n) => n.record.name), ['back', 'front-2', 'ingress']);
});

test('network list filter errors: dockerd 20.10 messages and statuses', () => {
  const cases: [Record<string, string[]>, typeof InvalidParameterError | typeof SystemError, string][] = [
    [{ foo: ['x'] }, InvalidParameterError, "Invalid filter 'foo'"],
    [{ until: ['1h'] }, InvalidParameterError, "Invalid filter 'until'"],
    [{ dangling: ['maybe'] }, InvalidParameterError, 'invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")'],
    [{ dangling: ['true', 'false'] }, InvalidParameterError, 'got more than one value for filter key "dangling"'],
    [{ type: ['bogus'] }, SystemError, "invalid filter: 'type'='bogus'"],
    [{ type: ['custom', 'bogus'] }, SystemError, "invalid filter: 'type'='bogus'"],
    [{ name: ['nonexist'], type: ['bogus'] }, SystemError, "invalid filter: 'type'='bogus'"],
  ];
  for (const [filters, kind, message] of cases) {
    assert.throws(() => filterNetworks(NETS, filters), (e: unknown) => e instanceof kind && e.constructor === kind && (e as Error).message === message, JSON.stringify(filters));
  }
});

test('network prune: unused custom networks, until and label/label!', () => {
  const now = Date.parse('2026-12-04T00:00:00Z');
  const old = net('old', 'o1', { created: '2026-11-01T00:00:00Z', labels: { keep: 'yes' } });
  const young = net('young', 'y1', { created: '2026-12-03T23:00:00Z', labels: { keep: 'no', team: 'a' } });
  const all = [...NETS, old, young];
  const pruned = (f: Record<string, string[]>) => all.filter(networkPruneMatcher(f, now)).map((n) => n.record.name);
  const cases: [Record<string, string[]>, string[]][] = [
    [{}, ['back', 'front-2', 'old', 'young']],
    [{ until: ['24h'] }, ['back', 'front-2', 'old']],
    [{ until: ['2026-11-15T00:00:00Z'] }, ['old']],
    [{ until: [String(Date.parse('2026-11-15T00:00:00Z') / 1000)] }, ['old']],
    [{ label: ['keep'] }, ['old', 'young']],
    [{ label: ['keep=no'] }, ['young']],
    [{ 'label!': ['keep=yes'] }, ['back', 'front-2', 'young']],
    [{ 'label!': ['keep', 'team'] }, ['back', 'front-2', 'old']],
    [{ 'label!': [] }, []],
  ];
  for (const [filters, want] of cases) assert.deepEqual(pruned(filters), want, JSON.stringify(filters));
  const errors: [Record<string, string[]>, typeof InvalidParameterError | typeof SystemError, string][] = [
    [{ foo: ['x'] }, InvalidParameterError, "Invalid filter 'foo'"],
    [{ dangling: ['true'] }, InvalidParameterError, "Invalid filter 'dangling'"],
    [{ until: ['bogus'] }, SystemError, 'failed to parse value as time or duration: "bogus"'],
    [{ until: [''] }, SystemError, 'failed to parse value as time or duration: ""'],
    [{ until: ['1h', '2h'] }, SystemError, 'more than one until filter specified'],
  ];
  for (const [filters, kind, message] of errors) {
    assert.throws(() => networkPruneMatcher(filters, now), (e: unknown) => e instanceof kind && e.constructor === kind && (e as Error).message === message, JSON.stringify(filters));
  }
});
