import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ADDRESS_POOLS } from './ipam.ts';
import { networkDefaults, parsePoolFlag } from './network-defaults.ts';

test("the network settings default to dockerd's (bridge berth0, its pools, ip-forward and iptables on)", () => {
  assert.deepEqual(networkDefaults({}), {
    bridgeName: 'berth0', bridgeDisabled: false, addressPools: DEFAULT_ADDRESS_POOLS, ipForward: true, iptables: true, dns: [], dnsSearch: [], dnsOptions: [],
  });
});

test('bridge, bip, pools and the DNS settings are read and checked', () => {
  const d = networkDefaults({
    bridge: 'bapi9', bip: '10.213.0.1/24', 'default-address-pools': [{ base: '10.213.128.5/17', size: 24 }], 'ip-forward': false, iptables: false,
    dns: ['10.213.0.53', 'fd00::53'], 'dns-search': ['example.com'], 'dns-opts': ['ndots:2'], 'host-gateway-ip': '10.213.0.1',
  });
  assert.equal(d.bridgeName, 'bapi9');
  assert.deepEqual(d.bip, { gateway: '10.213.0.1', subnet: '10.213.0.0/24' });
  assert.deepEqual(d.addressPools, [{ base: '10.213.128.0/17', size: 24 }]);
  assert.equal(d.ipForward, false);
  assert.equal(d.iptables, false);
  assert.deepEqual([d.dns, d.dnsSearch, d.dnsOptions, d.hostGatewayIp], [['10.213.0.53', 'fd00::53'], ['example.com'], ['ndots:2'], '10.213.0.1']);
  assert.equal(networkDefaults({ bridge: 'none' }).bridgeDisabled, true);
});

test("bad settings stop the start with dockerd's words", () => {
  const cases: [Parameters<typeof networkDefaults>[0], string | RegExp][] = [
    [{ bip: 'foo' }, 'Error initializing network controller: invalid CIDR address: foo'],
    [{ bip: '10.213.0.1' }, 'Error initializing network controller: invalid CIDR address: 10.213.0.1'],
    [{ bip: '10.213.0.0/24' }, 'Error creating default "bridge" network: failed to allocate gateway (10.213.0.0): Address already in use'],
    [{ bridge: 'a-bridge-name-too-long' }, /invalid bridge name "a-bridge-name-too-long"/],
    [{ 'default-address-pools': [{ base: 'x', size: 24 }] }, 'invalid base pool "x": invalid CIDR address: x'],
    [{ 'default-address-pools': [{ base: '10.213.0.0/16', size: 8 }] }, 'invalid pools size: 8'],
    [{ 'default-address-pools': [{ base: '10.213.0.0/16' }] }, 'invalid pools size: 0'],
    [{ 'default-address-pools': [{ base: '10.213.0.0/16', size: '24' }] }, 'invalid pools size: 24'],
    [{ dns: ['8.8.8'] }, '8.8.8 is not an ip address'],
    [{ 'dns-search': ['-bad-'] }, '-bad- is not a valid domain'],
    [{ 'host-gateway-ip': 'gw' }, 'invalid argument "gw" for "--host-gateway-ip" flag: invalid string being converted to IP address: gw'],
    [{ dns: '8.8.8.8' as unknown as string[] }, 'json: cannot unmarshal string into Go struct field Config.dns of type []string'],
    [{ iptables: 'no' as unknown as boolean }, 'json: cannot unmarshal string into Go struct field Config.iptables of type bool'],
  ];
  for (const [settings, message] of cases) assert.throws(() => networkDefaults(settings), typeof message === 'string' ? { message } : message, JSON.stringify(settings));
});

test('--default-address-pool is read as dockerd reads it', () => {
  assert.deepEqual(parsePoolFlag('base=10.213.0.0/16,size=24'), { base: '10.213.0.0/16', size: 24 });
  assert.deepEqual(parsePoolFlag('SIZE=20,Base=10.213.0.0/16'), { base: '10.213.0.0/16', size: 20 });
  assert.deepEqual(parsePoolFlag('SIZE=64,Base=FD00:213::/48'), { base: 'fd00:213::/48', size: 64 });
  assert.throws(() => parsePoolFlag('10.213.0.0/16'), { message: `invalid argument "10.213.0.0/16" for "--default-address-pool" flag: invalid field '10.213.0.0/16' must be a key=value pair` });
  assert.throws(() => parsePoolFlag('base=10.213.0.0/16,size=x'), /invalid size value: "x" \(must be integer\)/);
  assert.throws(() => parsePoolFlag('base=10.213.0.0/16,mask=24'), /unexpected key 'mask' in 'mask=24'/);
});
