import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForbiddenError, SystemError } from '../../util/errors.ts';
import type { IpamConfigEntry } from './network-record.ts';
import { bridgeOverlap } from './errors.ts';
import { inspectIpamConfig, validateIpamConfig } from './ipam-config.ts';

test('IPAM.Config entries become subnets with their gateway', () => {
  const cases: [IpamConfigEntry[], ReturnType<typeof validateIpamConfig>][] = [
    [[{ Subnet: '10.211.0.0/16' }], [{ subnet: '10.211.0.0/16', gateway: '10.211.0.1' }]],
    [[{ Subnet: '10.211.0.5/24', Gateway: '10.211.0.254' }], [{ subnet: '10.211.0.0/24', gateway: '10.211.0.254' }]],
    [[{ Subnet: 'fd00:211::/64' }, { Subnet: '10.211.0.0/24' }], [{ subnet: '10.211.0.0/24', gateway: '10.211.0.1' }, { subnet: 'fd00:211::/64', gateway: 'fd00:211::1' }]],
    // The default gateway comes from the range, as dockerd's IPAM hands it out.
    [[{ Subnet: '10.211.0.0/16', IPRange: '10.211.5.0/24' }], [{ subnet: '10.211.0.0/16', gateway: '10.211.5.0', ipRange: '10.211.5.0/24' }]],
    [[{ Subnet: '10.211.0.0/24', AuxiliaryAddresses: { r: '10.211.0.2' } }], [{ subnet: '10.211.0.0/24', gateway: '10.211.0.1', auxAddresses: { r: '10.211.0.2' } }]],
    [[{ Subnet: 'fd00:211::/127' }], [{ subnet: 'fd00:211::/127', gateway: 'fd00:211::1' }]],
  ];
  for (const [entries, want] of cases) assert.deepEqual(validateIpamConfig(entries), want, JSON.stringify(entries));
});

test('bad entries fail with the reference dockerd 20.10 message and status', () => {
  const S = SystemError;
  const F = ForbiddenError;
  const cases: [IpamConfigEntry[], typeof SystemError, string][] = [
    [[{ Subnet: '10.211.0.0/33' }], S, 'Invalid subnet 10.211.0.0/33 : invalid CIDR address: 10.211.0.0/33'],
    [[{ Subnet: 'foo' }], S, 'Invalid subnet foo : invalid CIDR address: foo'],
    [[{ Gateway: '10.211.0.1' }], S, 'Invalid subnet  : invalid CIDR address: '],
    [[{ Subnet: '10.211.0.0/16', Gateway: 'foo' }], S, 'invalid gateway address foo in Ipam configuration'],
    [[{ Subnet: '10.211.0.0/16', Gateway: '10.211.0.1/16' }], S, 'invalid gateway address 10.211.0.1/16 in Ipam configuration'],
    [[{ Subnet: '10.211.0.0/16', Gateway: '10.212.0.1' }], S, 'failed to allocate gateway (10.212.0.1): Requested address is out of range'],
    [[{ Subnet: '10.211.0.0/16', Gateway: '10.211.0.0' }], S, 'failed to allocate gateway (10.211.0.0): Address already in use'],
    [[{ Subnet: '10.211.0.0/16', Gateway: '10.211.255.255' }], S, 'failed to allocate gateway (10.211.255.255): Address already in use'],
    [[{ Subnet: 'fd00:211::/64', Gateway: 'fd00:211::ffff:ffff:ffff:ffff' }], S, 'failed to allocate gateway (fd00:211::ffff:ffff:ffff:ffff): bit does not belong to the sequence'],
    [[{ Subnet: 'fd00:211::/128' }], S, 'failed to allocate gateway (): No available addresses on this pool'],
    [[{ Subnet: '10.211.0.0/31' }], S, 'failed to allocate gateway (): No available addresses on this pool'],
    [[{ Subnet: '10.211.0.0/16', IPRange: 'foo' }], S, 'failed to parse pool request for address space "LocalDefault" pool "10.211.0.0/16" subpool "foo": Invalid Address SubPool'],
    [[{ Subnet: '10.211.0.0/16' }, { Subnet: '10.211.1.0/24' }], F, 'Pool overlaps with other one on this address space'],
    [[{ Subnet: 'fd00:211::/64' }, { Subnet: 'fd00:211::/80' }], F, 'Pool overlaps with other one on this address space'],
    [[{ Subnet: '10.211.0.0/16', AuxiliaryAddresses: { a: '10.212.0.1' } }], F, 'auxiliary address: (a:10.212.0.1) must belong to the master pool: 10.211.0.0/16'],
    [[{ Subnet: 'fd00:211::/64', AuxiliaryAddresses: { a: 'foo' } }], S, 'non parsable secondary ip address (a:foo) passed for network pure-x'],
    [[{ Subnet: 'fd00:211::/64', AuxiliaryAddresses: { a: 'fd00:211::1' } }], S, 'failed to allocate secondary ip address (a:fd00:211::1): Address already in use'],
    // Parsing comes first for every entry, before any allocation.
    [[{ Subnet: '10.211.0.0/16', Gateway: '10.212.0.1' }, { Subnet: 'bar' }], S, 'Invalid subnet bar : invalid CIDR address: bar'],
    // IPv4 entries are allocated before IPv6 ones, whatever the order given.
    [[{ Subnet: 'fd00:211::/64', Gateway: 'fd00:212::1' }, { Subnet: '10.211.0.0/16', Gateway: '10.212.0.1' }], S, 'failed to allocate gateway (10.212.0.1): Requested address is out of range'],
  ];
  for (const [entries, kind, message] of cases) {
    assert.throws(() => validateIpamConfig(entries, { networkName: 'pure-x' }), (e: unknown) => e instanceof kind && e.constructor === kind && (e as Error).message === message, JSON.stringify(entries));
  }
});

