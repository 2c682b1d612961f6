import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, ForbiddenError, NotFoundError, NotImplementedError, SystemError } from '../../util/errors.ts';
import type { NetworkCreateRequest } from '../../wire/network.ts';
import { planNetwork, type CreateContext } from './network-create.ts';
import type { NetworkRecord } from './network-record.ts';

const ID = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

function existing(over: Partial<NetworkRecord> = {}): NetworkRecord {
  return {
    id: OTHER, name: 'other', created: '2026-01-01T00:00:00Z', driver: 'bridge', interfaceName: 'bapi-other',
    subnets: [{ subnet: '10.213.1.0/24', gateway: '10.213.1.1' }],
    ipam: { driver: 'default', options: null, config: [{ Subnet: '10.213.1.0/24' }] },
    enableIPv6: false, internal: false, attachable: false, ingress: false, options: {}, labels: {}, dns: true, predefined: false,
    ...over,
  };
}

function ctx(over: Partial<CreateContext> = {}): CreateContext {
  return {
    existing: [existing()],
    hostRoutes: ['10.213.16.0/24'],
    pools: [{ base: '10.213.16.0/20', size: 24 }],
    newId: () => ID,
    now: () => '2026-12-04T21:00:00.5Z',
    linkExists: (name) => name === 'eth0' || name === 'bapi-mine',
    ...over,
  };
}

const plan = (req: NetworkCreateRequest, c: Partial<CreateContext> = {}) => planNetwork(req, ctx(c));

test('a bridge network without IPAM gets the first free subnet of the pools (past other networks and host routes), its gateway shown', () => {
  const { record, warning } = plan({ Name: 'n1', Labels: { a: 'b' } });
  assert.equal(warning, '');
  assert.equal(record.interfaceName, `br-${ID.slice(0, 12)}`);
  assert.deepEqual(record.subnets, [{ subnet: '10.213.17.0/24', gateway: '10.213.17.1' }]);
  assert.deepEqual(record.ipam, { driver: 'default', options: null, config: [{ Subnet: '10.213.17.0/24', Gateway: '10.213.17.1' }] });
  assert.equal(record.dns, true);
  assert.equal(record.predefined, false);
  assert.deepEqual(record.labels, { a: 'b' });
  assert.equal(record.created, '2026-12-04T21:00:00.5Z');
});

test("a user's IPAM entries are shown as given, v4 first; the record has the gateways filled in", () => {
  const { record } = plan({
    Name: 'n2', EnableIPv6: true,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: 'fd00:213::/64' }, { Subnet: '10.213.2.0/24', IPRange: '10.213.2.128/25', Gateway: '10.213.2.254', AuxiliaryAddresses: { a: '10.213.2.5' } }] },
    Options: { 'com.docker.network.bridge.name': 'bapi-x1' }, Internal: true, Attachable: true,
  });
  assert.deepEqual(record.ipam.config, [
    { Subnet: '10.213.2.0/24', IPRange: '10.213.2.128/25', Gateway: '10.213.2.254', AuxiliaryAddresses: { a: '10.213.2.5' } },
    { Subnet: 'fd00:213::/64' },
  ]);
  assert.deepEqual(record.ipam.options, {});
  assert.deepEqual(record.subnets, [
    { subnet: '10.213.2.0/24', gateway: '10.213.2.254', ipRange: '10.213.2.128/25', auxAddresses: { a: '10.213.2.5' } },
    { subnet: 'fd00:213::/64', gateway: 'fd00:213::1' },
  ]);
  assert.equal(record.interfaceName, 'bapi-x1');
  assert.equal(record.deviceExisted, undefined);
  assert.equal(record.internal, true);
  assert.equal(record.attachable, true);
  assert.equal(record.enableIPv6, true);
});

test('a bridge name that already exists on the host is remembered as not ours', () => {
  assert.equal(plan({ Name: 'n', Options: { 'com.docker.network.bridge.name': 'bapi-mine' } }).record.deviceExisted, true);
});

test('an IPv6 subnet without EnableIPv6 is kept in IPAM but not used', () => {
  const { record } = plan({ Name: 'n', IPAM: { Config: [{ Subnet: 'fd00:213:2::/64' }] } });
  assert.deepEqual(record.ipam.config, [{ Subnet: '10.213.17.0/24', Gateway: '10.213.17.1' }, { Subnet: 'fd00:213:2::/64' }]);
  assert.deepEqual(record.subnets.map((s) => s.subnet), ['10.213.17.0/24']);
});

test('duplicate names: a warning without CheckDuplicate, 409 with it', () => {
  assert.equal(plan({ Name: 'other' }).warning, `Network with name other (id : ${OTHER}) already exists`);
  assert.throws(() => plan({ Name: 'other', CheckDuplicate: true }), (e: Error) => e instanceof ConflictError && e.message === 'network with name other already exists');
});

