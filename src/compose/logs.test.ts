import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logName } from './logs.ts';

const labels = (service: string, n: string) => ({ 'com.docker.compose.service': service, 'com.docker.compose.container-number': n });

test('log prefixes: <service>-<n> for the names Compose gives, the whole name for a container_name', () => {
  assert.equal(logName('app', 'app-web-1', labels('web', '1')), 'web-1');
  assert.equal(logName('app', 'app-web-2', labels('web', '2')), 'web-2');
  // A container_name, even one that starts with the project's name, is shown whole.
  assert.equal(logName('app', 'app-site', labels('web', '1')), 'app-site');
  assert.equal(logName('app', 'mysite', labels('web', '1')), 'mysite');
  // docker-compose 1.x's names (underscores) are not Compose v2's own: whole.
  assert.equal(logName('app', 'app_web_1', labels('web', '1')), 'app_web_1');
});
