/** `--mount` binds and tmpfs, and the names create and start check (networks, links), with the real docker CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

test('--mount binds a host path (read-only when asked) and mounts a tmpfs with its size and mode; inspect lists both', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-mount-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'from the host\n');
  const r = await docker(d, ['run', '--name', 'mnt', '--mount', `type=bind,src=${dir},dst=/c`, '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777', 'busybox', 'sh', '-c', 'cat /c/in.txt; echo out > /c/out.txt; grep " /t " /proc/mounts; stat -c %a /t']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'from the host');
  assert.match(lines[1] ?? '', /^tmpfs \/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/);
  assert.equal(lines[2], '1777');
  assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), 'out\n');
  const mounts = JSON.parse((await docker(d, ['inspect', '-f', '{{json .Mounts}}', 'mnt'])).stdout);
  assert.deepEqual(mounts, [
    { Type: 'bind', Source: dir, Destination: '/c', Mode: '', RW: true, Propagation: 'rprivate' },
    { Type: 'tmpfs', Source: '', Destination: '/t', Mode: '', RW: true, Propagation: '' },
  ]);
  const ro = await docker(d, ['run', '--rm', '--mount', `type=bind,src=${dir},dst=/c,readonly`, 'busybox', 'touch', '/c/x']);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);
});

test('--mount errors, duplicate mount points, unknown networks and links are refused as dockerd refuses them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const cases: [string[], string][] = [
    [['--mount', 'type=bind,src=/nonexistent-berth,dst=/c'], 'invalid mount config for type "bind": bind source path does not exist: /nonexistent-berth'],
    [['--mount', 'type=bind,dst=/c'], 'invalid mount config for type "bind": field Source must not be empty'],
    [['--mount', 'type=tmpfs,src=/x,dst=/t'], 'invalid mount config for type "tmpfs": field Source must not be specified'],
    [['--mount', 'type=bind,src=/tmp,dst=/c', '-v', '/tmp:/c'], 'Duplicate mount point: /c'],
    [['--link', 'nosuch:alias'], 'could not get container for nosuch: No such container: nosuch'],
  ];
  for (const [flags, message] of cases) {
    const r = await docker(d, ['create', ...flags, 'busybox', 'true']);
    assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 1, stderr: `Error response from daemon: ${message}\n` }, flags.join(' '));
  }
  // A network that does not exist fails the start (the container stays, created, with exit code 128).
  const run = await docker(d, ['run', '--name', 'nonet', '--network', 'nosuchnet', 'busybox', 'true']);
  assert.equal(run.code, 125);
  assert.match(run.stderr, /Error response from daemon: network nosuchnet not found/);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'nonet'])).stdout, 'created 128\n');
  // Links are kept as dockerd keeps them.
  await docker(d, ['create', '--name', 'target', 'busybox', 'true']);
  await docker(d, ['create', '--name', 'linker', '--link', 'target:db', 'busybox', 'true']);
  assert.equal((await docker(d, ['inspect', '-f', '{{json .HostConfig.Links}}', 'linker'])).stdout, '["/target:/linker/db"]\n');
});
