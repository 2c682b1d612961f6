import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQueryString } from './build.ts';

test("POST /build's query as the docker client writes it: only non-defaults, repeated t and extrahosts, JSON maps", () => {
  assert.equal(buildQueryString({ tags: [], extraHosts: [], buildArgs: {}, labels: {}, cacheFrom: [] }), 'version=1');
  const q = buildQueryString({
    tags: ['a:1', 'b'],
    extraHosts: ['h:1.2.3.4'],
    quiet: true,
    noCache: true,
    remove: false,
    forceRemove: true,
    pull: true,
    networkMode: 'host',
    memory: 1048576,
    dockerfile: 'sub/Dockerfile',
    target: 'build',
    buildArgs: { A: '1', B: null },
    labels: { l: 'v' },
    cacheFrom: ['x'],
    platform: 'linux/amd64',
  });
  assert.equal(
    q,
    't=a%3A1&t=b&extrahosts=h%3A1.2.3.4&q=1&nocache=1&rm=0&forcerm=1&pull=1&networkmode=host&memory=1048576&dockerfile=sub%2FDockerfile&target=build' +
      '&buildargs=%7B%22A%22%3A%221%22%2C%22B%22%3Anull%7D&labels=%7B%22l%22%3A%22v%22%7D&cachefrom=%5B%22x%22%5D&platform=linux%2Famd64&version=1',
  );
  assert.doesNotMatch(buildQueryString({ tags: [], extraHosts: [], buildArgs: {}, labels: {}, cacheFrom: [], networkMode: 'default' }), /networkmode/);
});
