/** Log drivers and the host-config defaults dockerd fills in at create, through the real docker CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

test('create fills LogConfig.Type and CgroupnsMode as dockerd does; --log-driver none keeps attach but refuses logs; an unknown driver is refused', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = (await docker(d, ['create', 'busybox', 'true'])).stdout.trim();
  const defaults = await docker(d, ['inspect', '-f', '{{.HostConfig.LogConfig.Type}} {{.HostConfig.CgroupnsMode}}', id]);
  assert.match(defaults.stdout, /^json-file (host|private)\n$/);

  const attached = await docker(d, ['run', '--rm', '--log-driver', 'none', 'busybox', 'echo', 'still attached']);
  assert.equal(attached.code, 0, attached.stderr);
  assert.equal(attached.stdout, 'still attached\n');

  const quiet = (await docker(d, ['run', '-d', '--log-driver', 'none', 'busybox', 'echo', 'hi'])).stdout.trim();
  await docker(d, ['wait', quiet]);
  const logs = await docker(d, ['logs', quiet]);
  assert.equal(logs.code, 1);
  assert.equal(logs.stderr, 'Error response from daemon: configured logging driver does not support reading\n');
  const info = await docker(d, ['inspect', '-f', '{{.HostConfig.LogConfig.Type}}|{{.LogPath}}', quiet]);
  assert.equal(info.stdout, 'none|\n');

  const unknown = await docker(d, ['run', '--rm', '--log-driver', 'foo', 'busybox', 'true']);
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /error looking up logging plugin foo: plugin "foo" not found/);
  const local = await docker(d, ['run', '--log-driver', 'local', '--name', 'loc', 'busybox', 'echo', 'kept']);
  assert.equal(local.stdout, 'kept\n');
  assert.equal((await docker(d, ['logs', 'loc'])).stdout, 'kept\n');
});
