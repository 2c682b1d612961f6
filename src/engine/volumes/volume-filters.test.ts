import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterVolumes, volumePruneMatcher, type VolumeInUse } from './volume-filters.ts';
import type { VolumeRecord } from './volume-record.ts';

const vol = (name: string, labels: Record<string, string> | null, inUse = false): VolumeInUse => ({
  record: { name, driver: 'local', createdAt: '2026-12-05T00:00:00Z', labels, options: null } satisfies VolumeRecord,
  inUse,
});

const ANON = { 'com.docker.volume.anonymous': '' };
const VOLUMES = [
  vol('web-data', { app: 'web', tier: 'front' }, true),
  vol('db-data', { app: 'db' }),
  vol('scratch', null),
  vol('f00d', ANON),
  vol('beef', { ...ANON, keep: '1' }, true),
  vol('cafe', { ...ANON, keep: '1' }),
];
const names = (v: VolumeInUse[]) => v.map((x) => x.record.name);

test('list filters keep what dockerd keeps', () => {
  const cases: Array<[Record<string, string[]>, string[]]> = [
    [{}, ['web-data', 'db-data', 'scratch', 'f00d', 'beef', 'cafe']],
    [{ name: ['data'] }, ['web-data', 'db-data']],
    [{ name: ['^d'] }, ['db-data']],
    [{ name: ['('] }, []],
    [{ name: [] }, ['web-data', 'db-data', 'scratch', 'f00d', 'beef', 'cafe']],
    [{ driver: ['local'] }, ['web-data', 'db-data', 'scratch', 'f00d', 'beef', 'cafe']],
    [{ driver: ['loc'] }, []],
    [{ label: ['app'] }, ['web-data', 'db-data']],
    [{ label: ['app=db'] }, ['db-data']],
    [{ label: ['app', 'tier=front'] }, ['web-data']],
    [{ label: ['keep=1'], dangling: ['true'] }, ['cafe']],
    [{ dangling: ['1'] }, ['db-data', 'scratch', 'f00d', 'cafe']],
    [{ dangling: ['false'] }, ['web-data', 'beef']],
    [{ dangling: ['0'] }, ['web-data', 'beef']],
    [{ dangling: ['true', 'false'] }, ['db-data', 'scratch', 'f00d', 'cafe']],
  ];
  for (const [filters, expected] of cases) assert.deepEqual(names(filterVolumes(VOLUMES, filters)), expected, JSON.stringify(filters));
  assert.deepEqual(names(filterVolumes(VOLUMES, new Map([['name', ['scratch']]]))), ['scratch']);
});

test('list filters refuse what dockerd refuses, in its words', () => {
  assert.throws(() => filterVolumes(VOLUMES, { foo: ['x'] }), { name: 'InvalidParameterError', message: "Invalid filter 'foo'" });
  assert.throws(() => filterVolumes(VOLUMES, { 'label!': ['x'] }), { message: "Invalid filter 'label!'" });
  assert.throws(() => filterVolumes(VOLUMES, { dangling: ['x', 'y'] }), { name: 'InvalidParameterError', message: "Invalid filter 'dangling=[x y]'" });
});

test('prune: anonymous and unused only, unless all; label and label!', () => {
  const pruned = (filters: Record<string, string[]>) => VOLUMES.filter(volumePruneMatcher(filters)).map((v) => v.record.name);
  assert.deepEqual(pruned({}), ['f00d', 'cafe']);
  assert.deepEqual(pruned({ all: ['false'] }), ['f00d', 'cafe']);
  assert.deepEqual(pruned({ all: ['true'] }), ['db-data', 'scratch', 'f00d', 'cafe']);
  assert.deepEqual(pruned({ all: ['1'] }), ['db-data', 'scratch', 'f00d', 'cafe']);
  assert.deepEqual(pruned({ 'label!': ['keep'] }), ['f00d']);
  assert.deepEqual(pruned({ 'label!': ['keep=2'] }), ['f00d', 'cafe']);
  assert.deepEqual(pruned({ all: ['true'], label: ['app'] }), ['db-data']);
  assert.deepEqual(pruned({ all: ['true'], 'label!': ['app=db'] }), ['scratch', 'f00d', 'cafe']);
  assert.deepEqual(pruned({ all: ['true'], 'label!': [] }), [], 'a label! key without a value keeps every volume, as dockerd');
  assert.throws(() => volumePruneMatcher({ all: ['maybe'] }), { name: 'InvalidParameterError', message: "Invalid filter 'all=[maybe]'" });
  assert.throws(() => volumePruneMatcher({ all: ['true', 'false'] }), { message: "Invalid filter 'all=[true false]'" });
  assert.throws(() => volumePruneMatcher({ dangling: ['true'] }), { message: "Invalid filter 'dangling'" });
});
