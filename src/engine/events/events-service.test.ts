import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventsService } from './events-service.ts';

test('an event\'s attributes come in Go\'s map order (keys sorted), labels among them', () => {
  const events = new EventsService();
  events.publish('container', 'die', 'abc', { 'x.y': 'z', image: 'busybox', name: 'p4_web_1', exitCode: '137', 'com.docker.compose.service': 'web' });
  const [e] = events.subscribe(() => {}).past;
  assert.deepEqual(Object.keys(e!.Actor.Attributes), ['com.docker.compose.service', 'exitCode', 'image', 'name', 'x.y']);
  assert.equal(e!.from, 'busybox');
});
