import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSpec } from './ports.ts';
import { parseVolumeSpec } from './volume-spec.ts';

test('parsePortSpec reads every short form', () => {
  const cases: [string, object[]][] = [
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, protocol: 'tcp', published: '8080' }]],
    ['8080:80/udp', [{ mode: 'ingress', target: 80, protocol: 'udp', published: '8080' }]],
    ['127.0.0.1:8080:80', [{ mode: 'ingress', target: 80, protocol: 'tcp', published: '8080', host_ip: '127.0.0.1' }]],
    ['127.0.0.1::80', [{ mode: 'ingress', target: 80, protocol: 'tcp', host_ip: '127.0.0.1' }]],
    ['[::1]:8080:80', [{ mode: 'ingress', target: 80, protocol: 'tcp', published: '8080', host_ip: '::1' }]],
    ['::1:8080:80', [{ mode: 'ingress', target: 80, protocol: 'tcp', published: '8080', host_ip: '::1' }]],
    ['8000-8001:80-81', [
      { mode: 'ingress', target: 80, protocol: 'tcp', published: '8000' },
      { mode: 'ingress', target: 81, protocol: 'tcp', published: '8001' },
    ]],
    ['9090-9091:8080', [{ mode: 'ingress', target: 8080, protocol: 'tcp', published: '9090-9091' }]],
    ['3000-3001', [{ mode: 'ingress', target: 3000, protocol: 'tcp' }, { mode: 'ingress', target: 3001, protocol: 'tcp' }]],
  ];
  for (const [spec, want] of cases) assert.deepEqual(parsePortSpec(spec), want, spec);
});

test('parsePortSpec refuses what docker refuses', () => {
  const cases: [string, string][] = [
    ['abc', 'invalid containerPort: abc'],
    ['80:abc', 'invalid containerPort: abc'],
    ['x:80', 'invalid hostPort: x'],
    ['70000', 'invalid containerPort: 70000'],
    ['80/xyz', 'invalid proto: xyz'],
    ['1.2.3:80:80', 'invalid IP address: 1.2.3'],
    ['8000-8002:80-81', 'invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
  ];
  for (const [spec, msg] of cases) assert.throws(() => parsePortSpec(spec), { message: msg }, spec);
});

test('parseVolumeSpec reads short volume syntax', () => {
  const cases: [string, object][] = [
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['data:/data', { type: 'volume', source: 'data', target: '/data', volume: {} }],
    ['data:/data:ro,nocopy', { type: 'volume', source: 'data', target: '/data', read_only: true, volume: { nocopy: true } }],
    ['./site:/usr/share/nginx/html:ro', { type: 'bind', source: './site', target: '/usr/share/nginx/html', read_only: true, bind: { create_host_path: true } }],
    ['/var/run/docker.sock:/var/run/docker.sock', { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', bind: { create_host_path: true } }],
    ['~/x:/x:rw,z,rshared', { type: 'bind', source: '~/x', target: '/x', bind: { selinux: 'z', propagation: 'rshared', create_host_path: true } }],
    ['${SRC}:/x', { type: 'volume', source: '${SRC}', target: '/x', volume: {} }],
  ];
  for (const [spec, want] of cases) assert.deepEqual(parseVolumeSpec(spec), want, spec);
  assert.throws(() => parseVolumeSpec('ab:/b:ro:x'), { message: 'invalid spec: ab:/b:ro:x: too many colons' });
  assert.throws(() => parseVolumeSpec('ab::b'), { message: 'invalid spec: ab::b: empty section between colons' });
});