test('macvlan and ipvlan: the parent is the link, checked as dockerd checks it', () => {
  const { record } = plan({ Name: 'mv', Driver: 'macvlan', Options: { parent: 'eth0' }, IPAM: { Config: [{ Subnet: '10.213.3.0/24' }] } });
  assert.equal(record.interfaceName, 'eth0');
  assert.equal(record.dns, false);
  // A macvlan network may share a bridge network's subnet when an IPRange keeps their addresses apart.
  assert.equal(plan({ Name: 'mv-shared', Driver: 'macvlan', Options: { parent: 'eth0' }, IPAM: { Config: [{ Subnet: '10.213.1.0/24', IPRange: '10.213.1.192/26' }] } }).record.subnets[0]!.ipRange, '10.213.1.192/26');
  assert.deepEqual(record.options, { parent: 'eth0' });
  const withMv = { existing: [existing(), record] };
  assert.throws(() => plan({ Name: 'mv2', Driver: 'macvlan', Options: { parent: 'eth0' } }, withMv), { message: `network dm-${ID.slice(0, 12)} is already using parent interface eth0` });
  assert.equal(plan({ Name: 'iv', Driver: 'ipvlan', Options: { parent: 'eth0', ipvlan_mode: 'l3', ipvlan_flag: 'anything' } }, withMv).record.driver, 'ipvlan');
  assert.equal(plan({ Name: 'local', Scope: 'local', Internal: true }).record.internal, true);
});

test("bad requests are refused in dockerd's words and kinds", () => {
  const cases: [NetworkCreateRequest, Partial<CreateContext>, new (m: string) => Error, string][] = [
    [{ Name: '' }, {}, SystemError, 'invalid name: '],
    [{ Name: 'bridge', CheckDuplicate: true }, {}, ForbiddenError, 'operation is not permitted on predefined bridge network '],
    [{ Name: 'none' }, {}, ForbiddenError, 'operation is not permitted on predefined none network '],
    [{ Name: 'default' }, {}, ForbiddenError, 'operation is not permitted on predefined default network '],
    [{ Name: 'x', Driver: 'foo' }, {}, NotFoundError, 'plugin "foo" not found'],
    [{ Name: 'x', IPAM: { Driver: 'foo' } }, {}, NotFoundError, 'plugin "foo" not found'],
    [{ Name: 'x', Driver: 'host' }, {}, ForbiddenError, 'only one instance of "host" network is allowed'],
    [{ Name: 'x', Driver: 'null' }, {}, ForbiddenError, 'only one instance of "null" network is allowed'],
    [{ Name: 'x', Scope: 'swarm' }, {}, ForbiddenError, 'cannot create a swarm scoped network when swarm is not active'],
    [{ Name: 'x', Ingress: true }, {}, ForbiddenError, 'Ingress network can only be global scope network'],
    [{ Name: 'x', Scope: 'swarm', Ingress: true }, {}, ForbiddenError, 'Ingress network can only be global scope network'],
    [{ Name: 'x', Scope: 'global' }, {}, SystemError, 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.'],
    [{ Name: 'x', IPAM: { Config: [null] } }, {}, SystemError, 'Invalid subnet  : invalid CIDR address: '],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/31' }] } }, {}, SystemError, 'failed to allocate gateway (): No available addresses on this pool'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/32' }] } }, {}, SystemError, 'failed to allocate gateway (): No available addresses on this pool'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', AuxiliaryAddresses: { a: '10.213.4.1' } }] } }, {}, SystemError, 'failed to allocate secondary ip address (a:10.213.4.1): Address already in use'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', AuxiliaryAddresses: { a: 'x' } }] } }, {}, SystemError, 'non parsable secondary ip address (a:x) passed for network x'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.1.0/25' }] } }, {}, ForbiddenError, 'Pool overlaps with other one on this address space'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24' }, { Subnet: '10.213.4.0/25' }] } }, {}, ForbiddenError, 'Pool overlaps with other one on this address space'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24' }, { Subnet: '10.213.5.0/24' }] } }, {}, ForbiddenError, "bridge driver doesn't support multiple subnets"],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: 'foo' }] } }, {}, SystemError, 'Invalid subnet foo : invalid CIDR address: foo'],
    [{ Name: 'x', IPAM: { Config: [{ Gateway: '10.213.4.1' }] } }, {}, SystemError, 'Invalid subnet  : invalid CIDR address: '],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: 'foo' }] } }, {}, SystemError, 'invalid gateway address foo in Ipam configuration'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: '10.213.5.1' }] } }, {}, SystemError, 'failed to allocate gateway (10.213.5.1): Requested address is out of range'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: '10.213.4.0' }] } }, {}, SystemError, 'failed to allocate gateway (10.213.4.0): Address already in use'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: '10.213.4.255' }] } }, {}, SystemError, 'failed to allocate gateway (10.213.4.255): Address already in use'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', IPRange: 'foo' }] } }, {}, SystemError, 'failed to parse pool request for address space "LocalDefault" pool "10.213.4.0/24" subpool "foo": Invalid Address SubPool'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', AuxiliaryAddresses: { a: '10.213.5.1' } }] } }, {}, ForbiddenError, 'auxiliary address: (a:10.213.5.1) must belong to the master pool: 10.213.4.0/24'],
    [{ Name: 'x', EnableIPv6: true }, {}, NotFoundError, 'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network'],
    [{ Name: 'x' }, { pools: [{ base: '10.213.16.0/24', size: 24 }] }, NotFoundError, 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network'],
    [{ Name: 'x', Options: { 'com.docker.network.driver.mtu': 'abc' } }, {}, SystemError, 'failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing "abc": invalid syntax)'],
    [{ Name: 'x', Options: { 'com.docker.network.bridge.name': 'bridge-with-a-very-long-name' } }, {}, SystemError, 'failed to check bridge interface existence: numerical result out of range'],
    [{ Name: 'x', Options: { 'com.docker.network.bridge.name': 'bapi-other' } }, {}, ForbiddenError, `cannot create network ${ID} (bapi-other): conflicts with network ${OTHER} (bapi-other): networks have same bridge name`],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.1.0/24', IPRange: '10.213.1.128/25' }] } }, {}, ForbiddenError, `cannot create network ${ID} (br-${ID.slice(0, 12)}): conflicts with network ${OTHER} (bapi-other): networks have overlapping IPv4`],
    [{ Name: 'x', Driver: 'macvlan' }, {}, SystemError, 'operation not supported'],
    [{ Name: 'x', Driver: 'macvlan', Options: { parent: 'nonexist0' } }, {}, SystemError, 'invalid subinterface vlan name nonexist0, example formatting is eth0.10'],
    [{ Name: 'x', Driver: 'macvlan', Options: { parent: 'eth0', macvlan_mode: 'foo' } }, {}, SystemError, "requested macvlan mode 'foo' is not valid, 'bridge' mode is the macvlan driver default"],
    [{ Name: 'x', Driver: 'ipvlan', Options: { parent: 'eth0', ipvlan_mode: 'x' } }, {}, SystemError, "requested ipvlan mode 'x' is not valid, 'l2' mode is the ipvlan driver default"],
    [{ Name: 'x', Driver: 'macvlan', Options: { parent: 'eth0.10' } }, {}, NotImplementedError, 'creating the VLAN sub-interface eth0.10 is not supported: create it first (ip link add link eth0 name eth0.10 type vlan id 10)'],
  ];
  for (const [req, c, kind, message] of cases) {
    assert.throws(() => plan(req, c), (e: Error) => {
      assert.equal(e.message, message, JSON.stringify(req));
      assert.ok(e instanceof kind, `${JSON.stringify(req)}: ${e.constructor.name}`);
      return true;
    });
  }
});

