/**
 * `--device`, `--device-cgroup-rule` and the blkio device flags: each case
 * runs with the real docker CLI and with berth against one berthd, checking
 * what the container can do, dockerd's errors and exit codes, inspect, and
 * the limits written to the container's cgroup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { startDaemon, requireRoot, docker, runCli, BERTH, type CliResult, type Daemon } from '../../helpers/daemon.ts';
import { deviceMajor, deviceMinor } from '../../../src/drivers/devices.ts';
import { assertClean } from '../../helpers/net-check.ts';

type Cli = { name: 'docker' | 'berth'; run: (d: Daemon, args: string[]) => Promise<CliResult> };
const CLIS: Cli[] = [
  { name: 'docker', run: (d, args) => docker(d, args) },
  { name: 'berth', run: (d, args) => runCli(BERTH, d, args) },
];

// /dev/null (1:3) is allowed rwm by every container's default rules (dockerd's and runc's),
// so the permission checks use /dev/loop-control (10:237), which neither default allows.
const LOOP_CONTROL = '/dev/loop-control';

test('--device maps a host device at its container path with its cgroup permissions', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const cli of CLIS) {
    const ls = await cli.run(d, ['run', '--rm', '--device', '/dev/null:/dev/xnull:r', 'busybox', 'ls', '-l', '/dev/xnull']);
    assert.equal(ls.code, 0, `${cli.name}: ${ls.stderr}`);
    assert.match(ls.stdout, /^crw-rw-rw-\s+1 root\s+root\s+1,\s+3 .*\/dev\/xnull\n$/, cli.name);

    if (existsSync(LOOP_CONTROL)) {
      const readOnly = await cli.run(d, ['run', '--rm', '--device', `${LOOP_CONTROL}:/dev/xlc:r`, 'busybox', 'sh', '-c', 'echo x > /dev/xlc']);
      assert.equal(readOnly.code, 1, cli.name);
      assert.match(readOnly.stderr, /can't create \/dev\/xlc: Operation not permitted/, cli.name);
      // With w the open succeeds; loop-control itself refuses the write.
      const writable = await cli.run(d, ['run', '--rm', '--device', `${LOOP_CONTROL}:/dev/xlc:rw`, 'busybox', 'sh', '-c', 'echo x > /dev/xlc']);
      assert.doesNotMatch(writable.stderr, /Operation not permitted/, cli.name);
    }

    if (existsSync('/dev/net/tun')) {
      const dir = await cli.run(d, ['run', '--rm', '--device', '/dev/net:/dev/mynet', 'busybox', 'ls', '-l', '/dev/mynet/tun']);
      assert.equal(dir.code, 0, `${cli.name}: ${dir.stderr}`);
      assert.match(dir.stdout, /^crw-------\s+1 root\s+root\s+10,\s+200 .*\/dev\/mynet\/tun\n$/, cli.name);
    }
  }
});

test('a --device that is missing or not a device fails at start with dockerd\'s message; run exits 127 for a missing one', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-devices-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(`${dir}/plain`, 'x');
  const missing = 'error gathering device information while adding custom device "/dev/nope": no such file or directory';
  for (const cli of CLIS) {
    const name = `nodev-${cli.name}`;
    const created = await cli.run(d, ['create', '--name', name, '--device', '/dev/nope', 'busybox', 'true']);
    assert.equal(created.code, 0, `${cli.name}: ${created.stderr}`);
    const started = await cli.run(d, ['start', name]);
    assert.equal(started.code, 1, cli.name);
    assert.ok(started.stderr.startsWith(`Error response from daemon: ${missing}\n`), `${cli.name}: ${started.stderr}`);

    const run = await cli.run(d, ['run', '--rm', '--device', '/dev/nope', 'busybox', 'true']);
    assert.equal(run.code, 127, cli.name);
    assert.equal(run.stderr, `${cli.name}: Error response from daemon: ${missing}\n\nRun '${cli.name} run --help' for more information\n`);

    const plain = await cli.run(d, ['run', '--rm', '--device', `${dir}/plain`, 'busybox', 'true']);
    assert.equal(plain.code, 125, cli.name);
    assert.match(plain.stderr, new RegExp(`error gathering device information while adding custom device "${dir}/plain": not a device node`), cli.name);
  }
  // A failed start undoes its sandbox: no rule, chain or namespace of the default bridge is left.
  await assertClean(t, d);
});

test('a bad --device mode or --device-cgroup-rule is a usage error (125); the API refuses them at create (400)', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const cli of CLIS) {
    const mode = await cli.run(d, ['run', '--rm', '--device', '/dev/null:/dev/xnull:rz', 'busybox', 'true']);
    assert.equal(mode.code, 125, cli.name);
    assert.equal(mode.stderr, `${cli.name}: bad mode specified: rz\n\nRun '${cli.name} run --help' for more information\n`);
    const rule = await cli.run(d, ['run', '--rm', '--device-cgroup-rule', 'x 1:3 rwm', 'busybox', 'true']);
    assert.equal(rule.code, 125, cli.name);
    assert.ok(rule.stderr.startsWith(`invalid argument "x 1:3 rwm" for "--device-cgroup-rule" flag: invalid device cgroup format 'x 1:3 rwm'\n`), `${cli.name}: ${rule.stderr}`);
    const bps = await cli.run(d, ['run', '--rm', '--device-read-bps', '/tmp/x:1mb', 'busybox', 'true']);
    assert.equal(bps.code, 125, cli.name);
    assert.ok(bps.stderr.startsWith('invalid argument "/tmp/x:1mb" for "--device-read-bps" flag: bad format for device path: /tmp/x:1mb\n'), `${cli.name}: ${bps.stderr}`);
  }
  // As dockerd: a bad rule is taken at create, and the start fails (500) with it recorded.
  const rule = await d.api('POST', '/containers/create', { Image: 'busybox', HostConfig: { DeviceCgroupRules: ['c 1:3 rwm', 'x 1:3 rwm'] } });
  assert.equal(rule.status, 201, rule.text);
  const start = await d.api('POST', `/containers/${rule.body.Id}/start`);
  assert.equal(start.status, 500);
  assert.equal(start.body.message, "invalid device cgroup rule format: 'x 1:3 rwm'");
  const state = (await d.api('GET', `/containers/${rule.body.Id}/json`)).body.State;
  assert.deepEqual([state.Status, state.ExitCode, state.Error], ['created', 128, "invalid device cgroup rule format: 'x 1:3 rwm'"]);
  // dockerd 20.10 checks a device's permissions only in its CLI: the API takes "rz", and the container runs.
  const perms = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], HostConfig: { Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rz' }] } });
  assert.equal(perms.status, 201, perms.text);
  assert.equal((await d.api('POST', `/containers/${perms.body.Id}/start`)).status, 204);
});

test('--device-cgroup-rule lets the container create and open a device node', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const cli of CLIS) {
    const null3 = await cli.run(d, ['run', '--rm', '--device-cgroup-rule', 'c 1:3 rwm', 'busybox', 'sh', '-c', 'mknod /tmp/n c 1 3 && echo x > /tmp/n && echo ok']);
    assert.equal(null3.stdout, 'ok\n', `${cli.name}: ${null3.stderr}`);
    const script = 'mknod /tmp/n c 10 237 && echo x > /tmp/n';
    const denied = await cli.run(d, ['run', '--rm', 'busybox', 'sh', '-c', script]);
    assert.match(denied.stderr, /can't create \/tmp\/n: Operation not permitted/, cli.name);
    const allowed = await cli.run(d, ['run', '--rm', '--device-cgroup-rule', 'c 10:237 rwm', 'busybox', 'sh', '-c', script]);
    assert.doesNotMatch(allowed.stderr, /Operation not permitted/, cli.name);
  }
});

test('inspect shows Devices, DeviceCgroupRules and the blkio device lists as given', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const format = ['Devices', 'DeviceCgroupRules', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps'].map((f) => `{{json .HostConfig.${f}}}`).join('\n');
  for (const cli of CLIS) {
    const name = `fields-${cli.name}`;
    const created = await cli.run(d, [
      'create', '--name', name, '--device', '/dev/null:/dev/xnull:r', '--device', '/dev/zero', '--device-cgroup-rule', 'c 1:3 rwm',
      '--blkio-weight-device', '/dev/vda:300', '--device-read-bps', '/dev/vda:1mb', '--device-write-bps', '/dev/vda:2mb',
      '--device-read-iops', '/dev/vda:100', '--device-write-iops', '/dev/vda:200', 'busybox', 'true',
    ]);
    assert.equal(created.code, 0, `${cli.name}: ${created.stderr}`);
    const r = await cli.run(d, ['inspect', '-f', format, name]);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
      [
        { PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'r' },
        { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' },
      ],
      ['c 1:3 rwm'],
      // Kept only where the kernel can apply it (see the weight test below), as dockerd does.
      existsSync('/sys/fs/cgroup/blkio') && !existsSync('/sys/fs/cgroup/blkio/blkio.weight_device') ? [] : [{ Path: '/dev/vda', Weight: 300 }],
      [{ Path: '/dev/vda', Rate: 1048576 }],
      [{ Path: '/dev/vda', Rate: 2097152 }],
      [{ Path: '/dev/vda', Rate: 100 }],
      [{ Path: '/dev/vda', Rate: 200 }],
    ], cli.name);
    const plain = await cli.run(d, ['create', 'busybox', 'true']);
    const none = await cli.run(d, ['inspect', '-f', format, plain.stdout.trim()]);
    assert.deepEqual(none.stdout.trim().split('\n'), ['[]', 'null', '[]', '[]', '[]', '[]', '[]'], cli.name);
  }
});

test('blkio throttles reach the container\'s cgroup; a missing device path fails the start', async (t) => {
  if (!requireRoot(t)) return;
  const st = await fs.stat('/dev/vda', { bigint: true }).catch(() => undefined);
  if (!st?.isBlockDevice() || !existsSync('/sys/fs/cgroup/blkio')) return t.skip('needs the block device /dev/vda and the cgroup v1 blkio controller');
  const dev = `${deviceMajor(st.rdev)}:${deviceMinor(st.rdev)}`;
  const d = await startDaemon(t);
  for (const cli of CLIS) {
    const run = await cli.run(d, [
      'run', '-d', '--device-read-bps', '/dev/vda:1mb', '--device-write-bps', '/dev/vda:2mb', '--device-read-iops', '/dev/vda:100',
      '--device-write-iops', '/dev/vda:200', 'busybox', 'sleep', '100',
    ]);
    assert.equal(run.code, 0, `${cli.name}: ${run.stderr}`);
    const cgroup = `/sys/fs/cgroup/blkio/berth/${run.stdout.trim()}`;
    const read = (file: string) => fs.readFile(`${cgroup}/${file}`, 'utf8');
    assert.equal(await read('blkio.throttle.read_bps_device'), `${dev} 1048576\n`, cli.name);
    assert.equal(await read('blkio.throttle.write_bps_device'), `${dev} 2097152\n`, cli.name);
    assert.equal(await read('blkio.throttle.read_iops_device'), `${dev} 100\n`, cli.name);
    assert.equal(await read('blkio.throttle.write_iops_device'), `${dev} 200\n`, cli.name);

    const missing = await cli.run(d, ['run', '--rm', '--device-read-bps', '/dev/nope:1mb', 'busybox', 'true']);
    assert.equal(missing.code, 127, cli.name);
    assert.match(missing.stderr, /Error response from daemon: stat \/dev\/nope: no such file or directory\n/, cli.name);
  }
  await assertClean(t, d);
});

test('blkio weights the kernel cannot apply are dropped at create with dockerd\'s warnings', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const v1 = existsSync('/sys/fs/cgroup/blkio');
  if (!v1 || existsSync('/sys/fs/cgroup/blkio/blkio.weight_device')) {
    t.skip('this host applies blkio weights (CFQ/BFQ scheduler)');
    return;
  }
  const run = await docker(d, ['run', '--rm', '--blkio-weight', '300', '--blkio-weight-device', '/dev/vda:300', 'busybox', 'echo', 'ran']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'ran\n');
  assert.match(run.stderr, /WARNING: Your kernel does not support Block I\/O weight_device or the cgroup is not mounted\. Weight-device discarded\./);
  const id = (await docker(d, ['create', '--blkio-weight-device', '/dev/vda:300', 'busybox', 'true'])).stdout.trim();
  assert.equal((await docker(d, ['inspect', '-f', '{{json .HostConfig.BlkioWeightDevice}}', id])).stdout, '[]\n');
});
