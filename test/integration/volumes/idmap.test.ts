/**
 * Id-mapped binds (a Berth extension, moby#7198): a container user 1000
 * writes into a host directory owned by 2000 through a mount mapped with
 * `uids=2000-1000-1;gids=2000-1000-1`, and the files are 2000's on the
 * host; inside, the directory shows as 1000's. Asked for with berth's
 * `--mount …,idmap=…` and `-v …:idmap=…`, and with the real docker CLI's
 * `-v` (it passes modes through; it refuses `--mount` keys it does not
 * know). The host directory is under /tmp, on this machine's ext4, which
 * supports id-mapped mounts. No staging mount outlives a start, a
 * removal or a daemon restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { BERTH, docker, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';

const MAP = 'uids=2000-1000-1;gids=2000-1000-1';

/** Mount points under any of `prefixes`, from /proc/mounts. */
function mountsUnder(...prefixes: string[]): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => prefixes.some((p) => m === p || m.startsWith(`${p}/`)));
}

function owner(file: string): string {
  const s = statSync(file);
  return `${s.uid}:${s.gid}`;
}

test('a container user 1000 writes through an id-mapped bind into a host directory of 2000: the files are 2000\'s on the host', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-idmap-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.chown(dir, 2000, 2000);
  await fs.writeFile(`${dir}/theirs`, 'x');
  await fs.chown(`${dir}/theirs`, 2000, 2000);
  await fs.writeFile(`${dir}/roots`, 'x');
  const staging = `${d.execRoot}/idmap`;
  // Registered after the daemon's own teardown: it runs once that is done.
  t.after(() => assert.deepEqual(mountsUnder(dir, staging), [], 'no mount of the test is left after the daemon is gone'));
  const noMounts = (when: string) => assert.deepEqual(mountsUnder(dir, staging), [], `no mount of the test is left ${when}`);
  // A removed container's resources are released just after the reply (in the background).
  const noMountsSoon = async (when: string) => noMounts(when + (await pollUntil(() => mountsUnder(dir, staging), (m) => m.length === 0).then(() => '', () => '')));

  const script = (name: string) => `stat -c %u:%g /data /data/theirs /data/roots && touch /data/${name} && stat -c %u:%g /data/${name}`;
  const ways: Array<[string, (name: string) => Promise<{ code: number; stdout: string; stderr: string }>]> = [
    ['berth --mount', (name) => runCli(BERTH, d, ['run', '--rm', '--user', '1000:1000', '--mount', `type=bind,source=${dir},target=/data,idmap=${MAP}`, 'busybox', 'sh', '-c', script(name)])],
    ['berth -v', (name) => runCli(BERTH, d, ['run', '--rm', '--user', '1000:1000', '-v', `${dir}:/data:idmap=${MAP}`, 'busybox', 'sh', '-c', script(name)])],
    ['docker -v', (name) => docker(d, ['run', '--rm', '--user', '1000:1000', '-v', `${dir}:/data:idmap=${MAP}`, 'busybox', 'sh', '-c', script(name)])],
  ];
  for (const [i, [how, run]] of ways.entries()) {
    const name = `written-${i}`;
    const r = await run(name);
    assert.equal(r.code, 0, `${how}: ${r.stderr}`);
    // Inside: the directory and 2000's file are 1000's; root's file, outside the mapping, is the overflow id.
    assert.equal(r.stdout, '1000:1000\n1000:1000\n65534:65534\n1000:1000\n', how);
    assert.equal(owner(`${dir}/${name}`), '2000:2000', `${how}: the file is 2000's on the host`);
    await noMountsSoon(`after ${how}`);
  }

  // Read-only and id-mapped; and without the mapping, 1000 cannot write into 2000's 0755 directory.
  const ro = await docker(d, ['run', '--rm', '--user', '1000:1000', '-v', `${dir}:/data:ro,idmap=${MAP}`, 'busybox', 'touch', '/data/no']);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);
  const plain = await docker(d, ['run', '--rm', '--user', '1000:1000', '-v', `${dir}:/data`, 'busybox', 'touch', '/data/no']);
  assert.equal(plain.code, 1);
  assert.match(plain.stderr, /Permission denied/);

  // A single file, id-mapped too.
  const file = await docker(d, ['run', '--rm', '--user', '1000:1000', '-v', `${dir}/theirs:/f:idmap=${MAP}`, 'busybox', 'sh', '-c', 'echo more >> /f && stat -c %u:%g /f']);
  assert.equal(file.stdout, '1000:1000\n', file.stderr);
  assert.equal(readFileSync(`${dir}/theirs`, 'utf8'), 'xmore\n');
  assert.equal(owner(`${dir}/theirs`), '2000:2000');
  await noMountsSoon('after a file bind');
  // (And without a mapping: an existing file as a `-v` source is bound as it is, not made a directory.)
  assert.equal((await docker(d, ['run', '--rm', '-v', `${dir}/theirs:/f`, 'busybox', 'cat', '/f'])).stdout, 'xmore\n');

  // A running container holds its own copy: nothing is left on the host while it runs, nor once it is removed.
  const id = (await docker(d, ['run', '-d', '--user', '1000:1000', '-v', `${dir}:/data:idmap=${MAP}`, 'busybox', 'sleep', '60'])).stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  noMounts('while the container runs');
  const late = await docker(d, ['exec', id, 'sh', '-c', 'touch /data/late && stat -c %u /data/late']);
  assert.equal(late.stdout, '1000\n', late.stderr);
  assert.equal(owner(`${dir}/late`), '2000:2000');
  const inspect = await docker(d, ['inspect', '-f', '{{json .Mounts}}', id]);
  assert.deepEqual(JSON.parse(inspect.stdout), [{ Type: 'bind', Source: dir, Destination: '/data', Mode: `idmap=${MAP}`, RW: true, Propagation: 'rprivate' }]);
  assert.equal((await docker(d, ['rm', '-f', id])).code, 0);
  await noMountsSoon('after the running container is removed');

  // Created, never started, removed (its runtime container may have been prepared, staging mount and all).
  const created = (await docker(d, ['create', '-v', `${dir}:/data:idmap=${MAP}`, 'busybox', 'true'])).stdout.trim();
  assert.equal((await docker(d, ['rm', created])).code, 0);
  await noMountsSoon('after a created container is removed');
  // A container that exits and is started again gets its mapping again.
  const again = (await docker(d, ['create', '--user', '1000:1000', '-v', `${dir}:/data:idmap=${MAP}`, 'busybox', 'sh', '-c', 'touch /data/again-$(ls /data | grep -c ^again-)'])).stdout.trim();
  assert.equal((await docker(d, ['start', '-a', again])).code, 0);
  assert.equal((await docker(d, ['start', '-a', again])).code, 0);
  const agains = (await fs.readdir(dir)).filter((f) => f.startsWith('again-'));
  assert.equal(agains.length, 2);
  for (const f of agains) assert.equal(owner(`${dir}/${f}`), '2000:2000');
  assert.equal((await docker(d, ['rm', again])).code, 0);
  await noMountsSoon('after a container started twice is removed');
});

