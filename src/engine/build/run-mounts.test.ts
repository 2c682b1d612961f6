import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunMount } from './run-mounts.ts';

test('--mount values as BuildKit reads them', () => {
  assert.deepEqual(parseRunMount('type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0700,uid=1000'), {
    type: 'cache', target: '/root/.cache', id: 'pip', sharing: 'locked', mode: 0o700, uid: 1000, required: false, readonly: false,
  });
  assert.deepEqual(parseRunMount('target=/src'), { type: 'bind', target: '/src', sharing: 'shared', required: false, readonly: true });
  assert.equal(parseRunMount('type=bind,src=a,dst=/a,rw').readonly, false);
  const secret = parseRunMount('type=secret,id=tok,required');
  assert.equal(secret.target, '/run/secrets/tok');
  assert.equal(secret.required, true);
  assert.equal(parseRunMount('type=secret,target=/etc/key').id, 'key');
  assert.throws(() => parseRunMount('type=cache'), /mount destination not specified/);
  assert.throws(() => parseRunMount('type=nfs,target=/x'), /unsupported mount type "nfs"/);
  assert.throws(() => parseRunMount('type=cache,target=/x,sharing=odd'), /unsupported sharing value "odd"/);
  assert.throws(() => parseRunMount('type=cache,target=/x,colour=red'), /unexpected key 'colour'/);
});
