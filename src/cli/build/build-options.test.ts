import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProxyArgs, encodeRegistryConfig, encodeSecretsHeader, parseBuildArgs, parseLabels, parseSecretSpec, readSecret, sortedRecord } from './build-options.ts';

test('--build-arg K=V as given, K from the environment or null', () => {
  const m = parseBuildArgs(['B=1', 'A', 'C', 'D='], { A: 'from-env' });
  assert.deepEqual(sortedRecord(m), { A: 'from-env', B: '1', C: null, D: '' });
  assert.equal(JSON.stringify(sortedRecord(m)), '{"A":"from-env","B":"1","C":null,"D":""}');
});

test('config.json proxies become build args unless set', () => {
  const m = parseBuildArgs(['HTTP_PROXY=mine'], {});
  addProxyArgs(m, { proxies: { default: { httpProxy: 'http://p:3128', noProxy: 'localhost' } } }, 'unix:///x.sock');
  assert.deepEqual(sortedRecord(m), { HTTP_PROXY: 'mine', NO_PROXY: 'localhost', http_proxy: 'http://p:3128', no_proxy: 'localhost' });
});

test('--label K=V and K', () => {
  assert.deepEqual(sortedRecord(parseLabels(['b=2', 'a'])), { a: '', b: '2' });
});

test('--secret forms as buildx parses them', () => {
  assert.deepEqual(parseSecretSpec('id=a,src=/f'), { id: 'a', src: '/f' });
  assert.deepEqual(parseSecretSpec('id=a,source=/f'), { id: 'a', src: '/f' });
  assert.deepEqual(parseSecretSpec('id=a,env=TOKEN'), { id: 'a', env: 'TOKEN' });
  assert.deepEqual(parseSecretSpec('type=env,id=a,src=TOKEN'), { id: 'a', env: 'TOKEN' });
  assert.throws(() => parseSecretSpec('src=/f'), /secret missing ID/);
  assert.throws(() => parseSecretSpec('id=a,bogus=1'), /unexpected key 'bogus' in 'bogus=1'/);
  assert.throws(() => parseSecretSpec('id'), /invalid field 'id' must be a key=value pair/);
  const files: Record<string, string> = { '/f': 'file-content', a: 'by-id' };
  const read = (p: string) => {
    const v = files[p];
    if (v === undefined) throw new Error('ENOENT');
    return Buffer.from(v);
  };
  assert.equal(readSecret({ id: 'a', src: '/f' }, {}, read).toString(), 'file-content');
  assert.equal(readSecret({ id: 'a', env: 'T' }, { T: 'tok' }, read).toString(), 'tok');
  assert.equal(readSecret({ id: 'a' }, { a: 'env-by-id' }, read).toString(), 'env-by-id');
  assert.equal(readSecret({ id: 'a' }, {}, read).toString(), 'by-id');
  const header = encodeSecretsHeader(new Map([['a', Buffer.from('x')]]));
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64').toString()), { a: 'eA==' });
});

test('X-Registry-Config carries every stored credential by its key', () => {
  assert.equal(encodeRegistryConfig({}), 'e30=');
  const cfg = { auths: { 'localhost:5000': { auth: Buffer.from('u:p').toString('base64') } } };
  const decoded = JSON.parse(Buffer.from(encodeRegistryConfig(cfg), 'base64').toString());
  assert.deepEqual(decoded, { 'localhost:5000': { username: 'u', password: 'p', serveraddress: 'localhost:5000' } });
});
