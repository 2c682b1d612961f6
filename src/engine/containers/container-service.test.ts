/**
 * The container lifecycle against the fake runtime driver and a layout that
 * mounts nothing: states, events, waiters, the restart back-off, the
 * resources hook, and that every failure path tears down what it made.
 * (The same verbs on conmon+runc are in test/integration/containers/.)
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeRuntime } from '../../drivers/runtime/fake-runtime.ts';
import { EventsService } from '../events/events-service.ts';
import { ContainerLayout, type MountOps } from './container-layout.ts';
import type { ContainerResource } from './container-resources.ts';
import { ContainerService } from './container-service.ts';
import { loadContainers, readoptContainers } from '../recovery.ts';
import type { ContainerRecord } from './record.ts';

interface Rig {
  service: ContainerService;
  runtime: FakeRuntime;
  events: string[];
  mounted: Set<string>;
  /** How many overlay mounts were made. */
  overlays: { count: number };
  hooks: string[];
  dataRoot: string;
  /** The same data root and runtime state, as a restarted daemon sees them. */
  restart(): Promise<ContainerService>;
}

function rig(t: TestContext, options: { failOverlay?: boolean; failResourceCreate?: Error; failResourceStart?: Error; slowSpecMs?: number } = {}): Rig {
  const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'berth-lifecycle-'));
  t.after(() => rmSync(dataRoot, { recursive: true, force: true }));
  const mounted = new Set<string>();
  const overlays = { count: 0 };
  const mounts: MountOps = {
    async overlay(plan) {
      // As the real one: a look whether it is mounted, then the mount (another caller may run in between).
      const already = mounted.has(plan.merged);
      await new Promise((resolve) => setImmediate(resolve));
      if (already) return;
      overlays.count++;
      if (options.failOverlay) throw new Error('overlay: no such device');
      mkdirSync(path.join(plan.merged, 'etc'), { recursive: true });
      mounted.add(plan.merged);
    },
    async tmpfs(dir) {
      mounted.add(dir);
    },
    async unmount(dir) {
      mounted.delete(dir);
    },
  };
  const hooks: string[] = [];
  const probe: ContainerResource = {
    name: 'probe',
    create: (r) => {
      hooks.push(`create ${r.name}`);
      if (options.failResourceCreate) throw options.failResourceCreate;
    },
    spec: async (r) => {
      hooks.push(`spec ${r.name}`);
      if (options.slowSpecMs) {
        await new Promise((resolve) => setTimeout(resolve, options.slowSpecMs));
        hooks.push(`spec done ${r.name}`);
      }
      return {};
    },
    start: async (r) => {
      hooks.push(`start ${r.name}`);
      if (options.failResourceStart) throw options.failResourceStart;
    },
    exit: async (r) => void hooks.push(`exit ${r.name}`),
    remove: async (r) => void hooks.push(`remove ${r.name}`),
    readopt: async (r) => void hooks.push(`readopt ${r.name}`),
  };
  const images = {
    resolve: () => ({ id: 'sha256:' + 'a'.repeat(64), config: { Cmd: ['sh'] }, imageConfig: { architecture: 'amd64', os: 'linux' }, chainId: '', lowerDirs: [] }),
    lowerDirs: () => [],
  };
  const events = new EventsService();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(`${e.Action} ${e.Actor.Attributes.name}`));
  const build = (runtime: FakeRuntime) =>
    new ContainerService({
      dataRoot,
      execRoot: path.join(dataRoot, 'exec'),
      runtime,
      images: images as unknown as ConstructorParameters<typeof ContainerService>[0]['images'],
      events,
      hostCpus: os.cpus().length,
      initPath: '/usr/bin/catatonit',
      host: { arch: 'x64' },
      layout: new ContainerLayout({ dataRoot, runtime, imageLowerDirs: () => [], mounts }),
      resources: [probe],
    });
  const runtime = new FakeRuntime();
  const service = build(runtime);
  t.after(() => service.close());
  return {
    service,
    runtime,
    events: seen,
    mounted,
    overlays,
    hooks,
    dataRoot,
    async restart() {
      const next = build(runtime.reopen());
      await loadContainers(next);
      await readoptContainers(next);
      t.after(() => next.close());
      return next;
    },
  };
}

async function created(r: Rig, name: string, hostConfig: Record<string, unknown> = {}): Promise<ContainerRecord> {
  const { Id } = await r.service.create({ name, config: { Image: 'busybox', Cmd: ['sleep', '1000'] }, hostConfig });
  return r.service.store.resolve(Id);
}