test('a bad mapping is refused at create with a 400 naming it; nothing is created', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-idmap-bad-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));

  const v = await docker(d, ['run', '--rm', '-v', `${dir}:/data:idmap=uids=1000-2000`, 'busybox', 'true']);
  assert.equal(v.code, 125);
  assert.equal(v.stderr.trim(), `docker: Error response from daemon: invalid volume specification: '${dir}:/data:idmap=uids=1000-2000': invalid idmap 'uids=1000-2000': uids range '1000-2000' is not [@]HOST-CONTAINER-COUNT\n\nRun 'docker run --help' for more information`.trim());
  const bare = await runCli(BERTH, d, ['run', '--rm', '-v', `${dir}:/data:idmap`, 'busybox', 'true']);
  assert.equal(bare.code, 125);
  assert.match(bare.stderr, /Error response from daemon: invalid volume specification: '[^']+:\/data:idmap': invalid idmap '': a mapping is required/);
  const m = await runCli(BERTH, d, ['run', '--rm', '--mount', `type=bind,src=${dir},dst=/data,idmap=uids=1-2-3;gids=9-9`, 'busybox', 'true']);
  assert.equal(m.code, 125);
  assert.match(m.stderr, /Error response from daemon: invalid mount config for type "bind": invalid idmap 'uids=1-2-3;gids=9-9': gids range '9-9' is not \[@\]HOST-CONTAINER-COUNT/);
  const api = await d.api('POST', '/containers/create', {
    Image: 'busybox',
    HostConfig: { Mounts: [{ Type: 'bind', Source: dir, Target: '/data', BindOptions: { BerthIDMap: 'uids=0-1-10#5-100-10' } }] },
  });
  assert.equal(api.status, 400);
  assert.deepEqual(api.body, { message: "invalid mount config for type \"bind\": invalid idmap 'uids=0-1-10#5-100-10': uids ranges '0-1-10' and '5-100-10' overlap on the host side" });
  assert.equal((await d.api('GET', '/containers/json?all=1')).body.length, 0, 'nothing was created');
  assert.equal((await d.api('GET', '/_ping')).status, 200, 'the daemon serves on');
});

test('the daemon\'s start sweeps staging mounts a crash left', async (t) => {
  if (!requireRoot(t)) return;
  const d: Daemon = await startDaemon(t, { bootstrap: false });
  const src = await fs.mkdtemp('/tmp/berth-idmap-sweep-');
  t.after(() => fs.rm(src, { recursive: true, force: true }));
  await fs.writeFile(`${src}/keep`, 'user data');
  const leftover = `${d.execRoot}/idmap/0123456789abcdef/0`;
  await d.stop(true);
  mkdirSync(leftover, { recursive: true });
  execFileSync('mount', ['--bind', src, leftover]);
  t.after(() => {
    if (mountsUnder(leftover).length > 0) execFileSync('umount', ['-l', leftover]);
  });
  await d.restart();
  assert.deepEqual(mountsUnder(`${d.execRoot}/idmap`), [], 'the leftover staging mount is gone');
  assert.equal(readFileSync(`${src}/keep`, 'utf8'), 'user data', 'and what it showed is untouched');
  await assert.rejects(fs.stat(`${d.execRoot}/idmap`), { code: 'ENOENT' });
});
