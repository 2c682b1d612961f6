import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSchema } from './schema.ts';

const F = '/p/compose.yaml';

test('valid models pass', () => {
  validateSchema({ services: { web: { image: 'nginx', ports: ['80:80', 81, { target: 82 }], 'x-foo': 1 } }, 'x-top': { a: 1 } }, F);
  validateSchema({ version: '3.8', name: 'p', services: {} }, F);
});

test('errors use compose-go words and name the file and key', () => {
  const cases: [unknown, string][] = [
    [{ services: { web: { image: 'nginx', foo: 1 } } }, "validating /p/compose.yaml: services.web additional properties 'foo' not allowed"],
    [{ services: { web: { image: 'nginx', foo: 1, bar: 2 } } }, "validating /p/compose.yaml: services.web additional properties 'foo', 'bar' not allowed"],
    [{ services: { web: { image: 1 } } }, 'validating /p/compose.yaml: services.web.image must be a string'],
    [{ services: { web: { ports: 'x' } } }, 'validating /p/compose.yaml: services.web.ports must be a array'],
    [{ services: { web: { ports: [true] } } }, 'validating /p/compose.yaml: services.web.ports.0 must be a number'],
    [{ services: { web: { environment: 'x' } } }, 'validating /p/compose.yaml: services.web.environment must be a mapping'],
    [{ services: { web: { environment: { FOO: [1] } } } }, 'validating /p/compose.yaml: services.web.environment.FOO must be a boolean, null, number or string'],
    [{ services: 'x' }, 'validating /p/compose.yaml: services must be a mapping'],
    [{ services: { web: 'x' } }, 'validating /p/compose.yaml: services.web must be a mapping'],
    [{ services: {}, foo: 1 }, "validating /p/compose.yaml: additional properties 'foo' not allowed"],
    [{ services: { web: { depends_on: { db: { condition: 'bogus' } } } } }, "validating /p/compose.yaml: services.web.depends_on.db.condition value must be one of 'service_started', 'service_healthy', 'service_completed_successfully'"],
    [{ services: { web: { extends: {} } } }, 'validating /p/compose.yaml: services.web.extends must be a string'],
  ];
  for (const [model, msg] of cases) assert.throws(() => validateSchema(model, F), { message: msg });
});
