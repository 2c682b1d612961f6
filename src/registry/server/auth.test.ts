import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grants, parseBasic, parseHtpasswd, parseScope, signJwt, verifyJwt } from './auth.ts';

test('htpasswd files: user:hash lines, comments and blanks skipped', () => {
  const users = parseHtpasswd('# users\nalice:$2y$05$abc\n\nbob:$2b$10$def:x\n');
  assert.deepEqual([...users], [['alice', '$2y$05$abc'], ['bob', '$2b$10$def:x']]);
});

test('basic credentials; a password may hold colons', () => {
  assert.deepEqual(parseBasic(`Basic ${Buffer.from('u:p:q').toString('base64')}`), { user: 'u', password: 'p:q' });
  assert.equal(parseBasic('Bearer x'), undefined);
  assert.equal(parseBasic(undefined), undefined);
});

test('scopes: the name may contain a port-less host path', () => {
  assert.deepEqual(parseScope('repository:a/b:pull,push'), { type: 'repository', name: 'a/b', actions: ['pull', 'push'] });
  assert.deepEqual(parseScope('registry:catalog:*'), { type: 'registry', name: 'catalog', actions: ['*'] });
  assert.equal(parseScope('repository:nope'), undefined);
});

test('access claims grant what they list, * grants all', () => {
  const access = [{ type: 'repository', name: 'a', actions: ['pull'] }, { type: 'repository', name: 'b', actions: ['*'] }];
  assert.equal(grants(access, { name: 'a', actions: ['pull'] }), true);
  assert.equal(grants(access, { name: 'a', actions: ['pull', 'push'] }), false);
  assert.equal(grants(access, { name: 'b', actions: ['delete'] }), true);
  assert.equal(grants(access, { name: 'c', actions: ['pull'] }), false);
  assert.equal(grants(access, { actions: [] }), true);
});

test('tokens verify only with the key that signed them', () => {
  const key = Buffer.from('k1');
  const t = signJwt({ sub: 'u', n: 1 }, key);
  assert.deepEqual(verifyJwt(t, key), { sub: 'u', n: 1 });
  assert.equal(verifyJwt(t, Buffer.from('k2')), undefined);
  const [h, , s] = t.split('.');
  assert.equal(verifyJwt(`${h}.${Buffer.from('{"sub":"root"}').toString('base64url')}.${s}`, key), undefined);
  assert.equal(verifyJwt('a.b', key), undefined);
});
