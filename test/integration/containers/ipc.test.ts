/** A shareable container's /dev/shm is a tmpfs on the host: it must not outlive a failed start, a stop or a removal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

test('the host /dev/shm of --ipc shareable goes away on a failed start, at exit and at removal', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // Unmounting follows the exit or removal closely, not before the CLI's answer: poll briefly.
  const settled = async (want: number) => {
    for (let i = 0; i < 50 && shmMounts() !== want; i++) await new Promise((r) => setTimeout(r, 50));
    return shmMounts();
  };
  const shmMounts = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(`${d.dataRoot}/containers/`) && l.includes('/mounts/shm')).length;
  const failed = await docker(d, ['run', '--name', 'broken', '--ipc', 'shareable', 'busybox', 'no-such-command']);
  assert.equal(failed.code, 127);
  assert.equal(await settled(0), 0, 'after a failed start');

  assert.equal((await docker(d, ['run', '-d', '--name', 'donor', '--ipc', 'shareable', 'busybox', 'sleep', '300'])).code, 0);
  assert.equal(shmMounts(), 1);
  assert.equal((await docker(d, ['stop', '-t', '0', 'donor'])).code, 0);
  assert.equal(await settled(0), 0, 'after the exit');
  assert.equal((await docker(d, ['start', 'donor'])).code, 0);
  assert.equal(shmMounts(), 1, 'mounted again at start');
  assert.equal((await docker(d, ['rm', '-f', 'donor', 'broken'])).code, 0);
  assert.equal(await settled(0), 0, 'after removal');
});
