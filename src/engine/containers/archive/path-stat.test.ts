import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absContainerPath, formatNanoTime, goBase, splitPath, toGoFileMode } from './path-stat.ts';

test('unix modes become Go FileMode bits (values as Docker sends them)', () => {
  assert.equal(toGoFileMode(0o040755), 2147484141);
  assert.equal(toGoFileMode(0o120777), 134218239);
  assert.equal(toGoFileMode(0o100644), 420);
  assert.equal(toGoFileMode(0o104755), 2 ** 23 + 0o755);
  assert.equal(toGoFileMode(0o041777), 2 ** 31 + 2 ** 20 + 0o777);
  assert.equal(toGoFileMode(0o020666), 2 ** 26 + 2 ** 21 + 0o666);
  assert.equal(toGoFileMode(0o010644), 2 ** 25 + 0o644);
});

test('times print like Go RFC3339Nano in UTC', () => {
  assert.equal(formatNanoTime(1795386742133373474n), '2026-11-22T22:32:22.133373474Z');
  assert.equal(formatNanoTime(1795386742000000000n), '2026-11-22T22:32:22Z');
  assert.equal(formatNanoTime(1795386742100000000n), '2026-11-22T22:32:22.1Z');
});

test('trailing "/" and "/." survive cleaning', () => {
  const cases: [string, string][] = [
    ['d', '/d'],
    ['/d/', '/d/'],
    ['/d/.', '/d/.'],
    ['/d//./', '/d/'],
    ['/a/../d/.', '/d/.'],
    ['/', '/'],
    ['/.', '/.'],
    ['.', '/.'],
    ['', '/'],
  ];
  for (const [input, want] of cases) assert.equal(absContainerPath(input), want, input);
});

test('split and base follow Go filepath', () => {
  assert.deepEqual(splitPath('/d/.'), { dir: '/d/', base: '.' });
  assert.deepEqual(splitPath('/d/'), { dir: '/d/', base: '' });
  assert.deepEqual(splitPath('/'), { dir: '/', base: '' });
  assert.equal(goBase('/d/.'), '.');
  assert.equal(goBase('/d/'), 'd');
  assert.equal(goBase('/'), '/');
});
