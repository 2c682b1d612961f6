/** Log drivers and the host-config defaults dockerd fills in at create, through the real docker CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
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

test('--log-opt max-size bounds the log: the file starts afresh, logs shows the latest lines, a follow keeps every line', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const writer = (pause: string) => `i=0; while [ $i -lt 60 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); ${pause}; done`;
  const run = await docker(d, ['run', '--name', 'bounded', '--log-opt', 'max-size=1k', 'busybox', 'sh', '-c', writer('true')]);
  assert.equal(run.code, 0, run.stderr);
  const logPath = (await docker(d, ['inspect', '-f', '{{.LogPath}}', 'bounded'])).stdout.trim();
  assert.ok(statSync(logPath).size <= 1024, `log is ${statSync(logPath).size} bytes`);
  const lines = (await docker(d, ['logs', 'bounded'])).stdout.trim().split('\n');
  assert.ok(lines.length > 0 && lines.length < 60, `${lines.length} lines kept`);
  assert.match(lines.at(-1)!, /^line-59-/);

  // A slow writer: a follow crosses every replacement of the file.
  const id = (await docker(d, ['run', '-d', '--log-opt', 'max-size=600', 'busybox', 'sh', '-c', writer('usleep 20000')])).stdout.trim();
  const followed = (await docker(d, ['logs', '-f', id])).stdout.trim().split('\n');
  assert.equal(followed.length, 60);
  assert.deepEqual(followed.map((l) => Number(/^line-(\d+)-/.exec(l)?.[1])), [...Array(60).keys()]);

  // Bad values fail the start as dockerd's logger does; the container stays created.
  const bad = await docker(d, ['run', '--name', 'badsize', '--log-opt', 'max-size=abc', 'busybox', 'true']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /Error response from daemon: failed to initialize logging driver: invalid size: 'abc'\n/);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Status}}', 'badsize'])).stdout, 'created\n');
  const badFiles = await docker(d, ['run', '--rm', '--log-opt', 'max-file=0', 'busybox', 'true']);
  assert.match(badFiles.stderr, /failed to initialize logging driver: max-file cannot be less than 1\n/);
});
