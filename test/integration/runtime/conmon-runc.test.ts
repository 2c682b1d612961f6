// The conmon+runc runtime driver against the real binaries (root only):
// a busybox rootfs in a temp dir, specs from generateSpec, one container per test.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { execFile } from '../../../src/drivers/exec-file.ts';
import { ConmonRunc } from '../../../src/drivers/runtime/conmon-runc.ts';
import { warmCgroupAttach } from '../../../src/drivers/cgroups/attach-warmup.ts';
import { RuntimeStartError } from '../../../src/drivers/runtime/runtime-errors.ts';
import { generateSpec } from '../../../src/drivers/runtime/spec/generate.ts';
import type { AttachStreams } from '../../../src/drivers/runtime/runtime.ts';
import type { ContainerConfig, HostConfig } from '../../../src/wire/container-config.ts';

const isRoot = process.getuid?.() === 0;
let tmp = '';
let rootfs = '';

before(() => {
  if (!isRoot) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rt-'));
  rootfs = path.join(tmp, 'rootfs');
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
  fs.copyFileSync('/usr/bin/busybox', path.join(rootfs, 'bin/busybox'));
  fs.chmodSync(path.join(rootfs, 'bin/busybox'), 0o755);
  for (const name of ['sh', 'echo', 'sleep', 'cat', 'true', 'false', 'tty', 'stty']) fs.symlinkSync('busybox', path.join(rootfs, 'bin', name));
  fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\n');
});
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Harness {
  driver: ConmonRunc;
  id: string;
  bundle: string;
  logPath: string;
  execRoot: string;
}

/** A fresh exec root and container id; everything is torn down in t.after even on failure. */
function setup(t: TestContext): Harness {
  const id = randomBytes(32).toString('hex');
  const execRoot = fs.mkdtempSync(path.join(tmp, 'exec-'));
  const bundle = path.join(tmp, `bundle-${id.slice(0, 12)}`);
  fs.mkdirSync(bundle);
  const driver = new ConmonRunc({ execRoot });
  t.after(async () => {
    await driver.delete(id, true).catch(() => undefined);
    const pid = await driver.conmonPid(id).catch(() => undefined);
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // conmon already exited
      }
    }
    await driver.cleanup(id);
    fs.rmSync(bundle, { recursive: true, force: true });
    fs.rmSync(execRoot, { recursive: true, force: true });
  });
  return { driver, id, bundle, logPath: path.join(bundle, 'ctr.log'), execRoot };
}

async function create(h: Harness, config: ContainerConfig, hostConfig: HostConfig = {}): Promise<void> {
  const spec = generateSpec({
    id: h.id,
    config,
    hostConfig,
    imageConfig: { Env: ['PATH=/bin'] },
    rootfs,
    etcPasswd: 'root:x:0:0:root:/root:/bin/sh\n',
    files: {},
    network: { kind: 'none' },
    cgroupsPath: `/berth-test/${h.id.slice(0, 12)}`,
    mounts: [],
    hostCpus: os.cpus().length,
  });
  await h.driver.create({
    id: h.id,
    bundle: h.bundle,
    spec,
    logPath: h.logPath,
    tty: config.Tty === true,
    openStdin: config.OpenStdin === true,
    stdinOnce: config.StdinOnce === true,
  });
}

/** PIDs of processes whose command line names `id` (conmon's does, runc's too). */
function conmonsOf(id: string): string[] {
  return fs.readdirSync('/proc').filter((p) => {
    try {
      return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id);
    } catch {
      return false; // exited while we looked
    }
  });
}

function collect(streams: AttachStreams): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  streams.onOutput((s, d) => {
    if (s === 1) out += d.toString();
    else err += d.toString();
  });
  return new Promise((resolve) => streams.onEnd(() => resolve({ out, err })));
}

