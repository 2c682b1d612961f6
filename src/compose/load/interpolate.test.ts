import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateTree } from './interpolate.ts';

const env: Record<string, string> = { TAG: '1.2', N: '3', YES: 'yes', PORT: '8080' };
const run = (v: unknown, warnings: string[] = []) => interpolateTree(v, { lookup: (n) => env[n], filename: '/p/compose.yaml', warnings });

test('values are interpolated, keys are not, and typed fields are cast', () => {
  const got = run({
    services: {
      web: {
        image: 'nginx:${TAG}',
        labels: { '$TAG': '$TAG' },
        environment: ['A=$N'],
        deploy: { replicas: '${N}' },
        privileged: '${YES}',
        ports: ['${PORT}:80', { target: '${PORT}' }],
      },
    },
  });
  assert.deepEqual(got, {
    services: {
      web: {
        image: 'nginx:1.2',
        labels: { '$TAG': '1.2' },
        environment: ['A=3'],
        deploy: { replicas: 3 },
        privileged: true,
        ports: ['8080:80', { target: 8080 }],
      },
    },
  });
});

test('errors name the key path and the file', () => {
  const cases: [unknown, string | RegExp][] = [
    [{ services: { web: { image: '${IMG:?set IMG}' } } }, 'error while interpolating services.web.image in /p/compose.yaml: required variable IMG is missing a value: set IMG'],
    [{ services: { web: { command: ['${'] } } }, 'invalid interpolation format for services.web.command.[].\nYou may need to escape any $ with another $.\n${'],
    [{ services: { web: { deploy: { replicas: 'x$N' } } } }, /failed to cast to expected type: strconv.Atoi/],
  ];
  for (const [input, msg] of cases) assert.throws(() => run(input), typeof msg === 'string' ? { message: msg } : msg);
});

test('unset variables warn at each use; YAML 1.1 booleans warn', () => {
  const w: string[] = [];
  run({ a: '$X $X', services: { s: { tty: '${YES}' } } }, w);
  assert.deepEqual(w, ['The "X" variable is not set. Defaulting to a blank string.', 'The "X" variable is not set. Defaulting to a blank string.', '"yes" for boolean is not supported by YAML 1.2, please use `true`']);
});
