import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIpamConfig, type IpamInputs } from './network-ipam.ts';

const ipam = (o: Partial<IpamInputs>) => buildIpamConfig({ subnets: [], ipRanges: [], gateways: [], auxAddresses: [], ...o });

test('ranges, gateways and aux addresses go to the subnet that holds them', () => {
  assert.deepEqual(ipam({}), []);
  assert.deepEqual(
    ipam({ subnets: ['10.5.0.0/16', 'fd00:5::/64'], gateways: ['10.5.0.1'], ipRanges: ['10.5.1.0/24'], auxAddresses: [['a', '10.5.0.5'], ['b', 'fd00:5::5']] }),
    [
      { Subnet: '10.5.0.0/16', IPRange: '10.5.1.0/24', Gateway: '10.5.0.1', AuxiliaryAddresses: { a: '10.5.0.5' } },
      { Subnet: 'fd00:5::/64', AuxiliaryAddresses: { b: 'fd00:5::5' } },
    ],
  );
  assert.deepEqual(ipam({ subnets: ['10.5.0.0/16', '10.6.0.0/16'], gateways: ['10.6.0.1', '10.5.0.1'] }), [
    { Subnet: '10.5.0.0/16', Gateway: '10.5.0.1' },
    { Subnet: '10.6.0.0/16', Gateway: '10.6.0.1' },
  ]);
  // One subnet is not checked on the client: the daemon words that error.
  assert.deepEqual(ipam({ subnets: ['bad'] }), [{ Subnet: 'bad' }]);
});

test('errors are the docker CLI\'s', () => {
  const cases: Array<[Partial<IpamInputs>, string]> = [
    [{ subnets: ['10.212.1.0/24'], gateways: ['10.212.2.1'] }, 'no matching subnet for gateway 10.212.2.1'],
    [{ gateways: ['10.212.2.1'] }, 'every ip-range or gateway must have a corresponding subnet'],
    [{ subnets: ['10.212.1.0/24'], ipRanges: ['10.212.1.0/26', '10.212.1.64/26'] }, 'every ip-range or gateway must have a corresponding subnet'],
    [{ subnets: ['10.212.1.0/24', '10.212.1.0/25'] }, 'multiple overlapping subnet configuration is not supported'],
    [{ subnets: ['10.212.1.0/24', '10.213.1.0/24'], ipRanges: ['10.212.1.0/26', '10.212.1.64/26'] }, 'cannot configure multiple ranges (10.212.1.64/26, 10.212.1.0/26) on the same subnet (10.212.1.0/24)'],
    [{ subnets: ['10.212.1.0/24'], gateways: ['10.212.1.1', '10.212.1.2'] }, 'every ip-range or gateway must have a corresponding subnet'],
    [{ subnets: ['10.212.1.0/24', '10.9.0.0/16'], gateways: ['10.212.1.1', '10.212.1.2'] }, 'cannot configure multiple gateways (10.212.1.2, 10.212.1.1) for the same subnet (10.212.1.0/24)'],
    [{ subnets: ['bad', 'bad2'] }, 'invalid subnet: invalid CIDR address: bad2'],
    [{ subnets: ['10.212.1.0/24'], ipRanges: ['bad'] }, 'invalid CIDR address: bad'],
    [{ subnets: ['10.212.9.0/24'], ipRanges: ['10.212.8.0/24'] }, 'no matching subnet for range 10.212.8.0/24'],
    [{ subnets: ['10.212.1.0/24'], gateways: ['bad'] }, 'no matching subnet for gateway bad'],
    [{ subnets: ['10.212.1.0/24'], auxAddresses: [['10.212.1.5', '']] }, 'no matching subnet for aux-address '],
    [{ subnets: ['10.212.1.0/24'], auxAddresses: [['a', '10.212.9.5']] }, 'no matching subnet for aux-address 10.212.9.5'],
  ];
  for (const [o, message] of cases) assert.throws(() => ipam(o), (err: Error) => err.message === message, message);
});
