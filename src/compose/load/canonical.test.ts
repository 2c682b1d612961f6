import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, cleanTarget } from './canonical.ts';
import { normalizeModel, resolveHostPath } from './normalize.ts';

test('canonicalize turns short syntaxes into long ones', () => {
  const got = canonicalize(
    {
      services: {
        s: {
          build: '.',
          extends: 'base',
          depends_on: ['db'],
          env_file: ['a.env', { path: 'b.env', required: false }],
          networks: ['front'],
          dns: '8.8.8.8',
          ports: [80, { target: '81', published: 8081 }],
          volumes: ['data:/data/../srv/', { type: 'tmpfs', target: '/t' }],
          secrets: ['pw'],
        },
      },
      networks: { old: { external: { name: 'legacy' } } },
    },
    [],
  );
  assert.deepEqual(got, {
    services: {
      s: {
        build: { context: '.' },
        extends: { service: 'base' },
        depends_on: { db: { condition: 'service_started', required: true } },
        env_file: [{ path: 'a.env', required: true }, { path: 'b.env', required: false }],
        networks: { front: null },
        dns: ['8.8.8.8'],
        ports: [{ mode: 'ingress', target: 80, protocol: 'tcp' }, { target: 81, published: '8081' }],
        volumes: [{ type: 'volume', source: 'data', target: '/srv', volume: {} }, { type: 'tmpfs', target: '/t' }],
        secrets: [{ source: 'pw' }],
      },
    },
    networks: { old: { external: true, name: 'legacy' } },
  });
});

test('entries sharing a unique key are folded, the later winning in place', () => {
  const got = canonicalize(
    {
      services: {
        s: {
          ports: ['8080:80', '9090:90', { target: 80, published: '8080' }],
          volumes: ['a1:/x', 'b1:/y', 'c1:/x'],
          secrets: ['s', { source: 's', uid: '1' }],
          environment: ['A=1', 'B=2', 'A=3'],
          cap_add: ['NET_ADMIN', 'NET_ADMIN'],
        },
      },
    },
    [],
  );
  const s = (got['services'] as Record<string, Record<string, unknown>>)['s']!;
  assert.deepEqual(s['ports'], [{ target: 80, published: '8080' }, { mode: 'ingress', target: 90, protocol: 'tcp', published: '9090' }]);
  assert.deepEqual((s['volumes'] as { source: string }[]).map((v) => v.source), ['c1', 'b1']);
  assert.deepEqual(s['secrets'], [{ source: 's', uid: '1' }]);
  assert.deepEqual(s['environment'], ['A=3', 'B=2']);
  assert.deepEqual(s['cap_add'], ['NET_ADMIN']);
});

test('cleanTarget is Go path.Clean; host paths resolve against a base and HOME', () => {
  const cases: [string, string][] = [['/a/b/../c/', '/a/c'], ['/a//b/./c', '/a/b/c'], ['/..', '/'], ['a/../..', '..'], ['', '']];
  for (const [p, want] of cases) assert.equal(cleanTarget(p), want, p);
  assert.equal(resolveHostPath('./x', '/p', '/h'), '/p/x');
  assert.equal(resolveHostPath('~/x', '/p', '/h'), '/h/x');
  assert.equal(resolveHostPath('/abs', '/p', '/h'), '/abs');
  assert.equal(resolveHostPath('~user/x', '/p', '/h'), '/p/~user/x');
});

test('normalizeModel adds the default network only where used, and names resources', () => {
  const got = normalizeModel(
    {
      services: { a: {}, b: { network_mode: 'host' }, c: { networks: { back: null } } },
      networks: { back: {}, ext: { external: true } },
      volumes: { v: null, named: { name: 'custom' } },
    },
    { projectName: 'proj', workingDir: '/p', home: undefined },
  );
  assert.deepEqual(got, {
    name: 'proj',
    services: { a: { networks: { default: null } }, b: { network_mode: 'host' }, c: { networks: { back: null } } },
    networks: { back: { name: 'proj_back' }, ext: { external: true, name: 'ext' }, default: { name: 'proj_default' } },
    volumes: { v: { name: 'proj_v' }, named: { name: 'custom' } },
  });
});
