import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import type { PublishedPort } from './network-record.ts';
import { inspectPorts, netavarkPortMappings, portRequests, summaryPorts, validatePortBindings, type PortRequest } from './ports.ts';

const E = (...keys: string[]) => ({ ExposedPorts: Object.fromEntries(keys.map((k) => [k, {}])) as Record<string, Record<string, never>> });

test('create refuses bad ports in dockerd 20.10 words (400)', () => {
  const cases: [HostConfig['PortBindings'], string | undefined][] = [
    [{ '80/tcp': [{ HostPort: '99999' }] }, 'invalid port specification: "99999"'],
    [{ '80/tcp': [{ HostPort: 'abc' }] }, 'invalid port specification: "abc"'],
    [{ '80/tcp': [{ HostPort: '-1' }] }, 'invalid port specification: "-1"'],
    [{ '80/tcp': [{ HostPort: '18002-18001' }] }, 'invalid port specification: "18002-18001"'],
    [{ '99999/tcp': [{ HostPort: '8080' }] }, 'invalid port specification: "99999"'],
    [{ 'abc/tcp': [{ HostPort: '8080' }] }, 'invalid port specification: "abc"'],
    [{ '80-81/tcp': [{ HostPort: '18000-18001' }] }, 'invalid port specification: "80-81"'],
    // Accepted at create (dockerd finds a bad protocol only at start, and ignores a bad HostIp).
    [{ '80/foo': [{ HostPort: '8080' }] }, undefined],
    [{ '80/tcp': [{ HostIp: 'foo', HostPort: '8080' }] }, undefined],
    [{ '80/tcp': [{ HostPort: '' }, { HostPort: '0' }, { HostPort: '8000-8001' }, { HostPort: '8080/udp' }] }, undefined],
    [{ '80': null, '0/tcp': [] }, undefined],
  ];
  for (const [bindings, message] of cases) {
    if (message === undefined) assert.doesNotThrow(() => validatePortBindings(bindings), JSON.stringify(bindings));
    else assert.throws(() => validatePortBindings(bindings), (e: unknown) => e instanceof InvalidParameterError && (e as Error).message === message, JSON.stringify(bindings));
  }
});

test('port requests: only exposed ports are published, -P adds random ones', () => {
  const R = (containerPort: number, hostIp: string, hostPort: number, proto: PortRequest['proto'] = 'tcp', hostPortEnd?: number): PortRequest =>
    hostPortEnd === undefined ? { containerPort, proto, hostIp, hostPort } : { containerPort, proto, hostIp, hostPort, hostPortEnd };
  const cases: [string, ReturnType<typeof E>, Pick<HostConfig, 'PortBindings' | 'PublishAllPorts'>, PortRequest[]][] = [
    ['-p 8080:80', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } }, [R(80, '', 8080)]],
    ['-p 127.0.0.1::80', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } }, [R(80, '127.0.0.1', 0)]],
    ['-p 80 (HostPort 0)', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostPort: '0' }] } }, [R(80, '', 0)]],
    ['a host range on one key', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostPort: '8000-8001' }] } }, [R(80, '', 8000, 'tcp', 8001)]],
    ['"80" is 80/tcp', E('80'), { PortBindings: { '80': [{ HostPort: '8080' }] } }, [R(80, '', 8080)]],
    ['bound but not exposed: ignored', E(), { PortBindings: { '80/tcp': [{ HostPort: '8080' }] } }, []],
    ['a HostIp that is no address binds every address', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostIp: 'foo', HostPort: '8080' }] } }, [R(80, '', 8080)]],
    ['0.0.0.0 and [::] stay as given', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '1' }, { HostIp: '0:0::0', HostPort: '2' }] } }, [R(80, '::', 2), R(80, '0.0.0.0', 1)]],
    ['higher host ports first, as dockerd sorts them', E('80/tcp'), { PortBindings: { '80/tcp': [{ HostPort: '42128' }, { HostIp: '127.0.0.1', HostPort: '42129' }] } }, [R(80, '127.0.0.1', 42129), R(80, '', 42128)]],
    ['-P with EXPOSE, ports in order', E('443/tcp', '53/udp', '80/tcp'), { PublishAllPorts: true }, [R(53, '', 0, 'udp'), R(80, '', 0), R(443, '', 0)]],
    ['-P keeps explicit bindings', E('80/tcp', '90/tcp'), { PublishAllPorts: true, PortBindings: { '90/tcp': [{ HostPort: '42126' }] } }, [R(80, '', 0), R(90, '', 42126)]],
    ['exposed only', E('80/tcp', '81/udp'), {}, []],
  ];
  for (const [name, config, hostConfig, want] of cases) assert.deepEqual(portRequests(config, hostConfig), want, name);
  assert.throws(() => portRequests(E('80/foo'), { PortBindings: { '80/foo': [{ HostPort: '8080' }] } }), (e: unknown) => e instanceof SystemError && (e as Error).message === 'invalid transport protocol: 0');
  assert.throws(() => portRequests(E('80/tcp'), { PortBindings: { '80/tcp': [{ HostPort: '99999' }] } }), InvalidParameterError);
});