test('overlap with other networks, unless an IPRange is given (dockerd lets such pools share a subnet)', () => {
  assert.throws(() => validateIpamConfig([{ Subnet: '10.211.5.0/24' }], { taken: ['10.211.0.0/16'] }), ForbiddenError);
  assert.doesNotThrow(() => validateIpamConfig([{ Subnet: '10.212.0.0/24' }], { taken: ['10.211.0.0/16'] }));
  assert.deepEqual(validateIpamConfig([{ Subnet: '10.211.0.0/16', IPRange: '10.211.9.0/24' }], { taken: ['10.211.0.0/16'] })[0]?.ipRange, '10.211.9.0/24');
});

test('the bridge driver refuses a shared IPv4 subnet in its own words (403)', () => {
  const e = bridgeOverlap('e012', 'br-e01230ebfbfc', '39f9', 'br-39f978880538');
  assert.ok(e instanceof ForbiddenError);
  assert.equal(e.message, 'cannot create network e012 (br-e01230ebfbfc): conflicts with network 39f9 (br-39f978880538): networks have overlapping IPv4');
});

test('inspect shows the user\'s entries verbatim, else the chosen subnet and gateway (reference: --subnet fd00:211:9::5/64 with an automatic IPv4 pool)', () => {
  const cases: [IpamConfigEntry[], ReturnType<typeof validateIpamConfig>, IpamConfigEntry[]][] = [
    [[], [{ subnet: '192.168.0.0/20', gateway: '192.168.0.1' }], [{ Subnet: '192.168.0.0/20', Gateway: '192.168.0.1' }]],
    [[{ Subnet: 'fd00:211:9::5/64' }], [{ subnet: '192.168.112.0/20', gateway: '192.168.112.1' }, { subnet: 'fd00:211:9::/64', gateway: 'fd00:211:9::1' }],
      [{ Subnet: '192.168.112.0/20', Gateway: '192.168.112.1' }, { Subnet: 'fd00:211:9::5/64' }]],
    [[{ Subnet: '10.211.0.0/16', IPRange: '10.211.5.0/24', Gateway: '', AuxiliaryAddresses: {} }], [{ subnet: '10.211.0.0/16', gateway: '10.211.5.0', ipRange: '10.211.5.0/24' }],
      [{ Subnet: '10.211.0.0/16', IPRange: '10.211.5.0/24' }]],
  ];
  for (const [user, subnets, want] of cases) assert.deepEqual(inspectIpamConfig(user, subnets), want);
});
