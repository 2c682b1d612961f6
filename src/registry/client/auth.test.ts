import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRegistryAuth, encodeRegistryAuth, parseChallenges, repositoryScope } from './auth.ts';

test('challenges parse as docker/distribution parses them', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges(['Basic realm="a\\"b"', 'Bearer realm=x, service=y']), [
    { scheme: 'basic', params: { realm: 'a"b' } },
    { scheme: 'bearer', params: { realm: 'x', service: 'y' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="r", Bearer realm="t"'), [
    { scheme: 'basic', params: { realm: 'r' } },
    { scheme: 'bearer', params: { realm: 't' } },
  ]);
  assert.deepEqual(parseChallenges(undefined), []);
});

test('X-Registry-Auth decodes base64url JSON, auth fields and identity tokens; junk is no credentials', () => {
  const h = encodeRegistryAuth({ username: 'u', password: 'p?>~', serveraddress: '127.0.0.1:5000' });
  assert.deepEqual(decodeRegistryAuth(h), { username: 'u', password: 'p?>~', serveraddress: '127.0.0.1:5000' });
  const std = Buffer.from(JSON.stringify({ auth: Buffer.from('a:b:c').toString('base64') })).toString('base64');
  assert.deepEqual(decodeRegistryAuth(std), { auth: Buffer.from('a:b:c').toString('base64'), username: 'a', password: 'b:c' });
  assert.deepEqual(decodeRegistryAuth(encodeRegistryAuth({ identitytoken: 'tok' })), { identitytoken: 'tok' });
  assert.deepEqual(decodeRegistryAuth('%%%'), {});
  assert.deepEqual(decodeRegistryAuth(undefined), {});
  assert.deepEqual(decodeRegistryAuth(Buffer.from('{}').toString('base64')), {});
});

test('scopes name the repository and actions', () => {
  assert.equal(repositoryScope('library/busybox', ['pull']), 'repository:library/busybox:pull');
  assert.equal(repositoryScope('a/b', ['pull', 'push']), 'repository:a/b:pull,push');
});