test('IPAM entries are checked one after the other, IPv6 ones only with IPv6 on, as the reference engine does', () => {
  const refused: [NetworkCreateRequest, string][] = [
    // The first entry's gateway fails before the second entry is looked at (its gateway, its overlap, the driver's one-subnet rule).
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: '10.213.5.1' }, { Subnet: '10.213.6.0/24', Gateway: 'foo' }] } }, 'failed to allocate gateway (10.213.5.1): Requested address is out of range'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', Gateway: '10.213.5.1' }, { Subnet: '10.213.4.0/25' }] } }, 'failed to allocate gateway (10.213.5.1): Requested address is out of range'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24' }, { Subnet: '10.213.6.0/24', Gateway: 'foo' }] } }, 'invalid gateway address foo in Ipam configuration'],
    [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', IPRange: 'bar', Gateway: 'foo' }] } }, 'invalid gateway address foo in Ipam configuration'],
    [{ Name: 'x', EnableIPv6: true, IPAM: { Config: [{ Subnet: '10.213.4.0/24' }, { Subnet: 'fd00:213:77::/64', Gateway: 'fd00:213:77::ffff:ffff:ffff:ffff' }] } },
      'failed to allocate gateway (fd00:213:77::ffff:ffff:ffff:ffff): bit does not belong to the sequence'],
  ];
  for (const [req, message] of refused) assert.throws(() => plan(req), { message }, JSON.stringify(req));
  // Without IPv6 its entries are kept for inspect, not checked, and hold nothing.
  for (const v6 of [{ Subnet: 'fd00:213:77::/64', Gateway: 'foo' }, { Subnet: 'fd00:213:77::/64', IPRange: 'foo' }, { Subnet: 'fd00:213:77::/64', AuxiliaryAddresses: { a: 'fd00:214::1' } }]) {
    const { record } = plan({ Name: 'x', IPAM: { Config: [v6, { ...v6 }] } });
    assert.deepEqual(record.subnets.map((s) => s.subnet), ['10.213.17.0/24']);
    assert.deepEqual(record.ipam.config.slice(1), [v6, v6]);
  }
  // An IPRange outside its subnet is taken; the gateway is then the subnet's first address.
  assert.deepEqual(plan({ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/24', IPRange: '10.213.8.0/24' }] } }).record.subnets, [{ subnet: '10.213.4.0/24', gateway: '10.213.4.1', ipRange: '10.213.8.0/24' }]);
  assert.deepEqual(plan({ Name: 'x', IPAM: { Config: [{ Subnet: '10.213.4.0/23', IPRange: '10.213.5.0/24' }] } }).record.subnets[0]!.gateway, '10.213.5.0');
});
