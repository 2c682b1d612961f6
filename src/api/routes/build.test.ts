import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTags, decodeBuildRequest } from './build.ts';

const decode = (query: Record<string, string | string[]>, headers: { registryConfig?: string; secrets?: string } = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  return decodeBuildRequest(q, headers);
};

test('every query parameter lands in the build options', () => {
  const d = decode({
    t: ['a', 'b:2', 'a:latest', ''],
    dockerfile: 'sub/Dockerfile',
    buildargs: '{"A":"1","B":null}',
    labels: '{"l":"v"}',
    target: 'final',
    nocache: '1',
    pull: 'true',
    q: '1',
    networkmode: 'none',
    extrahosts: ['h:1.2.3.4', 'g:5.6.7.8'],
    memory: '1048576',
    memswap: '-1',
    cpushares: '512',
    cpusetcpus: '0-1',
    cpusetmems: '0',
    cpuperiod: '100000',
    cpuquota: '50000',
    shmsize: '65536',
    platform: 'linux/amd64',
    cachefrom: '["x:1","y"]',
    remote: 'https://example.com/ctx.tar',
    buildid: 'b1',
    version: '1',
    outputs: '[{"Type":"local"}]',
  });
  assert.deepEqual(d.options.tags, ['docker.io/library/a:latest', 'docker.io/library/b:2']);
  assert.equal(d.dockerfile, 'sub/Dockerfile');
  assert.deepEqual(d.options.buildArgs, { A: '1', B: null });
  assert.deepEqual(d.options.labels, { l: 'v' });
  assert.equal(d.options.target, 'final');
  assert.equal(d.options.noCache, true);
  assert.equal(d.options.pull, true);
  assert.equal(d.options.quiet, true);
  assert.equal(d.options.networkMode, 'none');
  assert.deepEqual(d.options.extraHosts, ['h:1.2.3.4', 'g:5.6.7.8']);
  assert.deepEqual(d.options.resources, { memory: 1048576, memorySwap: -1, cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, cpusetCpus: '0-1', cpusetMems: '0', shmSize: 65536 });
  assert.equal(d.options.platform, 'linux/amd64');
  assert.deepEqual(d.options.cacheFrom, ['x:1', 'y']);
  assert.equal(d.remote, 'https://example.com/ctx.tar');
  assert.equal(d.buildId, 'b1');
});

test('rm and forcerm as dockerd reads them', () => {
  assert.equal(decode({}).options.remove, true);
  assert.equal(decode({ rm: '' }).options.remove, true);
  assert.equal(decode({ rm: '0' }).options.remove, false);
  assert.equal(decode({ rm: 'false' }).options.remove, false);
  assert.deepEqual([decode({ rm: '0', forcerm: '1' }).options.remove, decode({ rm: '0', forcerm: '1' }).options.forceRemove], [true, true]);
});

test('unreadable numbers are zero (Int64ValueOrZero), except shmsize', () => {
  assert.deepEqual(decode({ memory: 'abc', cpushares: '1.5' }).options.resources, {});
  assert.throws(() => decode({ shmsize: '1.5' }), { message: 'strconv.ParseInt: parsing "1.5": invalid syntax' });
});

test('headers: X-Registry-Config and X-Berth-Build-Secrets', () => {
  const registry = Buffer.from(JSON.stringify({ 'localhost:5000': { username: 'u', password: 'p' } })).toString('base64url');
  const secrets = Buffer.from(JSON.stringify({ s1: Buffer.from('top').toString('base64') })).toString('base64');
  const d = decode({}, { registryConfig: registry, secrets });
  assert.deepEqual(d.options.registryAuth, { 'localhost:5000': { username: 'u', password: 'p' } });
  assert.equal(d.options.secrets.get('s1')?.toString(), 'top');
  assert.deepEqual(decode({}, { registryConfig: '!!!' }).options.registryAuth, {});
  assert.throws(() => decode({}, { secrets: Buffer.from('[1]').toString('base64') }), { message: 'invalid X-Berth-Build-Secrets header: not a JSON object' });
  assert.throws(() => decode({}, { secrets: Buffer.from('{"a":1}').toString('base64') }), { message: 'invalid X-Berth-Build-Secrets header: secret "a" is not a base64 string' });
});

test('version 2 (BuildKit) is refused; labels null values are empty strings as Go decodes them', () => {
  assert.throws(() => decode({ version: '2' }), (err: Error) => err.name === 'InvalidParameterError' && /buildkit not supported by daemon/.test(err.message));
  assert.deepEqual(decode({ labels: '{"a":null}' }).options.labels, { a: '' });
  assert.deepEqual(decode({ buildargs: 'null' }).options.buildArgs, {});
});

test('tags are normalised, deduplicated, digests refused', () => {
  assert.deepEqual(buildTags(['x', 'docker.io/library/x:latest', 'localhost:5000/y:t']), ['docker.io/library/x:latest', 'localhost:5000/y:t']);
  assert.throws(() => buildTags([`a@sha256:${'a'.repeat(64)}`]), { message: 'build tag cannot contain a digest' });
});
