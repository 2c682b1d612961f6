import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authKey, convertToHostname, encodeAuthHeader, eraseAuth, lookupAuth, registryOfReference, storeAuth, INDEX_SERVER } from './credentials.ts';

test('hostnames and keys are derived as docker derives them', () => {
  const cases: [string, string, string][] = [
    ['127.0.0.1:5000', '127.0.0.1:5000', '127.0.0.1:5000'],
    ['http://127.0.0.1:5000/', '127.0.0.1:5000', '127.0.0.1:5000'],
    ['https://reg.example.com/v2/x', 'reg.example.com', 'reg.example.com'],
    ['https://index.docker.io/v1/', 'index.docker.io', INDEX_SERVER],
    ['docker.io', 'docker.io', INDEX_SERVER],
  ];
  for (const [input, host, key] of cases) {
    assert.equal(convertToHostname(input), host, input);
    assert.equal(authKey(input), key, input);
  }
});

test('the registry of a reference follows the docker.io defaults', () => {
  assert.equal(registryOfReference('busybox'), 'docker.io');
  assert.equal(registryOfReference('a/b:1'), 'docker.io');
  assert.equal(registryOfReference('localhost/a'), 'localhost');
  assert.equal(registryOfReference('127.0.0.1:5000/a/b@sha256:00'), '127.0.0.1:5000');
});

test('stored credentials are written as docker writes them and read back', () => {
  const { text, changed } = storeAuth({}, 'http://127.0.0.1:5391/', { username: 'user', password: 'pass' });
  assert.equal(changed, true);
  assert.equal(text, '{\n\t"auths": {\n\t\t"127.0.0.1:5391": {\n\t\t\t"auth": "dXNlcjpwYXNz"\n\t\t}\n\t}\n}');
  const config = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(lookupAuth(config, '127.0.0.1:5391'), { username: 'user', password: 'pass', serveraddress: '127.0.0.1:5391' });
  assert.equal(storeAuth(config, '127.0.0.1:5391', { username: 'user', password: 'pass' }).changed, false);
  assert.deepEqual(lookupAuth(config, 'other:1'), {});
});

test('keys written with a scheme are found by hostname', () => {
  const config = { auths: { 'https://reg.example.com': { auth: Buffer.from('a:b:c').toString('base64') } } };
  assert.deepEqual(lookupAuth(config, 'reg.example.com'), { username: 'a', password: 'b:c', serveraddress: 'https://reg.example.com' });
});

test('Docker Hub credentials live under the index URL', () => {
  const { text } = storeAuth({ psFormat: 'x' }, '', { username: 'u', password: 'p' });
  const config = JSON.parse(text) as Record<string, unknown>;
  assert.equal(config['psFormat'], 'x');
  assert.deepEqual(Object.keys(config['auths'] as object), [INDEX_SERVER]);
  assert.equal(lookupAuth(config, 'docker.io').username, 'u');
});

test('logout erases the key and its hostname forms', () => {
  const config = { auths: { '127.0.0.1:1': { auth: 'eDp5' }, 'http://127.0.0.1:1': { auth: 'eDp5' }, 'k:2': { auth: 'eDp5' } } };
  const { text, hostname } = eraseAuth(config, 'https://127.0.0.1:1/');
  assert.equal(hostname, '127.0.0.1:1');
  assert.deepEqual(Object.keys((JSON.parse(text) as { auths: object }).auths), ['k:2']);
  assert.equal(eraseAuth({}, '').hostname, INDEX_SERVER);
});

test('X-Registry-Auth is base64url JSON in registry.AuthConfig field order', () => {
  assert.equal(encodeAuthHeader({}), 'e30=');
  const enc = encodeAuthHeader({ serveraddress: 's', password: 'p?>', username: 'u' });
  assert.equal(Buffer.from(enc, 'base64url').toString(), '{"username":"u","password":"p?>","serveraddress":"s"}');
  assert.doesNotMatch(enc, /[+/]/);
});
