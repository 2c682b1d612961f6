/**
 * The ContainerRunner on a real engine (in-process, no daemon): a RUN-like
 * step runs with runc+conmon, its output streamed, its exit code returned,
 * its changes committed as an image that the next step sees.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { Engine } from '../../../src/engine/engine.ts';
import type { OutputChunk } from '../../../src/engine/build/container-runner.ts';
import { NotFoundError } from '../../../src/util/errors.ts';
import { cleanupRoots, requireRoot } from '../../helpers/daemon.ts';

async function openEngine(t: TestContext): Promise<Engine> {
  const tag = randomBytes(4).toString('hex');
  const dataRoot = `/tmp/berth-test/${tag}/data`;
  const execRoot = `/run/bt-${tag}`; // short: conmon's attach socket path is limited to 108 bytes
  const engine = new Engine({ dataRoot, execRoot });
  t.after(async () => {
    await engine.close();
    await cleanupRoots(dataRoot, execRoot);
    await fs.rm(`/tmp/berth-test/${tag}`, { recursive: true, force: true });
  });
  await engine.open();
  await engine.images.bootstrapBusybox();
  return engine;
}

function collect(chunks: OutputChunk[]): (chunk: OutputChunk) => void {
  return (chunk) => void chunks.push(chunk);
}

const text = (chunks: OutputChunk[], stream: 'stdout' | 'stderr'): string =>
  Buffer.concat(chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString('utf8');

test('a RUN step streams its output, returns its exit code, and commits its changes', async (t) => {
  if (!requireRoot(t)) return;
  const engine = await openEngine(t);
  const { runner } = engine;

  const step = await runner.create({ image: 'busybox', config: { Cmd: ['sh', '-c', 'echo hi > /f; echo out; echo err >&2'] } });
  const output: OutputChunk[] = [];
  let image: string;
  try {
    assert.equal(await runner.run(step, collect(output)), 0);
    assert.equal(text(output, 'stdout'), 'out\n');
    assert.equal(text(output, 'stderr'), 'err\n');
    image = await runner.commit(step, { config: { Cmd: ['sh'], Env: ['PATH=/bin'] }, comment: 'step 1' });
  } finally {
    await runner.remove(step);
  }
  assert.throws(() => engine.containers.store.resolve(step), NotFoundError, 'the step container is gone');
  const inspect = engine.images.inspect(image);
  assert.deepEqual(inspect.Config?.Cmd, ['sh'], 'the run config is the one given, not the step\'s command');
  assert.equal(inspect.Comment, 'step 1');
  assert.equal(inspect.RootFS.Layers?.length, 2, 'the step added a layer on busybox');

  // The next step runs on the committed image and sees the file; a failing command reports its code.
  const next = await runner.create({ image, config: { Cmd: ['sh', '-c', 'cat /f; exit 3'] } });
  const more: OutputChunk[] = [];
  try {
    assert.equal(await runner.run(next, collect(more)), 3);
    assert.equal(text(more, 'stdout'), 'hi\n');
  } finally {
    await runner.remove(next);
  }
});

test('a step that cannot start rejects run and is still removable', async (t) => {
  if (!requireRoot(t)) return;
  const { runner, containers } = await openEngine(t);
  const step = await runner.create({ image: 'busybox', config: { Cmd: ['/no/such/binary'] } });
  await assert.rejects(runner.run(step, () => undefined), /no such file or directory/);
  await runner.remove(step);
  assert.throws(() => containers.store.resolve(step), NotFoundError);
});

test('a step on an image with a VOLUME writes into an anonymous volume that is not committed, and is removed with the step', async (t) => {
  if (!requireRoot(t)) return;
  const engine = await openEngine(t);
  const { runner } = engine;
  const seed = await runner.create({ image: 'busybox', config: { Cmd: ['sh', '-c', 'mkdir /data && echo seeded > /data/seed'] } });
  let withVolume: string;
  try {
    assert.equal(await runner.run(seed, () => undefined), 0);
    withVolume = await runner.commit(seed, { config: { Cmd: ['sh'], Volumes: { '/data': {} } } });
  } finally {
    await runner.remove(seed);
  }
  const step = await runner.create({ image: withVolume, config: { Cmd: ['sh', '-c', 'cat /data/seed; echo lost > /data/new'] } });
  const output: OutputChunk[] = [];
  let image: string;
  try {
    assert.equal(await runner.run(step, collect(output)), 0);
    assert.equal(text(output, 'stdout'), 'seeded\n', 'the volume is seeded from the image');
    image = await runner.commit(step);
  } finally {
    await runner.remove(step);
  }
  assert.deepEqual(engine.volumes.list().map((v) => v.name), [], "the step's anonymous volume went with it");
  const check = await runner.create({ image, config: { Cmd: ['sh', '-c', 'ls /data'] } });
  const listed: OutputChunk[] = [];
  try {
    await runner.run(check, collect(listed));
  } finally {
    await runner.remove(check);
  }
  assert.equal(text(listed, 'stdout'), 'seed\n', 'what the step wrote into the volume is not in its commit');
});

test('a created, never started container: its rootfs is written through withRootfs and its changes become a layer', async (t) => {
  if (!requireRoot(t)) return;
  const engine = await openEngine(t);
  const { runner } = engine;
  const step = await runner.create({ image: 'busybox', config: { Cmd: ['#(nop) COPY'] } });
  try {
    await runner.withRootfs(step, async (root) => {
      await fs.mkdir(`${root}/app`);
      await fs.writeFile(`${root}/app/f`, 'copied\n');
    });
    const layer = await engine.images.hold(async () => runner.layer(step));
    assert.ok(layer, 'a layer for the changes');
    assert.equal(await fs.readFile(`${engine.layers.diffDir(layer.chainId)}/app/f`, 'utf8'), 'copied\n');
    assert.equal(engine.containers.store.resolve(step).state.status, 'created', 'never started');
  } finally {
    await runner.remove(step);
  }
  const empty = await runner.create({ image: 'busybox', config: { Cmd: ['#(nop) WORKDIR /'] } });
  try {
    await runner.withRootfs(empty, async () => undefined);
    assert.equal(await runner.layer(empty), undefined, 'no changes, no layer');
  } finally {
    await runner.remove(empty);
  }
});

test('mount points a step\'s mounts created are dropped from its layer; what the step wrote stays', async (t) => {
  if (!requireRoot(t)) return;
  const engine = await openEngine(t);
  const { runner } = engine;
  const source = `/tmp/berth-test/src-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(source, { recursive: true });
  t.after(() => fs.rm(source, { recursive: true, force: true }));
  await fs.writeFile(`${source}/secret`, 'hush');
  const step = await runner.create({
    image: 'busybox',
    config: { Cmd: ['sh', '-c', 'cat /run/secrets/s >/dev/null; echo kept > /tmp/kept; touch /cache/into-the-mount'] },
    hostConfig: {
      Mounts: [
        { Type: 'bind', Source: `${source}/secret`, Target: '/run/secrets/s', ReadOnly: true },
        { Type: 'bind', Source: source, Target: '/cache' },
        { Type: 'tmpfs', Target: '/tmp/scratch' },
      ],
    },
  });
  try {
    assert.equal(await runner.run(step, () => undefined), 0);
    const layer = await engine.images.hold(async () => runner.layer(step, { mountPoints: ['/run/secrets/s', '/cache', '/tmp/scratch'] }));
    assert.ok(layer);
    const entries = (await fs.readdir(engine.layers.diffDir(layer.chainId), { recursive: true })).sort();
    assert.deepEqual(entries, ['tmp', 'tmp/kept']);
  } finally {
    await runner.remove(step);
  }
});
