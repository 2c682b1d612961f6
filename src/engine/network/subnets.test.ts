import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError } from '../../util/errors.ts';
import { cidrContains, cidrsOverlap, formatCidr, ipFamily, normalizeIp, nthAddress, parseCidr } from './subnets.ts';

test('addresses are read as Go net.ParseIP reads them', () => {
  const cases: [string, 0 | 4 | 6, string | undefined][] = [
    ['10.211.0.1', 4, '10.211.0.1'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['256.0.0.1', 0, undefined],
    ['010.0.0.1', 0, undefined],
    ['10.0.0', 0, undefined],
    ['10.0.0.1.2', 0, undefined],
    ['foo', 0, undefined],
    ['', 0, undefined],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['FD00:211::1', 6, 'fd00:211::1'],
    ['fd00:0:0:0:0:0:0:1', 6, 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', 6, '2001:db8:0:1:1:1:1:1'],
    ['1:2:3:4:5:6:7:8', 6, '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7:8:9', 0, undefined],
    ['1::2::3', 0, undefined],
    ['1:2:3:4:5:6:7::8', 0, undefined],
    ['fe80::1%eth0', 0, undefined],
    ['12345::', 0, undefined],
  ];
  for (const [text, family, normal] of cases) {
    assert.equal(ipFamily(text), family, text);
    assert.equal(normalizeIp(text), normal, text);
  }
});

test('CIDRs parse as net.ParseCIDR (host bits cleared) and refuse in dockerd words', () => {
  const ok: [string, string][] = [
    ['10.211.0.0/16', '10.211.0.0/16'],
    ['10.211.0.5/16', '10.211.0.0/16'],
    ['10.211.0.5/016', '10.211.0.0/16'],
    ['10.211.0.5/32', '10.211.0.5/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['fd00:211::5/64', 'fd00:211::/64'],
    ['FD00:211:a::/48', 'fd00:211:a::/48'],
    ['::/0', '::/0'],
  ];
  for (const [text, normal] of ok) assert.equal(formatCidr(parseCidr(text)), normal, text);
  for (const bad of ['10.211.0.0/33', 'foo', '', '10.211.0.0', '10.211.0.0/', '10.211.0.0/-1', '10.211.0.0/1a', 'fd00::/129', '10.211.0.0/16/1']) {
    assert.throws(() => parseCidr(bad), (e: unknown) => e instanceof InvalidParameterError && e.message === `invalid CIDR address: ${bad}`, bad);
  }
});

test('containment and overlap', () => {
  const contains: [string, string, boolean][] = [
    ['10.211.0.0/16', '10.211.255.255', true],
    ['10.211.0.0/16', '10.212.0.0', false],
    ['10.211.0.0/16', 'fd00::1', false],
    ['10.211.0.0/16', 'junk', false],
    ['fd00:211::/64', 'fd00:211::ffff:ffff:ffff:ffff', true],
    ['fd00:211::/64', 'fd00:211:0:1::', false],
  ];
  for (const [c, ip, want] of contains) assert.equal(cidrContains(c, ip), want, `${c} ∋ ${ip}`);
  const overlap: [string, string, boolean][] = [
    ['10.211.0.0/16', '10.211.1.0/24', true],
    ['10.211.1.0/24', '10.211.0.0/16', true],
    ['10.211.0.0/24', '10.211.1.0/24', false],
    ['10.211.0.0/23', '10.211.1.0/24', true],
    ['10.211.0.0/16', 'fd00::/8', false],
    ['fd00:211::/48', 'fd00:211:0:5::/64', true],
  ];
  for (const [a, b, want] of overlap) assert.equal(cidrsOverlap(a, b), want, `${a} ∩ ${b}`);
});

test('the n-th address of a subnet', () => {
  const cases: [string, bigint, string][] = [
    ['10.211.0.0/16', 1n, '10.211.0.1'],
    ['10.211.0.0/16', 256n, '10.211.1.0'],
    ['10.211.5.7/24', 0n, '10.211.5.0'],
    ['fd00:211::/64', 1n, 'fd00:211::1'],
    ['fd00:211::/64', 0x10000n, 'fd00:211::1:0'],
  ];
  for (const [c, n, want] of cases) assert.equal(nthAddress(c, n), want);
  assert.throws(() => nthAddress('10.211.0.0/30', 4n), InvalidParameterError);
});
