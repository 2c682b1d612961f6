import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlDocuments } from './yaml-source.ts';
import { mergeFiles } from './merge.ts';

test('anchors, aliases and merge keys resolve', () => {
  const [doc] = parseYamlDocuments(
    `x-common: &common
  image: busybox
  environment: { A: "1" }
services:
  a:
    <<: *common
    command: echo a
  b:
    <<: [*common, { image: other, tty: true }]
    image: mine
  c:
    environment: *common
`,
    'f.yaml',
  );
  assert.deepEqual(doc?.value, {
    'x-common': { image: 'busybox', environment: { A: '1' } },
    services: {
      a: { command: 'echo a', image: 'busybox', environment: { A: '1' } },
      b: { image: 'mine', environment: { A: '1' }, tty: true },
      c: { environment: { image: 'busybox', environment: { A: '1' } } },
    },
  });
});

test('!reset and !override are returned as paths', () => {
  const [doc] = parseYamlDocuments('services:\n  app:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    volumes: !override\n      - b:/b\n', 'o.yaml');
  assert.deepEqual(doc?.value, { services: { app: { environment: {}, volumes: ['b:/b'] } } });
  assert.deepEqual(doc?.resets, [['services', 'app', 'ports'], ['services', 'app', 'environment', 'FOO']]);
  assert.deepEqual(doc?.overrides, [['services', 'app', 'volumes']]);
});

test('several documents and syntax errors', () => {
  assert.equal(parseYamlDocuments('a: 1\n---\nb: 2\n', 'f').length, 2);
  assert.throws(() => parseYamlDocuments('a: [1\n', 'f.yaml'), /^InvalidParameterError: failed to parse f.yaml: /);
  assert.throws(() => parseYamlDocuments('a: 1\na: 2\n', 'f.yaml'), /failed to parse f.yaml: Map keys must be unique/);
});

test('mergeFiles follows the merge rules of the specification', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>][] = [
    ['mappings merge', { services: { foo: { key1: 'v1', key2: 'v2' } } }, { services: { foo: { key2: 'V', key3: 'v3' } } }, { services: { foo: { key1: 'v1', key2: 'V', key3: 'v3' } } }],
    ['sequences append', { services: { foo: { dns: ['1.1.1.1'] } } }, { services: { foo: { dns: ['8.8.8.8'] } } }, { services: { foo: { dns: ['1.1.1.1', '8.8.8.8'] } } }],
    ['command is replaced', { services: { foo: { command: ['echo', 'foo'] } } }, { services: { foo: { command: ['echo', 'bar'] } } }, { services: { foo: { command: ['echo', 'bar'] } } }],
    ['healthcheck.test is replaced', { services: { foo: { healthcheck: { test: ['CMD', 'a'], retries: 3 } } } }, { services: { foo: { healthcheck: { test: ['CMD', 'b'] } } } }, { services: { foo: { healthcheck: { test: ['CMD', 'b'], retries: 3 } } } }],
    ['environment list and map merge by key', { services: { foo: { environment: ['A=1', 'B=2'] } } }, { services: { foo: { environment: { B: '3', C: null } } } }, { services: { foo: { environment: { A: '1', B: '3', C: null } } } }],
    ['build string and mapping', { services: { foo: { build: '.' } } }, { services: { foo: { build: { target: 'dev' } } } }, { services: { foo: { build: { context: '.', target: 'dev' } } } }],
    ['depends_on list and mapping', { services: { foo: { depends_on: ['db'] } } }, { services: { foo: { depends_on: { cache: { condition: 'service_healthy' } } } } }, { services: { foo: { depends_on: { db: { condition: 'service_started', required: true }, cache: { condition: 'service_healthy' } } } } }],
    ['logging driver change drops options', { services: { foo: { logging: { driver: 'json-file', options: { a: '1' } } } } }, { services: { foo: { logging: { driver: 'syslog' } } } }, { services: { foo: { logging: { driver: 'syslog' } } } }],
  ];
  for (const [name, a, b, want] of cases) assert.deepEqual(mergeFiles(a, b), want, name);
});

test('mergeFiles applies !reset and !override paths', () => {
  const base = { services: { app: { image: 'myapp', ports: ['8080:80'], environment: { FOO: 'BAR', X: '1' } } } };
  const [reset] = parseYamlDocuments('services:\n  app:\n    image: myapp\n    ports: !reset []\n    environment:\n      FOO: !reset null\n', 'o');
  assert.deepEqual(mergeFiles(base, reset!.value as Record<string, unknown>, reset!), { services: { app: { image: 'myapp', environment: { X: '1' } } } });
  const [over] = parseYamlDocuments('services:\n  app:\n    ports: !override\n      - "8443:443"\n', 'o');
  assert.deepEqual(mergeFiles(base, over!.value as Record<string, unknown>, over!), { services: { app: { image: 'myapp', ports: ['8443:443'], environment: { FOO: 'BAR', X: '1' } } } });
});
