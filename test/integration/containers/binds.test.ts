/** `-v /host:/ctr[:mode]` bind mounts through the real docker CLI, with dockerd's inspect shape and errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

test('bind mounts: read-write and read-only, a missing host dir created, inspect Mounts, dockerd\'s errors', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-binds-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(`${dir}/in`, 'from host\n');

  const rw = await docker(d, ['run', '--rm', '-v', `${dir}:/data`, 'busybox', 'sh', '-c', 'cat /data/in; echo from container > /data/out']);
  assert.equal(rw.code, 0, rw.stderr);
  assert.equal(rw.stdout, 'from host\n');
  assert.equal(await fs.readFile(`${dir}/out`, 'utf8'), 'from container\n');

  const ro = await docker(d, ['run', '--rm', '-v', `${dir}:/data:ro`, 'busybox', 'touch', '/data/x']);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);

  const fresh = `${dir}/made/by/run`;
  assert.equal((await docker(d, ['run', '--rm', '-v', `${fresh}:/m`, 'busybox', 'true'])).code, 0);
  assert.ok(existsSync(fresh), 'the missing host directory is created');

  const id = (await docker(d, ['create', '-v', `${dir}:/data:ro`, '-v', `${dir}:/rw`, 'busybox', 'true'])).stdout.trim();
  const mounts = await docker(d, ['inspect', '-f', '{{json .Mounts}}', id]);
  // The docker CLI sends -v binds in map order, so the order is not fixed.
  const byDestination = (a: { Destination: string }, b: { Destination: string }) => a.Destination.localeCompare(b.Destination);
  assert.deepEqual((JSON.parse(mounts.stdout) as Array<{ Destination: string }>).sort(byDestination), [
    { Type: 'bind', Source: dir, Destination: '/data', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    { Type: 'bind', Source: dir, Destination: '/rw', Mode: '', RW: true, Propagation: 'rprivate' },
  ]);

  const relative = await docker(d, ['run', '--rm', '-v', `${dir}:rel`, 'busybox', 'true']);
  assert.equal(relative.code, 125);
  assert.match(relative.stderr, new RegExp(`invalid volume specification: '${dir}:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`));
  const mode = await docker(d, ['run', '--rm', '-v', `${dir}:/x:bogus`, 'busybox', 'true']);
  assert.match(mode.stderr, /Error response from daemon: invalid mode: bogus/);
});
