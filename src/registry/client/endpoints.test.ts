import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InsecureRules, isInsecureHost, parseMirrors, resolveEndpoints } from './endpoints.ts';

const noDns = async (): Promise<string[]> => [];

test('loopback and listed hosts are insecure: HTTPS first, then HTTP', async () => {
  assert.deepEqual(await resolveEndpoints('127.0.0.1:5000', {}, { resolve: noDns }), [
    { url: 'https://127.0.0.1:5000', registry: '127.0.0.1:5000', mirror: false, insecureTls: true },
    { url: 'http://127.0.0.1:5000', registry: '127.0.0.1:5000', mirror: false, insecureTls: true },
  ]);
  assert.equal((await resolveEndpoints('[::1]:5000', {}, { resolve: noDns })).length, 2);
  assert.equal((await resolveEndpoints('localhost:5000', {}, { resolve: noDns })).length, 2);
  assert.deepEqual(await resolveEndpoints('reg.example:5000', {}, { resolve: noDns }), [
    { url: 'https://reg.example:5000', registry: 'reg.example:5000', mirror: false, insecureTls: false },
  ]);
  assert.equal((await resolveEndpoints('reg.example:5000', { insecureRegistries: ['reg.example:5000'] }, { resolve: noDns })).length, 2);
  assert.equal((await resolveEndpoints('reg.example:5000', { insecureRegistries: ['reg.example'] }, { resolve: noDns })).length, 1);
  // by CIDR, through the host's addresses
  const resolve = async (): Promise<string[]> => ['10.1.2.3'];
  assert.equal((await resolveEndpoints('reg.example', { insecureRegistries: ['10.0.0.0/8'] }, { resolve })).length, 2);
  assert.equal((await resolveEndpoints('reg.example', { insecureRegistries: ['192.168.0.0/16'] }, { resolve })).length, 1);
});

test('the insecure rules match CIDRs of both families', async () => {
  const rules = new InsecureRules(['fd00::/8', '192.168.1.0/24']);
  assert.equal(rules.addressInsecure('fd12::1'), true);
  assert.equal(rules.addressInsecure('192.168.1.9'), true);
  assert.equal(rules.addressInsecure('192.168.2.9'), false);
  assert.equal(rules.addressInsecure('127.9.9.9'), true);
  assert.equal(await isInsecureHost('127.0.0.1', rules, noDns), true);
  assert.equal(await isInsecureHost('unresolvable.example', rules, noDns), false);
});

test('mirrors: bare URLs mirror docker.io, HOST=URL mirrors any registry, never for push', async () => {
  const registryMirrors = ['https://m1.example/', 'ghcr.io=http://127.0.0.1:5001', '127.0.0.1:5000=http://127.0.0.1:5002'];
  assert.deepEqual([...parseMirrors(registryMirrors)], [
    ['docker.io', ['https://m1.example']],
    ['ghcr.io', ['http://127.0.0.1:5001']],
    ['127.0.0.1:5000', ['http://127.0.0.1:5002']],
  ]);
  const hub = await resolveEndpoints('docker.io', { registryMirrors }, { resolve: noDns });
  assert.deepEqual(hub.map((e) => [e.url, e.mirror]), [['https://m1.example', true], ['https://registry-1.docker.io', false]]);
  const local = await resolveEndpoints('127.0.0.1:5000', { registryMirrors }, { resolve: noDns });
  assert.deepEqual(local.map((e) => e.url), ['http://127.0.0.1:5002', 'https://127.0.0.1:5000', 'http://127.0.0.1:5000']);
  const push = await resolveEndpoints('127.0.0.1:5000', { registryMirrors }, { resolve: noDns, push: true });
  assert.deepEqual(push.map((e) => e.url), ['https://127.0.0.1:5000', 'http://127.0.0.1:5000']);
  assert.throws(() => parseMirrors(['ftp://x']), /invalid mirror: unsupported scheme "ftp"/);
  assert.throws(() => parseMirrors(['https://x/path']), /invalid mirror: path, query, or fragment/);
});
