/**
 * The start path's shortcuts must not show: a runtime container made ahead
 * of its start (once a client attaches or waits) is torn down when the rootfs changes,
 * when the container is removed unstarted, and when the daemon stops; a
 * removed container's mount and files are released after the removal is
 * answered, and nothing that needs them (rmi) runs before they are gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';

/** IDs runc still has state for under the daemon's exec root. */
async function runcIds(d: Daemon): Promise<string[]> {
  return fs.readdir(`${d.execRoot}/runc`).catch(() => [] as string[]);
}

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(prefix));
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a file copied into a created container is seen by its start (the user resolved from the new /etc/passwd)', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const created = await docker(d, ['create', '--user', 'nobody', '-w', '/srv/app', 'busybox', 'sh', '-c', 'id -u; pwd; cat /marker']);
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.trim();
  const dir = await fs.mkdtemp('/tmp/berth-prep-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  // The image's nobody is 65534; the copied passwd makes it 4321.
  const original = (await docker(d, ['run', '--rm', 'busybox', 'cat', '/etc/passwd'])).stdout;
  assert.match(original, /^nobody:x:65534:/m);
  await fs.writeFile(`${dir}/passwd`, original.replace(/^nobody:x:65534:65534:/m, 'nobody:x:4321:4321:'));
  await fs.writeFile(`${dir}/marker`, 'copied\n');
  assert.equal((await docker(d, ['cp', `${dir}/passwd`, `${id}:/etc/passwd`])).code, 0);
  assert.equal((await docker(d, ['cp', `${dir}/marker`, `${id}:/marker`])).code, 0);
  const started = await docker(d, ['start', '-a', id]);
  assert.equal(started.code, 0, started.stderr);
  assert.equal(started.stdout, '4321\n/srv/app\ncopied\n');
});

test('a created container that is removed, or left when the daemon stops, leaves no runtime container behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const a = (await docker(d, ['create', 'busybox', 'true'])).stdout.trim();
  const b = (await docker(d, ['create', 'busybox', 'true'])).stdout.trim();
  assert.equal((await docker(d, ['rm', a])).code, 0);
  await until('the removed container to be released', async () => !(await runcIds(d)).includes(a) && !existsSync(`${d.dataRoot}/containers/${a}`));
  assert.deepEqual(mountsUnder(`${d.dataRoot}/containers/${a}`), []);

  await d.stop();
  assert.deepEqual(await runcIds(d), [], 'the daemon tears down what it prepared before it exits');
  await d.restart();
  const run = await docker(d, ['start', '-a', b]);
  assert.equal(run.code, 0, run.stderr);
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', b]);
  assert.equal(state.stdout.trim(), 'exited 0');
});

test('run --rm answers once the container is gone; its mount is released and rmi of its image works at once', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['tag', 'busybox', 'short-lived'])).code, 0);
  const run = await docker(d, ['run', '--rm', '--name', 'gone', 'short-lived', 'sh', '-c', 'echo bye; exit 3']);
  assert.equal(run.code, 3);
  assert.equal(run.stdout, 'bye\n');
  const inspect = await docker(d, ['inspect', 'gone']);
  assert.equal(inspect.code, 1);
  assert.match(inspect.stderr, /No such object: gone/);
  // The name is free again at once.
  assert.equal((await docker(d, ['create', '--name', 'gone', 'busybox', 'true'])).code, 0);
  assert.equal((await docker(d, ['rm', 'gone'])).code, 0);
  // rmi waits for the release, so layers are never removed under a mount.
  const rmi = await docker(d, ['rmi', 'short-lived']);
  assert.equal(rmi.code, 0, rmi.stderr);
  await until('every container mount to be released', () => mountsUnder(`${d.dataRoot}/containers/`).length === 0);
  const left = await fs.readdir(`${d.dataRoot}/containers`);
  assert.deepEqual(left.filter((n) => !n.startsWith('.')), []);
});

test('while containers are created and removed unstarted, a created one has no runtime container and no rootfs mount until a start is coming; docker cp mounts it on demand', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const first = (await docker(d, ['create', 'busybox', 'true'])).stdout.trim();
  assert.equal((await docker(d, ['rm', first])).code, 0);
  // Its directory goes last, after its runtime container (which a preparation still in flight may make first).
  await until('the removed container to be released', async () => !existsSync(`${d.dataRoot}/containers/${first}`) && !(await runcIds(d)).includes(first));
  const id = (await docker(d, ['create', 'busybox', 'cat', '/etc/motd'])).stdout.trim();
  await new Promise((r) => setTimeout(r, 100)); // nothing may be made in the background either
  assert.deepEqual(await runcIds(d), [], 'no runc work for a container that was only created');
  assert.deepEqual(mountsUnder(`${d.dataRoot}/containers/${id}`), [], 'no rootfs mount yet');
  const dir = await fs.mkdtemp('/tmp/berth-prep-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(`${dir}/motd`, 'hello\n');
  assert.equal((await docker(d, ['cp', `${dir}/motd`, `${id}:/etc/motd`])).code, 0);
  assert.equal(mountsUnder(`${d.dataRoot}/containers/${id}`).length, 1, 'docker cp mounted the rootfs');
  const started = await docker(d, ['start', '-a', id]);
  assert.equal(started.stdout, 'hello\n');
  assert.equal((await docker(d, ['rm', id])).code, 0);
  await until('the removed container to be released', () => mountsUnder(`${d.dataRoot}/containers/${id}`).length === 0);
});

test('containers created and removed unstarted cost no runc call, and docker run (which attaches first) still runs', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (let i = 0; i < 5; i++) {
    const id = (await docker(d, ['create', 'busybox', 'true'])).stdout.trim();
    // The first create of a fresh daemon prepares (starts are expected until one is removed unstarted).
    if (i > 0) {
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(!(await runcIds(d)).includes(id), `create ${i + 1} made a runtime container`);
    }
    assert.equal((await docker(d, ['rm', id])).code, 0);
    await until('the removed container to be released', async () => !(await runcIds(d)).includes(id));
  }
  const run = await docker(d, ['run', '--rm', 'busybox', 'echo', 'ok']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'ok\n');
  const log = readFileSync(d.logFile, 'utf8');
  assert.doesNotMatch(log, /could not prepare the runtime container/);
});
