import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SystemError } from '../../util/errors.ts';
import { HostPortReservations, bindSocket, externalConnectivityError, readEphemeralPortRange, type PortBinder } from './host-ports.ts';
import type { PortRequest } from './ports.ts';

/** A fake kernel: ports in `foreign` belong to another process; it records what is bound. */
function fakeBinder(foreign: string[] = []) {
  const bound = new Set<string>();
  const binder: PortBinder = async (proto, ip, port) => {
    const key = `${proto}/${ip}/${port}`;
    if (foreign.includes(key) || bound.has(key)) throw Object.assign(new Error('bind'), { code: 'EADDRINUSE' });
    bound.add(key);
    return { close: () => bound.delete(key) };
  };
  return { binder, bound };
}

const R = (containerPort: number, hostIp: string, hostPort: number, proto: PortRequest['proto'] = 'tcp', hostPortEnd?: number): PortRequest =>
  hostPortEnd === undefined ? { containerPort, proto, hostIp, hostPort } : { containerPort, proto, hostIp, hostPort, hostPortEnd };

test('the ephemeral range is read as dockerd reads it', () => {
  assert.deepEqual(readEphemeralPortRange('32768\t60999\n'), [32768, 60999]);
  assert.deepEqual(readEphemeralPortRange('garbage'), [49153, 65535]);
});

test('fixed ports: any-address binds 0.0.0.0 and ::, conflicts in dockerd words, all or nothing', async () => {
  const { binder, bound } = fakeBinder(['tcp/0.0.0.0/42150', 'tcp/127.0.0.1/42151']);
  const r = new HostPortReservations({ binder, ipv6: true, portRange: [42200, 42202] });
  assert.deepEqual(await r.reserve('c1', [R(80, '', 42140), R(81, '', 42141, 'udp')]), [
    { containerPort: 80, proto: 'tcp', hostIp: '', hostPort: 42140 },
    { containerPort: 81, proto: 'udp', hostIp: '', hostPort: 42141 },
  ]);
  assert.deepEqual([...bound].sort(), ['tcp/0.0.0.0/42140', 'tcp/::/42140', 'udp/0.0.0.0/42141', 'udp/::/42141']);
  const refused: [PortRequest, string][] = [
    [R(80, '', 42140), 'Bind for 0.0.0.0:42140 failed: port is already allocated'],
    [R(81, '', 42141, 'udp'), 'Bind for 0.0.0.0:42141 failed: port is already allocated'],
    [R(80, '::', 42140), 'Bind for :::42140 failed: port is already allocated'],
    [R(80, '', 42150), 'Error starting userland proxy: listen tcp4 0.0.0.0:42150: bind: address already in use'],
    [R(80, '127.0.0.1', 42151), 'Error starting userland proxy: listen tcp4 127.0.0.1:42151: bind: address already in use'],
  ];
  for (const [req, message] of refused) {
    // A good port first: it must be given back when the second fails.
    await assert.rejects(r.reserve('c2', [R(90, '', 42160), req]), (e: unknown) => e instanceof SystemError && (e as Error).message === message, message);
    assert.ok(!bound.has('tcp/0.0.0.0/42160'), 'all or nothing');
  }
  r.release('c1');
  assert.equal(bound.size, 0);
  assert.deepEqual(await r.reserve('c2', [R(80, '', 42140)]), [{ containerPort: 80, proto: 'tcp', hostIp: '', hostPort: 42140 }]);
});

test('random ports: serial per address and protocol, stepping over foreign ones, then "all ports are allocated"', async () => {
  const { binder } = fakeBinder(['tcp/0.0.0.0/42201']);
  const r = new HostPortReservations({ binder, ipv6: false, portRange: [42200, 42203] });
  const ports = async (owner: string, reqs: PortRequest[]) => (await r.reserve(owner, reqs)).map((p) => p.hostPort);
  assert.deepEqual(await ports('a', [R(80, '', 0), R(81, '', 0)]), [42200, 42202]);
  assert.deepEqual(await ports('b', [R(80, '', 0, 'udp'), R(80, '127.0.0.1', 0)]), [42200, 42200]);
  r.release('a');
  // The cursor moves on before it comes back to the freed ports.
  assert.deepEqual(await ports('c', [R(80, '', 0), R(81, '', 0)]), [42203, 42200]);
  await assert.rejects(ports('d', [R(80, '', 0), R(81, '', 0)]), { message: 'all ports are allocated' });
  // A host range has its own cursor and starts at its first port.
  assert.deepEqual(await ports('e', [R(80, '127.0.0.2', 42300, 'tcp', 42301), R(81, '127.0.0.2', 42300, 'tcp', 42301)]), [42300, 42301]);
  await assert.rejects(ports('f', [R(80, '127.0.0.2', 42300, 'tcp', 42301)]), { message: 'all ports are allocated' });
});

test('readopt binds what it can and release frees it', async () => {
  const { binder, bound } = fakeBinder(['tcp/0.0.0.0/42171']);
  const r = new HostPortReservations({ binder, ipv6: true, portRange: [42200, 42201] });
  await r.readopt('c', [{ containerPort: 80, proto: 'tcp', hostIp: '', hostPort: 42170 }, { containerPort: 81, proto: 'tcp', hostIp: '', hostPort: 42171 }]);
  assert.deepEqual([...bound].sort(), ['tcp/0.0.0.0/42170', 'tcp/::/42170', 'tcp/::/42171']);
  r.release('c');
  assert.equal(bound.size, 0);
});

test('the real binder holds a TCP port on loopback (rootless), so another listener is refused', async () => {
  const holder = await bindSocket('tcp', '127.0.0.1', 0).catch(() => undefined);
  assert.ok(holder, 'binding an ephemeral loopback port works');
  holder.close();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await assert.rejects(bindSocket('tcp', '127.0.0.1', port), (e: unknown) => (e as { code?: string }).code === 'EADDRINUSE');
  const udp = await bindSocket('udp', '127.0.0.1', port);
  udp.close();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

test('dockerd wraps port failures with the endpoint', () => {
  const e = externalConnectivityError('web', 'abc123', new SystemError('all ports are allocated'));
  assert.equal(e.message, 'driver failed programming external connectivity on endpoint web (abc123): all ports are allocated');
});
