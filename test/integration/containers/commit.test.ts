/** POST /commit of a container whose process is ending: dockerd's commit never fails for it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';

test('commit of a container whose process is exiting answers 201', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // The commit pauses a running container; a pause that lands as the process
  // ends used to fail the commit (500 "runc pause failed: container not
  // running"). Commits back to back across a few short-lived containers
  // straddle that moment (before the fix, most tries hit it).
  let commits = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const created = await d.api('POST', `/containers/create?name=exiting-${attempt}`, { Image: 'busybox', Cmd: ['sleep', '0.2'] });
    assert.equal(created.status, 201, created.text);
    const id = created.body.Id as string;
    assert.equal((await d.api('POST', `/containers/${id}/start`)).status, 204);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await d.api('POST', `/commit?container=${id}&repo=exiting&tag=${attempt}-${commits}`);
      assert.equal(r.status, 201, `commit ${commits}: ${r.text}`);
      assert.match(r.body.Id, /^sha256:[0-9a-f]{64}$/);
      commits++;
      const state = await d.api('GET', `/containers/${id}/json`);
      if (!state.body.State.Running) break;
      assert.ok(Date.now() < deadline, 'the container did not exit in time');
    }
    const inspect = await d.api('GET', `/containers/${id}/json`);
    assert.equal(inspect.body.State.Status, 'exited');
    assert.equal(inspect.body.State.ExitCode, 0);
  }
  assert.ok(commits >= 4);
});
