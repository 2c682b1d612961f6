import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchingManifests, type IndexEntry } from './platform-match.ts';

const e = (digest: string, os: string, architecture: string, variant?: string): IndexEntry => ({ digest, platform: { os, architecture, ...(variant ? { variant } : {}) } });

test('an index entry is picked by OS and architecture, arm variants downwards', () => {
  const idx = [e('a', 'linux', 'arm', 'v6'), e('b', 'linux', 'amd64'), e('c', 'linux', 'arm', 'v7'), e('d', 'linux', 'arm64', 'v8'), e('w', 'windows', 'amd64'), { digest: 'x' }];
  assert.deepEqual(matchingManifests(idx, { os: 'linux', architecture: 'amd64' }).map((m) => m.digest), ['b']);
  assert.deepEqual(matchingManifests(idx, { os: 'linux', architecture: 'arm', variant: 'v7' }).map((m) => m.digest), ['c', 'a']);
  assert.deepEqual(matchingManifests(idx, { os: 'linux', architecture: 'arm', variant: 'v6' }).map((m) => m.digest), ['a']);
  assert.deepEqual(matchingManifests(idx, { os: 'linux', architecture: 'arm64' }).map((m) => m.digest), ['d']);
  assert.deepEqual(matchingManifests([e('n', 'linux', 'arm64')], { os: 'linux', architecture: 'arm64', variant: 'v8' }).map((m) => m.digest), ['n']);
  assert.deepEqual(matchingManifests(idx, { os: 'linux', architecture: 's390x' }), []);
  assert.deepEqual(matchingManifests(idx, { os: 'windows', architecture: 'amd64' }).map((m) => m.digest), ['w']);
  assert.deepEqual(matchingManifests([e('v3', 'linux', 'amd64', 'v3'), e('p', 'linux', 'amd64')], { os: 'linux', architecture: 'amd64' }).map((m) => m.digest), ['p', 'v3']);
});
