/**
 * --detach-keys follows moby/term's rules, and a bad sequence is the
 * daemon's to refuse (the CLIs do not check it): exec create answers
 * "Invalid escape keys", an attach is refused before it is upgraded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, IMAGE, cli, requireHost, testName } from './harness.ts';

test('exec with bad detach keys fails with the daemon\'s "Invalid escape keys"', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  for (const keys of ['ctrl-1', 'CTRL-P', 'ctrl-p, ctrl-q']) {
    const r = cli(['exec', `--detach-keys=${keys}`, name, 'echo', 'hi']);
    assert.equal(r.stdout, '', keys);
    assert.equal(r.stderr, `Error response from daemon: Invalid escape keys (${keys}) provided\n`, keys);
    assert.equal(r.code, 1, keys);
  }
  const good = cli(['exec', '--detach-keys=ctrl-x,DEL,q', name, 'echo', 'hi']);
  assert.equal(good.stdout, 'hi\n', good.stderr);
  assert.equal(good.code, 0);
});

test('an attached run with bad detach keys is refused; a detached one ignores them', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '--rm', '--detach-keys=ctrl-P', IMAGE, 'echo', 'hi']);
  assert.equal(r.stdout, '');
  // docker reports the refused upgrade by its status; berth shows the daemon's message.
  assert.equal(r.stderr, BIN === 'docker' ? 'unable to upgrade to tcp, received 400\n' : 'Error response from daemon: Invalid detach keys (ctrl-P) provided\n');
  assert.equal(r.code, 1);
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const d = cli(['run', '-d', '--name', name, '--detach-keys=ctrl-P', IMAGE, 'true']);
  assert.equal(d.code, 0, d.stderr);
  const del = cli(['run', '--rm', '-i', '--detach-keys=DEL', IMAGE, 'echo', 'hi']);
  assert.equal(del.stdout, 'hi\n', del.stderr);
});