const until = async (what: string, check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('create, start and exit move the container through created, running and exited, announcing each', async (t) => {
  const r = rig(t);
  const c = await created(r, 'web');
  assert.equal(c.state.status, 'created');
  await r.service.start('web');
  assert.equal(c.state.status, 'running');
  assert.ok(c.state.pid > 0);
  const exit = r.service.wait('web', 'not-running');
  r.runtime.exit(c.id, 3);
  assert.deepEqual(await exit, { StatusCode: 3, Error: null });
  assert.equal(c.state.status, 'exited');
  assert.equal(c.state.exitCode, 3);
  assert.deepEqual(r.events, ['create web', 'start web', 'die web']);
});

/** A container created and removed unstarted: from then on creates make no runtime container ahead (see prepared-pool.ts). */
async function expectNoStarts(r: Rig): Promise<void> {
  await created(r, 'unstarted');
  await r.service.remove('unstarted');
  await r.service.released();
}

test('while containers are created and removed unstarted, a create does no runtime work at all', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const c = await created(r, 'idle');
  await r.service.remove('idle');
  await r.service.released();
  assert.deepEqual(r.runtime.ops(c.id).filter((op) => op !== 'hasState' && op !== 'cleanup'), []);
  assert.equal(r.mounted.size, 0, 'nor a mount');
});

test('while created containers are started, a create makes the runtime container ahead, and the start uses it', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const first = await created(r, 'first');
  await r.service.start('first');
  const c = await created(r, 'second');
  await until('the runtime container to be made ahead', () => r.runtime.host.containers.has(c.id));
  await r.service.start('second');
  assert.deepEqual(r.runtime.ops(c.id).filter((op) => op === 'create' || op === 'start'), ['create', 'start']);
  assert.ok(r.runtime.host.containers.has(first.id));
});

test('a start announced by an attach or a wait finds its runtime container made ahead: the runtime creates it once', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const c = await created(r, 'quick');
  assert.equal(r.runtime.host.containers.has(c.id), false, 'nothing made at create');
  r.service.anticipateStart(c.id);
  await until('the runtime container to be made ahead', () => r.runtime.host.containers.has(c.id));
  r.service.anticipateStart(c.id); // a second announcement changes nothing
  await r.service.start('quick');
  assert.deepEqual(r.runtime.ops(c.id).filter((op) => op === 'create' || op === 'start'), ['create', 'start']);
  r.service.anticipateStart(c.id); // running: nothing to prepare
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(r.runtime.ops(c.id).filter((op) => op === 'create'), ['create']);
});

test('a runtime container made ahead is given up when the container is removed unstarted', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const c = await created(r, 'changed-mind');
  r.service.anticipateStart(c.id);
  await until('the runtime container to be made ahead', () => r.runtime.host.containers.has(c.id));
  await r.service.remove('changed-mind');
  await r.service.released();
  assert.equal(r.runtime.host.containers.has(c.id), false);
  assert.equal(r.runtime.host.monitors.has(c.id), false);
});

test('the resources are called at create, spec, start, exit and remove, in that order', async (t) => {
  const r = rig(t);
  const c = await created(r, 'res');
  await r.service.start('res');
  const exited = r.service.nextExitOf(c.id);
  r.runtime.exit(c.id, 0);
  await exited;
  await r.service.remove('res');
  await r.service.released();
  assert.deepEqual(r.hooks, ['create /res', 'spec /res', 'start /res', 'exit /res', 'remove /res']);
});

test('a container removed while its start is being prepared: the preparation finishes before the resources are told of the removal', async (t) => {
  // A sandbox set up by the preparation would otherwise be set up after the
  // network resource's remove, and never torn down.
  const r = rig(t, { slowSpecMs: 50 });
  await created(r, 'hasty');
  await until('the preparation to begin', () => r.hooks.includes('spec /hasty'));
  await r.service.remove('hasty', { force: true });
  await r.service.released();
  assert.deepEqual(r.hooks, ['create /hasty', 'spec /hasty', 'spec done /hasty', 'remove /hasty']);
});

test('after an exit the runtime container is deleted and its monitor files removed, the rootfs stays mounted', async (t) => {
  const r = rig(t);
  const c = await created(r, 'gone');
  await r.service.start('gone');
  const exited = r.service.nextExitOf(c.id);
  r.runtime.exit(c.id, 0);
  await exited;
  await until('the runtime record to go', () => !r.runtime.host.containers.has(c.id));
  assert.equal(r.runtime.host.monitors.has(c.id), false);
  assert.ok(r.mounted.has(r.service.paths(c.id).merged));
});

