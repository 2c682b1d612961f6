import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRegistryConfig, resolveRegistryConfig } from './config.ts';

test('our keys, with paths relative to the file', () => {
  const c = parseRegistryConfig('addr: 127.0.0.1:6000\nroot: data\ntls: {certificate: c.pem, key: k.pem}\nauth:\n  htpasswd: {path: htpasswd}\n', '/etc/reg');
  assert.deepEqual(c, { addr: '127.0.0.1:6000', root: '/etc/reg/data', tls: { certificate: '/etc/reg/c.pem', key: '/etc/reg/k.pem' }, auth: { htpasswd: { realm: 'Registry Realm', path: '/etc/reg/htpasswd' } } });
});

test("distribution's keys and JSON", () => {
  const c = parseRegistryConfig(JSON.stringify({ http: { addr: ':5000' }, storage: { filesystem: { rootdirectory: '/srv' }, delete: { enabled: false } }, auth: { token: { htpasswd: '/h', service: 's' } } }), '/x');
  assert.equal(c.addr, ':5000');
  assert.equal(c.root, '/srv');
  assert.equal(c.deleteEnabled, false);
  assert.equal(c.auth?.token?.service, 's');
  assert.equal(c.auth?.token?.issuer, 'berth-registry');
});

test('flags win over the file, the file over defaults', () => {
  const r = resolveRegistryConfig({ addr: '1.2.3.4:1' }, { addr: 'x:2', root: '/r' });
  assert.equal(r.addr, '1.2.3.4:1');
  assert.equal(r.root, '/r');
  assert.equal(r.deleteEnabled, true);
});

test('a half TLS section is an error', () => {
  assert.throws(() => parseRegistryConfig('tls: {certificate: c}', '/'), /certificate and key/);
});
