import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HOST, parseHost, resolveHost } from './host.ts';
import { ContextStore, contextDirName } from './context-store.ts';
import { negotiateVersion } from './api-client.ts';

test('host precedence: -H, BERTH_HOST, DOCKER_HOST, context, default', () => {
  assert.equal(resolveHost({ flagHosts: ['unix:///a'], env: { BERTH_HOST: 'unix:///b' } }), 'unix:///a');
  assert.equal(resolveHost({ flagHosts: [], env: { BERTH_HOST: 'unix:///b', DOCKER_HOST: 'unix:///c' } }), 'unix:///b');
  assert.equal(resolveHost({ flagHosts: [], env: { DOCKER_HOST: 'unix:///c' }, contextHost: 'unix:///d' }), 'unix:///c');
  assert.equal(resolveHost({ flagHosts: [], env: {}, contextHost: 'unix:///d' }), 'unix:///d');
  assert.equal(resolveHost({ flagHosts: [], env: {} }), DEFAULT_HOST);
});

test('hosts parse as docker parses them', () => {
  assert.deepEqual(parseHost('unix:///run/x.sock'), { kind: 'unix', socketPath: '/run/x.sock', url: 'unix:///run/x.sock' });
  assert.deepEqual(parseHost('tcp://10.0.0.1'), { kind: 'tcp', host: '10.0.0.1', port: 2375, url: 'tcp://10.0.0.1:2375' });
  assert.equal(parseHost('tcp://h:1234', true).kind, 'tcp');
  assert.throws(() => parseHost('ftp://x'), /unable to parse docker host/);
});

test('version negotiation takes the lower of ours and the server\'s', () => {
  assert.equal(negotiateVersion('1.41'), '1.41');
  assert.equal(negotiateVersion('1.45'), '1.43');
  assert.equal(negotiateVersion(undefined), '1.43');
});

test('the context store uses docker\'s layout', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new ContextStore(dir);
  store.create({ Name: 'remote', Metadata: { Description: 'd' }, Endpoints: { docker: { Host: 'tcp://h:2375', SkipTLSVerify: false } } });
  assert.equal(contextDirName('remote').length, 64);
  assert.equal(store.get('remote').Endpoints.docker?.Host, 'tcp://h:2375');
  assert.deepEqual(store.list().map((c) => c.Name), ['remote']);
  assert.throws(() => store.create({ Name: 'remote', Metadata: {}, Endpoints: {} }), /already exists/);
  store.remove('remote');
  assert.throws(() => store.get('remote'), /context not found/);
});
