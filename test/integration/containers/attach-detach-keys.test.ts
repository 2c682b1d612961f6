/** Container attach checks its detach keys first, with moby/term's rules, as dockerd does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';

test('an attach with bad detach keys is refused with 400, before the container is looked up', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const created = await d.api('POST', '/containers/create?name=attach-keys', { Image: 'busybox', Cmd: ['sleep', '300'] });
  assert.equal(created.status, 201, created.text);
  for (const [ref, keys] of [['attach-keys', 'ctrl-1'], ['attach-keys', 'CTRL-P'], ['no-such-container', 'ctrl-P']] as const) {
    const r = await d.api('POST', `/containers/${ref}/attach?stream=1&stdout=1&detachKeys=${encodeURIComponent(keys)}`);
    assert.equal(r.status, 400, `${ref} ${keys}`);
    assert.deepEqual(r.body, { message: `Invalid detach keys (${keys}) provided` });
  }
  const missing = await d.api('POST', '/containers/no-such-container/attach?stream=1&stdout=1&detachKeys=ctrl-x,DEL');
  assert.equal(missing.status, 404);
});
