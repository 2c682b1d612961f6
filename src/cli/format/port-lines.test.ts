import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPortLines } from './port-lines.ts';
import { naturalCompare, naturalLess } from './sort-order.ts';
import { displayablePorts } from './container-row.ts';
import type { Port } from '../../client/types.ts';

// NetworkSettings.Ports of `-p 18080:80 -p 127.0.0.1::80/udp -p 18000-18001:80-81` on dockerd 20.10.
const PORTS = {
  '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '18080' }, { HostIp: '::', HostPort: '18080' }, { HostIp: '0.0.0.0', HostPort: '18000' }, { HostIp: '::', HostPort: '18000' }],
  '80/udp': [{ HostIp: '127.0.0.1', HostPort: '32768' }],
  '81/tcp': [{ HostIp: '0.0.0.0', HostPort: '18001' }, { HostIp: '::', HostPort: '18001' }],
  '90/tcp': null,
};

test('port lists every mapping in docker\'s natural order', () => {
  assert.equal(
    formatPortLines(PORTS, 'c'),
    '80/tcp -> 0.0.0.0:18000\n80/tcp -> 0.0.0.0:18080\n80/tcp -> [::]:18000\n80/tcp -> [::]:18080\n80/udp -> 127.0.0.1:32768\n81/tcp -> 0.0.0.0:18001\n81/tcp -> [::]:18001\n',
  );
  assert.equal(formatPortLines(PORTS, 'c', '80'), '0.0.0.0:18000\n0.0.0.0:18080\n[::]:18000\n[::]:18080\n');
  assert.equal(formatPortLines(PORTS, 'c', '80/udp'), '127.0.0.1:32768\n');
  assert.equal(formatPortLines({}, 'c'), '');
});

test('port errors are docker\'s', () => {
  const cases: Array<[string, string]> = [
    ['999', "Error: No public port '999' published for c"],
    ['90', "Error: No public port '90' published for c"],
    ['80/tcp/x', "Error: No public port '80/tcp/x' published for c"],
    ['abc', 'Error: invalid port (abc): strconv.ParseUint: parsing "abc": invalid syntax'],
    ['99999', 'Error: invalid port (99999): strconv.ParseUint: parsing "99999": value out of range'],
  ];
  for (const [want, message] of cases) assert.throws(() => formatPortLines(PORTS, 'c', want), { message });
});

test('natural order: numbers by value, digits before letters', () => {
  assert.deepEqual(['b10', 'b9', 'a', 'b09', '1'].sort(naturalCompare), ['1', 'a', 'b9', 'b09', 'b10']);
  assert.ok(naturalLess('80/tcp -> 0.0.0.0:18000', '80/tcp -> [::]:18000'));
  assert.ok(!naturalLess('x', 'x'));
});

test('the PORTS column groups ranges and lists host mappings as docker 28 does', () => {
  const p = (PrivatePort: number, Type: string, IP?: string, PublicPort?: number): Port => ({ PrivatePort, Type, IP, PublicPort }) as Port;
  // -p 18100-18102:18100-18102 -p 127.0.0.1:18105:18105/udp --expose 7000-7002 --expose 7005 -p 18106:18106 (dockerd 20.10).
  const ports = [
    p(7000, 'tcp'), p(7001, 'tcp'), p(7002, 'tcp'), p(7005, 'tcp'),
    p(18100, 'tcp', '0.0.0.0', 18100), p(18101, 'tcp', '0.0.0.0', 18101), p(18102, 'tcp', '0.0.0.0', 18102),
    p(18100, 'tcp', '::', 18100), p(18101, 'tcp', '::', 18101), p(18102, 'tcp', '::', 18102),
    p(18105, 'udp', '127.0.0.1', 18105), p(18106, 'tcp', '0.0.0.0', 18106), p(18106, 'tcp', '::', 18106),
  ];
  assert.equal(
    displayablePorts(ports),
    '7000-7002/tcp, 0.0.0.0:18100-18102->18100-18102/tcp, [::]:18100-18102->18100-18102/tcp, 7005/tcp, 0.0.0.0:18106->18106/tcp, [::]:18106->18106/tcp, 127.0.0.1:18105->18105/udp',
  );
  assert.equal(
    displayablePorts([p(80, 'tcp', '0.0.0.0', 8080), p(80, 'tcp', '::', 8080), p(81, 'tcp', '0.0.0.0', 8081)]),
    '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 0.0.0.0:8081->81/tcp',
  );
});
