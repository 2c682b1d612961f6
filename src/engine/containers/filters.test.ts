import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectContainers } from './filters.ts';
import { newState } from './record.ts';
import { testRecord as record } from './test-records.ts';

test('container list selection: all, filters, limit, newest first', () => {
  const recs = [
    record('aa', '2024-01-01T00:00:01Z', 'running'),
    record('bb', '2024-01-01T00:00:02Z', 'exited', { state: { ...newState(), status: 'exited', exitCode: 3 } }),
    record('cc', '2024-01-01T00:00:03Z', 'created', { hostConfig: { Binds: ['/srv/data:/data'] } }),
  ];
  const base = { imageIdOf: () => 'sha256:img', containerOf: (r: string) => recs.find((x) => x.name === `/${r}`)! };
  const names = (o: Partial<Parameters<typeof selectContainers>[1]>) =>
    selectContainers(recs, { all: false, filters: new Map(), ...base, ...o }).map((r) => r.name);
  assert.deepEqual(names({}), ['/aa']);
  assert.deepEqual(names({ all: true }), ['/cc', '/bb', '/aa']);
  assert.deepEqual(names({ filters: new Map([['status', ['exited']]]) }), ['/bb']);
  assert.deepEqual(names({ filters: new Map([['exited', ['3']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['label', ['app=cc']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['b']]]) }), ['/bb']);
  assert.deepEqual(names({ limit: 1 }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['^/bb$']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['^bb$']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['(']]]) }), []);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/data']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/srv/data']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/srv']]]) }), []);
  assert.deepEqual(names({ all: true, filters: new Map([['expose', ['80']]]) }), [], 'none runs with a sandbox');
  assert.deepEqual(names({ filters: new Map([['before', ['cc']]]) }), ['/bb', '/aa']);
  assert.deepEqual(names({ filters: new Map([['ancestor', ['busybox']]]), all: true }).length, 3);
  assert.throws(() => names({ filters: new Map([['bogus', ['1']]]) }), /Invalid filter 'bogus'/);
  assert.throws(() => names({ filters: new Map([['status', ['sleeping']]]) }), /Invalid filter 'status=sleeping'/);
  assert.throws(() => names({ filters: new Map([['exited', ['x']]]) }), /strconv.Atoi: parsing "x": invalid syntax/);
});
