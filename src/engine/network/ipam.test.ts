import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForbiddenError, InvalidParameterError, SystemError } from '../../util/errors.ts';
import { AddressBook, DEFAULT_ADDRESS_POOLS, checkAddressPools, notInNetworkSubnets, pickSubnet } from './ipam.ts';

test('allocation is serial from the last address handed out, skipping reserved ones', () => {
  const book = new AddressBook({ subnet: '10.211.0.0/29', gateway: '10.211.0.1', auxAddresses: { a: '10.211.0.3' } });
  assert.equal(book.allocate('c1'), '10.211.0.2');
  assert.equal(book.allocate('c2'), '10.211.0.4');
  book.release('c1');
  // .2 is free again, but the cursor moves on first (no immediate reuse).
  assert.equal(book.allocate('c3'), '10.211.0.5');
  assert.equal(book.allocate('c4'), '10.211.0.6');
  // .7 is the broadcast address: wrap to the start.
  assert.equal(book.allocate('c5'), '10.211.0.2');
  assert.equal(book.allocate('c6'), undefined);
  assert.equal(book.holder('10.211.0.4'), 'c2');
  assert.equal(book.holder('10.211.0.1'), undefined);
  book.release('c2');
  assert.equal(book.holder('10.211.0.4'), undefined);
  assert.equal(book.allocate('c7'), '10.211.0.4');
});

test('with serial: false, the lowest free address, as dockerd 20.10 local networks hand them out', () => {
  // Reference: s1 .2, s2 .3, s3 .4; rm s1; s4 gets .2.
  const book = new AddressBook({ subnet: '10.211.0.0/24', gateway: '10.211.0.1' }, { serial: false });
  assert.deepEqual(['s1', 's2', 's3'].map((o) => book.allocate(o)), ['10.211.0.2', '10.211.0.3', '10.211.0.4']);
  book.release('s1');
  assert.equal(book.allocate('s4'), '10.211.0.2');
  assert.equal(book.allocate('s5'), '10.211.0.5');
});

test('an IPRange bounds automatic allocation, as dockerd folds it into the subnet', () => {
  const cases: [string, string, string[]][] = [
    ['10.211.0.0/16', '10.211.5.0/30', ['10.211.5.0', '10.211.5.1', '10.211.5.2', '10.211.5.3']],
    ['10.211.0.0/29', '10.211.0.0/8', ['10.211.0.2', '10.211.0.3', '10.211.0.4', '10.211.0.5', '10.211.0.6']],
    // Outside the subnet: its host part is taken relative to the subnet's mask.
    ['10.211.0.0/16', '10.212.1.0/31', ['10.211.1.0', '10.211.1.1']],
  ];
  for (const [subnet, ipRange, want] of cases) {
    const book = new AddressBook({ subnet, gateway: '10.211.0.1', ipRange });
    const got: string[] = [];
    for (let ip = book.allocate('x'); ip !== undefined; ip = book.allocate('x')) got.push(ip);
    assert.deepEqual(got, want, `${subnet} ${ipRange}`);
  }
});

test('static addresses: taken, outside, reserved', () => {
  const book = new AddressBook({ subnet: '10.211.0.0/24', gateway: '10.211.0.1' });
  book.reserve('10.211.0.9', 'c1');
  book.reserve('10.211.0.9', 'c1'); // idempotent for its holder
  const cases: [string, new (m: string) => Error, string][] = [
    ['10.211.0.9', ForbiddenError, 'Address already in use'],
    ['10.211.0.1', ForbiddenError, 'Address already in use'],
    ['10.211.0.0', ForbiddenError, 'Address already in use'],
    ['10.211.0.255', ForbiddenError, 'Address already in use'],
    ['10.211.1.1', InvalidParameterError, 'Requested address is out of range'],
    ['fd00::1', InvalidParameterError, 'Requested address is out of range'],
  ];
  for (const [ip, kind, message] of cases) {
    assert.throws(() => book.reserve(ip, 'c2'), (e: unknown) => e instanceof kind && (e as Error).message === message, ip);
  }
  // The network-level refusal the reference answers at start (500).
  const e = notInNetworkSubnets('10.212.0.3');
  assert.ok(e instanceof SystemError);
  assert.equal(e.message, "Invalid address 10.212.0.3: It does not belong to any of this network's subnets");
  // The allocator steps over the static address.
  const b2 = new AddressBook({ subnet: '10.211.0.0/24', gateway: '10.211.0.1' });
  b2.reserve('10.211.0.2', 'c1');
  assert.equal(b2.allocate('c2'), '10.211.0.3');
});

test('IPv6 books never enumerate the space; dockerd has no broadcast there and caps a /64 at 2^64-1 ordinals', () => {
  const book = new AddressBook({ subnet: 'fd00:211::/64', gateway: 'fd00:211::1' });
  assert.equal(book.allocate('a'), 'fd00:211::2');
  book.reserve('fd00:211::3', 'b');
  assert.equal(book.allocate('c'), 'fd00:211::4');
  assert.throws(() => book.reserve('fd00:211::ffff:ffff:ffff:ffff', 'd'), (e: unknown) => e instanceof SystemError && (e as Error).message === 'bit does not belong to the sequence');
  const wide = new AddressBook({ subnet: 'fd00:211::/32', gateway: 'fd00:211::1' });
  assert.equal(wide.allocate('a'), 'fd00:211::2');
  const tiny = new AddressBook({ subnet: 'fd00:211::/127', gateway: 'fd00:211::1' });
  assert.equal(tiny.allocate('a'), undefined);
});

test('pickSubnet: first pool subnet that overlaps nothing taken', () => {
  const cases: [string[], string | undefined][] = [
    [[], '172.17.0.0/16'],
    [['172.17.0.0/16'], '172.18.0.0/16'],
    [['172.17.5.0/24', '172.18.0.0/15'], '172.20.0.0/16'],
    [['172.16.0.0/12'], '192.168.0.0/20'],
    [['172.16.0.0/12', '192.168.0.0/17', '192.168.200.1/32'], '192.168.128.0/20'],
    [['172.16.0.0/12', '192.168.0.0/16'], undefined],
  ];
  for (const [taken, want] of cases) assert.equal(pickSubnet(DEFAULT_ADDRESS_POOLS, taken), want, taken.join(','));
  assert.equal(pickSubnet([{ base: '10.211.0.0/16', size: 24 }], ['10.211.0.0/24', '10.211.1.0/24']), '10.211.2.0/24');
  // A huge IPv6 pool with a taken subnet deep inside: one jump, no enumeration.
  assert.equal(pickSubnet([{ base: 'fd00::/8', size: 64 }], ['fd00::/16', 'fd01::/17']), 'fd01:8000::/64');
  assert.equal(pickSubnet([{ base: '10.211.0.0/24', size: 25 }], ['10.211.0.0/25', '10.211.0.128/25']), undefined);
});

test("default-address-pools are checked with dockerd's errors, their bases normalised", () => {
  assert.deepEqual(checkAddressPools([{ base: '10.211.7.0/16', size: 20 }]), [{ base: '10.211.0.0/16', size: 20 }]);
  const poolErrors: [{ base: string; size: number }, string][] = [
    [{ base: 'foo', size: 24 }, 'invalid base pool "foo": invalid CIDR address: foo'],
    [{ base: '10.211.0.0/16', size: 8 }, 'invalid pools size: 8'],
    [{ base: '10.211.0.0/16', size: 0 }, 'invalid pools size: 0'],
  ];
  for (const [pool, message] of poolErrors) assert.throws(() => checkAddressPools([pool]), { message });
});