test('a start that fails leaves the container created with the exit code, wakes waiters and tears the runtime down', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const c = await created(r, 'broken');
  r.runtime.program(c.id, { notFound: true });
  const waiting = r.service.wait('broken', 'next-exit');
  await assert.rejects(r.service.start('broken'), /executable file not found/);
  assert.equal(c.state.status, 'created');
  assert.equal(c.state.exitCode, 127);
  assert.match(c.state.error, /executable file not found/);
  assert.equal((await waiting).StatusCode, 127);
  assert.equal(r.runtime.host.monitors.has(c.id), false, 'no monitor files left');
  assert.equal(r.runtime.host.containers.has(c.id), false, 'no runtime record left');
  assert.deepEqual(r.events.slice(-1), ['die broken']);
  r.runtime.program(c.id, {});
  await r.service.start('broken');
  assert.equal(c.state.status, 'running', 'a later start tries again');
});

test('a create that mounts its rootfs ahead of the start and cannot leaves nothing behind', async (t) => {
  const r = rig(t, { failOverlay: true });
  await assert.rejects(r.service.create({ name: 'early', config: { Image: 'busybox', Cmd: ['true'] } }), /overlay: no such device/);
  assert.equal(r.service.store.find('early'), undefined);
  await r.service.released();
  assert.equal(r.runtime.host.containers.size + r.runtime.host.monitors.size, 0, 'the runtime container made ahead is torn down');
  assert.deepEqual(readdirSync(path.join(r.dataRoot, 'containers')), []);
});

test('a create whose resources cannot be laid out leaves no directory, no runtime container and a free name', async (t) => {
  const r = rig(t, { failResourceCreate: new Error('no space left on device') });
  await assert.rejects(r.service.create({ name: 'nofs', config: { Image: 'busybox', Cmd: ['true'] } }), /no space left on device/);
  assert.equal(r.service.store.find('nofs'), undefined);
  assert.equal(r.service.store.hasName('/nofs'), false);
  assert.equal(r.runtime.host.containers.size + r.runtime.host.monitors.size, 0);
  assert.deepEqual(readdirSync(path.join(r.dataRoot, 'containers')), []);
});

test('a start whose rootfs cannot be mounted fails as a start and leaves nothing of the runtime', async (t) => {
  const options = { failOverlay: false };
  const r = rig(t, options);
  await expectNoStarts(r);
  options.failOverlay = true;
  const c = await created(r, 'nofs');
  assert.equal(r.mounted.size, 0, 'create mounts nothing');
  await assert.rejects(r.service.start('nofs'), /overlay: no such device/);
  assert.equal(c.state.status, 'created');
  assert.equal(c.state.exitCode, 128);
  assert.equal(r.runtime.host.containers.size + r.runtime.host.monitors.size, 0);
});

test('removal takes everything apart in the background; rm of a running container needs force', async (t) => {
  const r = rig(t);
  const c = await created(r, 'victim', { IpcMode: 'shareable' });
  await r.service.start('victim');
  const p = r.service.paths(c.id);
  assert.ok(r.mounted.has(p.shm), 'a shareable /dev/shm is mounted');
  await assert.rejects(r.service.remove('victim'), { name: 'ConflictError', message: `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove` });
  const removed = r.service.wait('victim', 'removed');
  await r.service.remove('victim', { force: true });
  await removed;
  await r.service.released();
  assert.equal(r.service.store.find('victim'), undefined);
  assert.equal(existsSync(p.dir), false);
  assert.equal(r.mounted.size, 0, 'rootfs and shm unmounted');
  assert.equal(r.runtime.host.containers.size + r.runtime.host.monitors.size, 0);
  assert.deepEqual(r.events.slice(-3), ['kill victim', 'die victim', 'destroy victim']);
});

test('pause and unpause move between running and paused; pausing a stopped container is refused', async (t) => {
  const r = rig(t);
  const c = await created(r, 'freeze');
  await assert.rejects(r.service.pause('freeze'), { name: 'ConflictError', message: `Container ${c.id} is not running` });
  await r.service.start('freeze');
  await r.service.pause('freeze');
  assert.equal(c.state.status, 'paused');
  await assert.rejects(r.service.pause('freeze'), /is already paused/);
  await r.service.unpause('freeze');
  assert.equal(c.state.status, 'running');
});

test('on-failure restarts with a growing back-off until its retries are used up', async (t) => {
  const r = rig(t);
  const c = await created(r, 'flaky', { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } });
  r.runtime.program(c.id, { exitAtStart: 1 });
  const began = Date.now();
  await r.service.start('flaky');
  await until('the retries to be used up', () => c.restartCount === 2 && c.state.status === 'exited');
  // Two restarts: 100 ms, then 200 ms.
  assert.ok(Date.now() - began >= 300, `the back-off was waited (${Date.now() - began} ms)`);
  assert.equal(c.state.exitCode, 1);
  assert.deepEqual(r.events.filter((e) => e.startsWith('start')).length, 3);
});

