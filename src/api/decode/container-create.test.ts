import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { decodeCreateBody } from './container-create.ts';

test('a create body without a Config field has no Config, as in Go', () => {
  for (const body of [null, {}, { HostConfig: { NetworkMode: 'none' } }, { Bogus: 1 }]) {
    assert.throws(() => decodeCreateBody(body), (err: unknown) => err instanceof InvalidParameterError && err.message === 'Config cannot be empty in order to create a container');
  }
  assert.equal(decodeCreateBody({ image: 'busybox' }).config.Image, 'busybox');
  // A type error is dockerd 20.10's untyped decoder error: a 500.
  assert.throws(() => decodeCreateBody({ Image: 'busybox', Labels: { a: 5 } }), SystemError);
});

test('a new container joins one network at most', () => {
  const body = (endpoints: object) => ({ Image: 'busybox', NetworkingConfig: { EndpointsConfig: endpoints } });
  assert.throws(() => decodeCreateBody(body({ none: {}, host: {} })), { message: 'Container cannot be connected to network endpoints: none, host' });
  assert.doesNotThrow(() => decodeCreateBody(body({ none: {} })));
});
