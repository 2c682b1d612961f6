// Shared by the conmon+runc tests: a busybox rootfs built once per file,
// a fresh exec root per test, specs from generateSpec, and teardown of
// every container a test made (runc record, conmon, files), pass or fail.
import { after, before, type TestContext } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConmonRunc } from '../../../src/drivers/runtime/conmon-runc.ts';
import { generateSpec } from '../../../src/drivers/runtime/spec/generate.ts';
import type { AttachStreams } from '../../../src/drivers/runtime/runtime.ts';
import type { OciSpec } from '../../../src/drivers/runtime/spec/types.ts';
import type { ContainerConfig, HostConfig } from '../../../src/wire/container-config.ts';

export const isRoot = process.getuid?.() === 0;

export interface Rootfs {
  /** The temp directory holding the rootfs, bundles and exec roots. */
  tmp: string;
  rootfs: string;
}

/** Build a busybox rootfs in a temp dir before the file's tests (root only), and remove it after. */
export function busyboxRootfs(): Rootfs {
  const fx: Rootfs = { tmp: '', rootfs: '' };
  before(() => {
    if (!isRoot) return;
    fx.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rt-'));
    fx.rootfs = path.join(fx.tmp, 'rootfs');
    for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp']) fs.mkdirSync(path.join(fx.rootfs, d), { recursive: true });
    fs.copyFileSync('/usr/bin/busybox', path.join(fx.rootfs, 'bin/busybox'));
    fs.chmodSync(path.join(fx.rootfs, 'bin/busybox'), 0o755);
    for (const name of ['sh', 'echo', 'sleep', 'cat', 'true', 'false', 'tty', 'stty']) fs.symlinkSync('busybox', path.join(fx.rootfs, 'bin', name));
    fs.writeFileSync(path.join(fx.rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    fs.writeFileSync(path.join(fx.rootfs, 'etc/group'), 'root:x:0:\n');
  });
  after(() => {
    if (fx.tmp) fs.rmSync(fx.tmp, { recursive: true, force: true });
  });
  return fx;
}

export const newId = (): string => randomBytes(32).toString('hex');

/** The spec of a container running `config` on `rootfs`, in its own cgroup. */
export function specFor(fx: Rootfs, id: string, config: ContainerConfig, hostConfig: HostConfig = {}): OciSpec {
  return generateSpec({
    id,
    config,
    hostConfig,
    imageConfig: { Env: ['PATH=/bin'] },
    rootfs: fx.rootfs,
    etcPasswd: 'root:x:0:0:root:/root:/bin/sh\n',
    files: {},
    network: { kind: 'none' },
    cgroupsPath: `/berth-test/${id.slice(0, 12)}`,
    mounts: [],
    hostCpus: os.cpus().length,
  });
}

/**
 * A driver on a fresh exec root. `track(id)` registers a container for
 * teardown in t.after: forced runc delete, its conmon killed by PID, its
 * files and bundle removed; then the exec root goes.
 */
export function driverFor(t: TestContext, fx: Rootfs): { driver: ConmonRunc; execRoot: string; track(id: string): string; bundle(id: string): string } {
  const execRoot = fs.mkdtempSync(path.join(fx.tmp, 'exec-'));
  const driver = new ConmonRunc({ execRoot });
  const ids = new Set<string>();
  const bundle = (id: string): string => path.join(fx.tmp, `bundle-${id.slice(0, 12)}`);
  t.after(async () => {
    for (const id of ids) {
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
      fs.rmSync(bundle(id), { recursive: true, force: true });
    }
    fs.rmSync(execRoot, { recursive: true, force: true });
  });
  return {
    driver,
    execRoot,
    bundle,
    track(id) {
      ids.add(id);
      fs.mkdirSync(bundle(id), { recursive: true });
      return id;
    },
  };
}

export interface Harness {
  driver: ConmonRunc;
  id: string;
  bundle: string;
  logPath: string;
  execRoot: string;
}

/** A fresh exec root and one container id; everything is torn down in t.after even on failure. */
export function setup(t: TestContext, fx: Rootfs): Harness {
  const d = driverFor(t, fx);
  const id = d.track(newId());
  return { driver: d.driver, id, bundle: d.bundle(id), logPath: path.join(d.bundle(id), 'ctr.log'), execRoot: d.execRoot };
}

export async function create(h: Harness, fx: Rootfs, config: ContainerConfig, hostConfig: HostConfig = {}): Promise<void> {
  await h.driver.create({
    id: h.id,
    bundle: h.bundle,
    spec: specFor(fx, h.id, config, hostConfig),
    logPath: h.logPath,
    tty: config.Tty === true,
    openStdin: config.OpenStdin === true,
    stdinOnce: config.StdinOnce === true,
  });
}

/** PIDs of processes whose command line names `id` (conmon's does, runc's too). */
export function conmonsOf(id: string): string[] {
  return fs.readdirSync('/proc').filter((p) => {
    try {
      return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id);
    } catch {
      return false; // exited while we looked
    }
  });
}

/** Poll `ok` until it holds or `ms` pass (for what no event announces: a process appearing in /proc). */
export async function until(ok: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

export function collect(streams: AttachStreams): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  streams.onOutput((s, d) => {
    if (s === 1) out += d.toString();
    else err += d.toString();
  });
  return new Promise((resolve) => streams.onEnd(() => resolve({ out, err })));
}
