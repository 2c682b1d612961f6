import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMacAddress, netContains, parseCIDR, parseIP, splitHost } from './go-net.ts';
import { readCsvRecord } from './csv-record.ts';

test('parseIP accepts what Go\'s net.ParseIP accepts', () => {
  for (const ok of ['10.1.2.3', '0.0.0.0', '::', '::1', 'fd00::1', '2001:db8:0:0:0:0:0:33', '::ffff:10.1.2.3', '1:2:3:4:5:6:7::']) assert.ok(parseIP(ok), ok);
  for (const bad of ['', '10.1.2', '10.1.2.256', '010.1.2.3', '1.2.3.4/24', 'fe80::1%eth0', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9']) assert.equal(parseIP(bad), undefined, bad);
  assert.deepEqual(parseIP('::ffff:10.1.2.3'), parseIP('10.1.2.3'));
});

test('parseCIDR and Contains keep the families apart', () => {
  const v4 = parseCIDR('10.212.1.7/24').net;
  assert.ok(netContains(v4, parseIP('10.212.1.200')!));
  assert.ok(!netContains(v4, parseIP('10.212.2.1')!));
  assert.ok(!netContains(parseCIDR('::/0').net, parseIP('10.0.0.1')!));
  assert.ok(netContains(parseCIDR('fd00:5::/64').net, parseIP('fd00:5::5')!));
  assert.ok(netContains(parseCIDR('0.0.0.0/0').net, parseIP('1.2.3.4')!));
  for (const bad of ['bad', '10.0.0.0', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/x']) assert.throws(() => parseCIDR(bad), { message: `invalid CIDR address: ${bad}` });
});

test('splitHost strips brackets with Go\'s errors', () => {
  assert.equal(splitHost('[::1]:'), '::1');
  assert.throws(() => splitHost('[::1:'), { message: "address [::1:: missing ']' in address" });
  assert.throws(() => splitHost('[::1]x:'), { message: 'address [::1]x:: missing port in address' });
});

test('MAC addresses as net.ParseMAC takes them', () => {
  for (const ok of ['92:d0:c6:0a:29:33', '92-D0-C6-0A-29-33', '92d0.c60a.2933', '00:00:00:00:fe:80:00:00']) assert.ok(isMacAddress(ok), ok);
  for (const bad of ['zz', '92:d0:c6:0a:29', '92:d0-c6:0a:29:33', '92:d0:c6:0a:29:3']) assert.ok(!isMacAddress(bad), bad);
});

test('CSV records as Go\'s encoding/csv reads one line', () => {
  assert.deepEqual(readCsvRecord('name=a,alias=b'), ['name=a', 'alias=b']);
  assert.deepEqual(readCsvRecord('name=a,"alias=b,c",x'), ['name=a', 'alias=b,c', 'x']);
  assert.deepEqual(readCsvRecord('"a""b"'), ['a"b']);
  assert.deepEqual(readCsvRecord(''), ['']);
  assert.throws(() => readCsvRecord('a"b'), { message: 'parse error on line 1, column 2: bare " in non-quoted-field' });
  assert.throws(() => readCsvRecord('"ab'), /extraneous or missing " in quoted-field/);
});