const P = (containerPort: number, hostIp: string, hostPort: number, proto: PublishedPort['proto'] = 'tcp'): PublishedPort => ({ containerPort, proto, hostIp, hostPort });

test('inspect and list show ports as dockerd 20.10 does for a running container', () => {
  // Each expectation is what the reference engine answered for the same -p/-P.
  const cases: [string, ReturnType<typeof E>, PublishedPort[], unknown, unknown][] = [
    ['-p 8080:80', E('80/tcp'), [P(80, '', 42120)],
      { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '42120' }, { HostIp: '::', HostPort: '42120' }] },
      [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 42120, Type: 'tcp' }, { IP: '::', PrivatePort: 80, PublicPort: 42120, Type: 'tcp' }]],
    ['-p 127.0.0.1:8081:80', E('80/tcp'), [P(80, '127.0.0.1', 42121)],
      { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '42121' }] },
      [{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 42121, Type: 'tcp' }]],
    ['-p 0.0.0.0:42132:80 binds IPv4 only', E('80/tcp'), [P(80, '0.0.0.0', 42132)],
      { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '42132' }] },
      [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 42132, Type: 'tcp' }]],
    ['-p 42122:80/udp', E('80/udp'), [P(80, '', 42122, 'udp')],
      { '80/udp': [{ HostIp: '0.0.0.0', HostPort: '42122' }, { HostIp: '::', HostPort: '42122' }] },
      [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 42122, Type: 'udp' }, { IP: '::', PrivatePort: 80, PublicPort: 42122, Type: 'udp' }]],
    ['-P, keys in Go map order', E('80/tcp', '443/tcp', '53/udp'), [P(53, '', 32768, 'udp'), P(80, '', 32774), P(443, '', 32773)],
      { '443/tcp': [{ HostIp: '0.0.0.0', HostPort: '32773' }, { HostIp: '::', HostPort: '32773' }], '53/udp': [{ HostIp: '0.0.0.0', HostPort: '32768' }, { HostIp: '::', HostPort: '32768' }], '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32774' }, { HostIp: '::', HostPort: '32774' }] },
      undefined],
    ['--expose 7000-7002 -p 42131:7001', E('7000/tcp', '7001/tcp', '7002/tcp'), [P(7001, '', 42131)],
      { '7000/tcp': null, '7001/tcp': [{ HostIp: '0.0.0.0', HostPort: '42131' }, { HostIp: '::', HostPort: '42131' }], '7002/tcp': null },
      [{ PrivatePort: 7000, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 7001, PublicPort: 42131, Type: 'tcp' }, { IP: '::', PrivatePort: 7001, PublicPort: 42131, Type: 'tcp' }, { PrivatePort: 7002, Type: 'tcp' }]],
    ['two bindings of one port', E('80/tcp'), [P(80, '127.0.0.1', 42129), P(80, '', 42128)],
      { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '42129' }, { HostIp: '0.0.0.0', HostPort: '42128' }, { HostIp: '::', HostPort: '42128' }] },
      undefined],
  ];
  for (const [name, config, ports, inspect, list] of cases) {
    const got = inspectPorts(config, ports);
    assert.deepEqual(got, inspect, name);
    assert.equal(JSON.stringify(got), JSON.stringify(inspect), `${name}: key order`);
    if (list !== undefined) assert.deepEqual(summaryPorts(config, ports), list, name);
  }
  assert.deepEqual(inspectPorts(E('80/tcp'), [P(80, '', 1)], false), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '1' }] });
});

test('netavark port mappings merge consecutive ports into ranges', () => {
  const cases: [PublishedPort[], unknown][] = [
    [[P(80, '', 8080)], [{ host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' }]],
    [[P(82, '', 42125), P(80, '', 42123), P(81, '', 42124)], [{ host_ip: '', container_port: 80, host_port: 42123, range: 3, protocol: 'tcp' }]],
    [[P(80, '', 1000), P(81, '', 1002)], [{ host_ip: '', container_port: 80, host_port: 1000, range: 1, protocol: 'tcp' }, { host_ip: '', container_port: 81, host_port: 1002, range: 1, protocol: 'tcp' }]],
    [[P(80, '', 1000), P(81, '127.0.0.1', 1001), P(81, '', 1001, 'udp')], [
      { host_ip: '', container_port: 80, host_port: 1000, range: 1, protocol: 'tcp' },
      { host_ip: '127.0.0.1', container_port: 81, host_port: 1001, range: 1, protocol: 'tcp' },
      { host_ip: '', container_port: 81, host_port: 1001, range: 1, protocol: 'udp' }]],
  ];
  for (const [ports, want] of cases) assert.deepEqual(netavarkPortMappings(ports), want);
});