test('a container waiting to restart: rm is refused without force, stop ends the cycle', async (t) => {
  const r = rig(t);
  const c = await created(r, 'loop', { RestartPolicy: { Name: 'always' } });
  r.runtime.program(c.id, { exitAtStart: 0 });
  await r.service.start('loop');
  await until('the restart wait', () => c.state.status === 'restarting');
  await assert.rejects(r.service.remove('loop'), { name: 'ConflictError', message: `You cannot remove a restarting container ${c.id}. Stop the container before attempting removal or force remove` });
  await r.service.stop('loop');
  assert.equal(c.state.status, 'exited');
  assert.equal(c.manuallyStopped, true);
  const starts = r.events.filter((e) => e.startsWith('start')).length;
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(r.events.filter((e) => e.startsWith('start')).length, starts, 'no restart after the stop');
});

test('rm -f of a container waiting to restart removes it and no restart follows', async (t) => {
  const r = rig(t);
  const c = await created(r, 'loop2', { RestartPolicy: { Name: 'always' } });
  r.runtime.program(c.id, { exitAtStart: 0 });
  await r.service.start('loop2');
  await until('the restart wait', () => c.state.status === 'restarting');
  await r.service.remove('loop2', { force: true });
  await r.service.released();
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(r.service.store.find(c.id), undefined);
  assert.equal(r.runtime.host.containers.size, 0, 'nothing was started again');
});

test('a restarted daemon re-adopts a running container and finishes one that exited while it was down', async (t) => {
  const r = rig(t);
  const alive = await created(r, 'alive');
  const dead = await created(r, 'dead');
  await r.service.start('alive');
  await r.service.start('dead');
  await r.service.close();
  r.runtime.exit(dead.id, 9);
  const next = await r.restart();
  assert.equal(next.store.resolve('alive').state.status, 'running');
  const finished = next.store.resolve('dead').state;
  assert.equal(finished.status, 'exited');
  assert.equal(finished.exitCode, 9);
  assert.ok(r.hooks.includes('readopt /alive'));
  const exit = next.wait('alive', 'not-running');
  r.runtime.exit(alive.id, 0);
  assert.equal((await exit).StatusCode, 0, 'the re-adopted container\'s exit is seen');
});

test('a runtime that fails to let the process go is a failed start: recorded, announced, and torn down', async (t) => {
  const r = rig(t);
  const c = await created(r, 'stuck');
  r.runtime.fail('start', new Error('runc start failed: exec fifo gone'), { id: c.id });
  const waiting = r.service.nextExitOf(c.id);
  await assert.rejects(r.service.start('stuck'), /exec fifo gone/);
  assert.equal(c.state.status, 'created');
  assert.equal(c.state.exitCode, 128);
  assert.match(c.state.error, /exec fifo gone/);
  assert.equal(await waiting, 128);
  assert.deepEqual(r.events.slice(-1), ['die stuck']);
  assert.equal(r.runtime.host.containers.has(c.id), false, 'the created runtime container is deleted');
  assert.equal(r.runtime.host.monitors.has(c.id), false);
  await r.service.start('stuck');
  assert.equal(c.state.status, 'running', 'the next start makes a new runtime container');
});

test('a resource that fails at start fails the start and is told of the exit', async (t) => {
  const r = rig(t, { failResourceStart: new Error('no address left') });
  const c = await created(r, 'nonet');
  await assert.rejects(r.service.start('nonet'), /no address left/);
  assert.equal(c.state.status, 'created');
  assert.deepEqual(r.hooks.slice(-2), ['start /nonet', 'exit /nonet'], 'the resources are told');
  assert.equal(r.runtime.host.containers.has(c.id), false, 'the runtime container is torn down');
  assert.deepEqual(r.events.slice(-1), ['die nonet']);
});

test('a rootfs asked for by two callers at once is mounted once', async (t) => {
  const r = rig(t);
  await expectNoStarts(r);
  const c = await created(r, 'twice');
  const before = r.overlays.count;
  await Promise.all([r.service.layout.mountRootfs(c), r.service.layout.mountRootfs(c), r.service.start('twice')]);
  assert.equal(r.overlays.count - before, 1);
});

test('an auto-removed container is removed as it exits; its resources are told of the exit, then of the removal', async (t) => {
  const r = rig(t);
  const c = await created(r, 'once', { AutoRemove: true });
  await r.service.start('once');
  const removed = r.service.wait(c.id, 'removed');
  r.runtime.exit(c.id, 4);
  assert.equal((await removed).StatusCode, 4);
  await r.service.released();
  assert.deepEqual(r.hooks.slice(-2), ['exit /once', 'remove /once']);
  assert.equal(r.runtime.host.containers.size + r.runtime.host.monitors.size, 0, 'the runtime container is gone too');
  assert.deepEqual(r.events.slice(-2), ['die once', 'destroy once']);
});