describe('ConmonRunc', { skip: isRoot ? false : 'needs root, runc and conmon' }, () => {
  test('runs echo and writes a k8s-file log', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['echo', 'hi'] });
    assert.equal((await h.driver.state(h.id))?.status, 'created');
    const exit = h.driver.waitExit(h.id);
    await h.driver.start(h.id);
    assert.equal(await exit, 0);
    assert.equal(await h.driver.exitCode(h.id), 0);
    const log = fs.readFileSync(h.logPath, 'utf8');
    assert.match(log, /^\d{4}-\d\d-\d\dT[\d:.]+[Z+-][\d:]*\S* stdout F hi\n$/);
  });

  test('propagates the exit code', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sh', '-c', 'echo oops >&2; exit 3'] });
    const exit = h.driver.waitExit(h.id);
    await h.driver.start(h.id);
    assert.equal(await exit, 3);
    assert.match(fs.readFileSync(h.logPath, 'utf8'), / stderr F oops\n/);
  });

  test('kill with SIGTERM and SIGKILL reports 128+signal', async (t) => {
    const h = setup(t);
    // PID 1 ignores SIGTERM without a handler, so TERM alone does not stop `sleep` as init.
    await create(h, { Cmd: ['sleep', '1000'] });
    await h.driver.start(h.id);
    const state = await h.driver.state(h.id);
    assert.equal(state?.status, 'running');
    assert.ok((state?.pid ?? 0) > 0);
    await h.driver.kill(h.id, 'SIGTERM');
    const exit = h.driver.waitExit(h.id);
    const early = await Promise.race([exit, new Promise<string>((r) => setTimeout(() => r('still running'), 300))]);
    assert.equal(early, 'still running');
    await h.driver.kill(h.id, 'KILL', true);
    assert.equal(await exit, 137);
    assert.equal((await h.driver.state(h.id))?.status, 'stopped');
  });

  test('a trap on SIGTERM gives exit 143 through kill', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 0.1; done'] });
    await h.driver.start(h.id);
    const exit = h.driver.waitExit(h.id);
    await h.driver.kill(h.id, 15);
    assert.equal(await exit, 143);
  });

  test('pause and resume', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sleep', '1000'] });
    await h.driver.start(h.id);
    await h.driver.pause(h.id);
    assert.equal((await h.driver.state(h.id))?.status, 'paused');
    await h.driver.resume(h.id);
    assert.equal((await h.driver.state(h.id))?.status, 'running');
    const pids = await h.driver.pids(h.id);
    assert.equal(pids.length, 1);
    assert.equal(pids[0], (await h.driver.state(h.id))?.pid);
  });

  test('attach with stdin: cat echoes and ends at stdin EOF', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['cat'], OpenStdin: true, StdinOnce: true });
    const streams = await h.driver.attach(h.id);
    const output = collect(streams);
    const exit = h.driver.waitExit(h.id);
    await h.driver.start(h.id);
    streams.stdin.write('hello\n');
    streams.closeStdin();
    assert.equal(await exit, 0);
    assert.deepEqual(await output, { out: 'hello\n', err: '' });
  });

  test('tty: the process has a terminal and output comes as stream 1', async (t) => {
    const h = setup(t);
    // It lives on briefly so the resize below finds conmon's control fifo open.
    await create(h, { Cmd: ['sh', '-c', 'tty; echo err >&2; sleep 0.5'], Tty: true });
    const streams = await h.driver.attach(h.id);
    const output = collect(streams);
    const exit = h.driver.waitExit(h.id);
    await h.driver.start(h.id);
    await h.driver.resize(h.id, 30, 100);
    assert.equal(await exit, 0);
    // The log holds everything the terminal printed, stdout and stderr alike.
    // The attach socket may drop the tail when conmon exits (the daemon reads
    // output from the log for that reason), so it is only checked for stream 1.
    const log = fs.readFileSync(h.logPath, 'utf8');
    assert.match(log, / stdout [PF] \/dev\/pts\/\d+\r\n/);
    assert.match(log, / stdout [PF] err\r\n/);
    assert.doesNotMatch(log, / stderr /);
    const { out, err } = await output;
    assert.match(out, /^\/dev\/pts\/\d+\r\n/);
    assert.equal(err, '');
  });

  test('exec with output and exit code, attached and detached', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sleep', '1000'] });
    await h.driver.start(h.id);
    const base = generateSpec({ id: h.id, config: { Cmd: ['x'] }, hostConfig: {}, imageConfig: {}, rootfs, files: {}, network: { kind: 'none' }, cgroupsPath: '', mounts: [], hostCpus: 1 }).process;
    const attached = await h.driver.exec(
      { containerId: h.id, execId: randomBytes(32).toString('hex'), process: { ...base, args: ['sh', '-c', 'echo out; echo err >&2; exit 5'] }, tty: false, openStdin: false, logPath: '/dev/null' },
      true,
    );
    assert.ok(attached.pid > 0);
    const output = collect(attached.streams!);
    assert.equal(await attached.exit, 5);
    // conmon 2.1.6 sometimes drops the stderr of an exec that exits at once (known race), so only stdout is asserted.
    assert.equal((await output).out, 'out\n');

    const detached = await h.driver.exec(
      { containerId: h.id, execId: randomBytes(32).toString('hex'), process: { ...base, args: ['true'] }, tty: false, openStdin: false, logPath: '/dev/null' },
      false,
    );
    assert.equal(detached.streams, undefined);
    assert.equal(await detached.exit, 0);

    await assert.rejects(
      h.driver.exec({ containerId: h.id, execId: randomBytes(32).toString('hex'), process: { ...base, args: ['nosuchcmd'] }, tty: false, openStdin: false, logPath: '/dev/null' }, false),
      (e: unknown) => e instanceof RuntimeStartError && e.exitCode === 127 && /executable file not found/.test(e.message),
    );
  });

  test('waitExit works from a new driver instance (daemon restart)', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sh', '-c', 'read x; exit 7'], OpenStdin: true, StdinOnce: true });
    await h.driver.start(h.id);
    const restarted = new ConmonRunc({ execRoot: h.execRoot });
    assert.equal((await restarted.state(h.id))?.status, 'running');
    assert.equal(await restarted.exitCode(h.id), undefined);
    const exit = restarted.waitExit(h.id);
    const streams = await restarted.attach(h.id);
    streams.stdin.write('go\n');
    assert.equal(await exit, 7);
    streams.close();
  });

  test('a missing command fails create with a not-found classification (127)', async (t) => {
    const h = setup(t);
    await assert.rejects(create(h, { Cmd: ['nosuchcmd'] }), (e: unknown) => {
      assert.ok(e instanceof RuntimeStartError, String(e));
      assert.equal(e.kind, 'not-found');
      assert.equal(e.exitCode, 127);
      assert.equal(e.message, 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown');
      return true;
    });
  });

  test('a directory as command is classified as cannot-invoke (126)', async (t) => {
    const h = setup(t);
    await assert.rejects(create(h, { Cmd: ['/etc'] }), (e: unknown) => e instanceof RuntimeStartError && e.exitCode === 126);
  });

  test('start goes through runc\'s exec fifo: runc sees the container running, and a second start is refused', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sleep', '1000'] });
    const fifo = path.join(h.execRoot, 'runc', h.id, 'exec.fifo');
    assert.ok(fs.existsSync(fifo), 'runc create leaves its exec fifo');
    await h.driver.start(h.id);
    assert.equal(fs.existsSync(fifo), false);
    const state = await h.driver.state(h.id);
    assert.equal(state?.status, 'running');
    // The process is the user's command by now, not runc init waiting on the fifo.
    assert.equal(fs.readFileSync(`/proc/${state!.pid}/comm`, 'utf8').trim(), 'sleep');
    // Without the fifo the driver asks runc, which refuses as runc start does.
    await assert.rejects(h.driver.start(h.id), /cannot start an already running container|not in created state|already running/);
  });

  test('start of a container whose init died before it was started fails instead of waiting', async (t) => {
    const h = setup(t);
    await create(h, { Cmd: ['sleep', '1000'] });
    const pid = await h.driver.initPid(h.id);
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const started = Date.now();
    // Usually 'already dead'; when the init dies in the middle of opening the fifo, runc's own wording for an empty fifo.
    await assert.rejects(h.driver.start(h.id), /container process is already dead|cannot start an already running container/);
    assert.ok(Date.now() - started < 5000);
  });

  test('a conmon that cannot start reports what it printed', async (t) => {
    const h = setup(t);
    await assert.rejects(
      h.driver.create({
        id: h.id,
        bundle: h.bundle,
        spec: generateSpec({ id: h.id, config: { Cmd: ['true'] }, hostConfig: {}, imageConfig: {}, rootfs, files: {}, network: { kind: 'none' }, cgroupsPath: `/berth-test/${h.id.slice(0, 12)}`, mounts: [], hostCpus: 1 }),
        logPath: '/nonexistent-berth-dir/ctr.log',
        tty: false,
        openStdin: false,
        stdinOnce: false,
      }),
      /conmon|ctr\.log|No such file/,
    );
  });

  test('a spec that fails is reported, and the conmon waiting for it is gone with its directory', async (t) => {
    const h = setup(t);
    let fail!: (e: Error) => void;
    const spec = new Promise<never>((_, reject) => (fail = reject));
    const created = h.driver.create({ id: h.id, bundle: h.bundle, spec, logPath: h.logPath, tty: false, openStdin: false, stdinOnce: false });
    // conmon is up and waiting on its start pipe before the spec is known.
    const waiting = () => conmonsOf(h.id);
    const deadline = Date.now() + 5000;
    while (waiting().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(waiting().length > 0, 'conmon started before the spec');
    fail(new Error('no spec for you'));
    await assert.rejects(created, /no spec for you/);
    assert.deepEqual(waiting(), []);
    assert.equal(fs.existsSync(h.driver.paths.dir(h.id)), false);
  });

  test('a conmon waiting for its spec goes away when the daemon dies (no spec, nothing created)', async (t) => {
    const h = setup(t);
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/fixtures/runtime/create-and-hang.ts'), h.execRoot, h.id, h.bundle, h.logPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const deadline = Date.now() + 5000;
    while (conmonsOf(h.id).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(conmonsOf(h.id).length > 0, 'conmon started before the spec');
    child.kill('SIGKILL');
    const gone = Date.now() + 5000;
    while (conmonsOf(h.id).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(conmonsOf(h.id), []);
    assert.equal(await h.driver.hasState(h.id), false);
  });

  test('the cgroup warm-up is a migration of the daemon into the cgroups it is already in', async () => {
    const before = fs.readFileSync('/proc/self/cgroup', 'utf8');
    assert.equal(await warmCgroupAttach(), true);
    assert.equal(fs.readFileSync('/proc/self/cgroup', 'utf8'), before);
  });

  test('state of an unknown container is undefined', async (t) => {
    const h = setup(t);
    assert.equal(await h.driver.state(h.id), undefined);
    await execFile('true', []);
  });
});
