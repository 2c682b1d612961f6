/**
 * Crash recovery (src/engine/recovery.ts): for each operation a `kill -9`
 * of berthd can cut short, the daemon is killed at the worst instant the
 * test can reliably reach (while a large body streams, while a commit's
 * layer is written, or a few milliseconds after requests are sent, over a
 * bounded range of delays), started again, and the store must be whole:
 * `docker ps -a` and `docker images` work, every listed container
 * inspects and none is left paused, no dangling image that nobody asked
 * for, and a half-done create, rm, rmi or rename is either fully done or
 * fully undone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil, watchEvents } from '../../helpers/wait.ts';
import { buildTar } from '../images/helpers.ts';

interface Listed {
  containers: Map<string, { name: string; state: string }>;
  /** `repo:tag` → image ID; dangling images are listed as `<none>:<none>@<id>`. */
  images: Map<string, string>;
}

/** What every crash test checks after the restart; returns what is listed. */
async function assertWhole(d: Daemon, what: string): Promise<Listed> {
  const ps = await docker(d, ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}']);
  assert.equal(ps.code, 0, `${what}: docker ps -a: ${ps.stderr}`);
  const containers = new Map<string, { name: string; state: string }>();
  for (const line of ps.stdout.split('\n').filter(Boolean)) {
    const [id, name, state] = line.split(' ') as [string, string, string];
    containers.set(id, { name, state });
    const inspect = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.Paused}}', id]);
    assert.equal(inspect.code, 0, `${what}: docker inspect ${name}: ${inspect.stderr}`);
    assert.notEqual(state, 'paused', `${what}: ${name} is left paused`);
    assert.doesNotMatch(inspect.stdout, /true/, `${what}: ${name} is left paused`);
  }
  const listed = await docker(d, ['images', '-a', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
  assert.equal(listed.code, 0, `${what}: docker images: ${listed.stderr}`);
  const images = new Map<string, string>();
  for (const line of listed.stdout.split('\n').filter(Boolean)) {
    const [ref, id] = line.split(' ') as [string, string];
    images.set(ref === '<none>:<none>' ? `${ref}@${id}` : ref, id);
  }
  const dangling = [...images.keys()].filter((r) => r.startsWith('<none>'));
  assert.deepEqual(dangling, [], `${what}: dangling images nobody asked for`);
  assert.deepEqual(await fs.readdir(`${d.dataRoot}/intents`).catch(() => []), [], `${what}: every interrupted operation was recovered`);
  return { containers, images };
}

/** Layer directories in the store (an image's layers, and leftovers if any). */
async function layerDirs(d: Daemon): Promise<string[]> {
  return (await fs.readdir(`${d.dataRoot}/layers`)).filter((n) => !n.startsWith('.')).sort();
}

/** A POST whose body is written by the test; it fails (the daemon died) or answers. */
function post(d: Daemon, path: string, contentType: string): { req: http.ClientRequest; answer: Promise<number | undefined> } {
  const req = http.request({ socketPath: d.socket, method: 'POST', path, headers: { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' } });
  const answer = new Promise<number | undefined>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
  });
  return { req, answer };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A container with `mb` MiB of random data in /big, written before it answers. */
async function bigContainer(d: Daemon, name: string, mb: number): Promise<void> {
  const run = await docker(d, ['run', '-d', '--name', name, 'busybox', 'sh', '-c', `head -c ${mb * 1048576} /dev/urandom >/big; touch /written; sleep 100000`]);
  assert.equal(run.code, 0, run.stderr);
  await pollUntil(async () => (await docker(d, ['exec', name, 'test', '-f', '/written'])).code, (code) => code === 0, { timeoutMs: 10_000 });
}

test('kill -9 while creating containers: each is fully created or fully gone, its name free again', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [round, delay] of [0, 15, 40].entries()) {
    const creates = Array.from({ length: 6 }, (_, i) => d.api('POST', `/containers/create?name=r${round}c${i}`, { Image: 'busybox', Cmd: ['sleep', '100000'] }).catch(() => undefined));
    await sleep(delay);
    await d.stop(true);
    const acknowledged = (await Promise.all(creates)).filter((r) => r?.status === 201).length;
    await d.restart();
    const { containers } = await assertWhole(d, `create round ${round}`);
    const mine = [...containers.values()].filter((c) => c.name.startsWith(`r${round}c`));
    assert.ok(mine.length >= acknowledged, `every acknowledged create survived (${mine.length} >= ${acknowledged})`);
    for (let i = 0; i < 6; i++) {
      const name = `r${round}c${i}`;
      const exists = mine.some((c) => c.name === name);
      // A survivor starts; a create that did not finish left its name free.
      const r = exists ? await docker(d, ['start', name]) : await docker(d, ['create', '--name', name, 'busybox', 'true']);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    }
  }
  const dirs = (await fs.readdir(`${d.dataRoot}/containers`)).filter((n) => !n.startsWith('.'));
  const listed = (await docker(d, ['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  assert.deepEqual(dirs.sort(), listed.sort(), 'no container directory without a container');
});

test('kill -9 while starting containers: each is running (and answers exec) or not started, and starts', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [round, delay] of [0, 20].entries()) {
    const names = Array.from({ length: 4 }, (_, i) => `r${round}s${i}`);
    for (const name of names) assert.equal((await docker(d, ['create', '--name', name, 'busybox', 'sleep', '100000'])).code, 0);
    const starts = names.map((n) => d.api('POST', `/containers/${n}/start`).catch(() => undefined));
    await sleep(delay);
    await d.stop(true);
    await Promise.all(starts);
    await d.restart();
    const { containers } = await assertWhole(d, `start round ${round}`);
    for (const name of names) {
      const c = [...containers.values()].find((x) => x.name === name);
      assert.ok(c, `${name} is still there`);
      if (c.state === 'running') {
        const exec = await docker(d, ['exec', name, 'true']);
        assert.equal(exec.code, 0, `${name} running: ${exec.stderr}`);
      } else {
        const start = await docker(d, ['start', name]);
        assert.equal(start.code, 0, `${name} (${c.state}) starts: ${start.stderr}`);
      }
    }
  }
});

test('kill -9 during docker commit: the container is not left paused, and no dangling image is left', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await bigContainer(d, 'pz', 64);
  const layersBefore = await layerDirs(d);
  const events = await watchEvents(d.socket, { event: ['pause'] });
  t.after(() => events.close());
  const commit = d.api('POST', '/commit?container=pz&repo=pz&tag=2').catch(() => undefined);
  // Paused, and the 64 MiB layer is being written: the worst instant.
  await events.next((e) => e.Action === 'pause');
  await sleep(150);
  await d.stop(true);
  assert.equal((await commit)?.status, undefined, 'the commit was cut short');
  await d.restart();
  const { images } = await assertWhole(d, 'commit');
  const exec = await docker(d, ['exec', 'pz', 'true']);
  assert.equal(exec.code, 0, `the container runs again: ${exec.stderr}`);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Status}}', 'pz'])).stdout.trim(), 'running');
  if (!images.has('pz:2')) assert.deepEqual(await layerDirs(d), layersBefore, 'the half-written layer is swept');
  // The commit can be made again.
  const again = await docker(d, ['commit', 'pz', 'pz:2']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await docker(d, ['exec', 'pz', 'true'])).code, 0, 'and the container runs after it');
});

test('kill -9 at any instant of a small commit: the container runs, the image is tagged or absent', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['run', '-d', '--name', 'small', 'busybox', 'sh', '-c', 'echo x >/f; sleep 100000'])).code, 0);
  for (const [round, delay] of [0, 5, 10, 20, 40, 80].entries()) {
    const commit = d.api('POST', `/commit?container=small&repo=small&tag=${round}`).catch(() => undefined);
    await sleep(delay);
    await d.stop(true);
    await commit;
    await d.restart();
    await assertWhole(d, `commit round ${round}`);
    assert.equal((await docker(d, ['exec', 'small', 'true'])).code, 0, `round ${round}: the container is not paused`);
  }
});

test('kill -9 during docker import: no dangling image, no stray layer, and the import can be made again', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const tarball = await buildTar([{ name: 'big', body: randomBytes(24 << 20) }, { name: 'small', body: 'x' }]);
  const layersBefore = await layerDirs(d);
  // Cut while the body streams, then after it was sent, over a range of delays.
  for (const [round, cut] of ['midstream', 0, 10, 30, 60, 120].entries()) {
    const ref = `imp:${round}`;
    const { req, answer } = post(d, `/images/create?fromSrc=-&repo=imp&tag=${round}`, 'application/x-tar');
    if (typeof cut === 'string') {
      req.write(tarball.subarray(0, tarball.length >> 1));
      await sleep(200);
    } else {
      req.end(tarball);
      await sleep(cut);
    }
    await d.stop(true);
    req.destroy();
    await answer;
    await d.restart();
    const { images } = await assertWhole(d, `import ${cut}`);
    if (images.has(ref)) {
      // The imported image holds only its two files (nothing to run): its content is read back with cp.
      const created = await docker(d, ['create', '--name', `imp-${round}`, ref, 'none']);
      assert.equal(created.code, 0, created.stderr);
      const small = await docker(d, ['cp', `imp-${round}:/small`, '-']);
      assert.equal(small.code, 0, `${ref} is whole: ${small.stderr}`);
      assert.equal((await docker(d, ['rm', `imp-${round}`])).code, 0);
      assert.equal((await docker(d, ['rmi', ref])).code, 0);
    }
    assert.deepEqual(await layerDirs(d), layersBefore, `import ${cut}: no layer is left behind`);
    assert.deepEqual(await fs.readdir(`${d.dataRoot}/content/ingest`), [], 'no half-written blob');
  }
  const again = await docker(d, ['import', '-', 'imp:again'], { input: tarball });
  assert.equal(again.code, 0, again.stderr);
});

test('kill -9 during docker load: the image is loaded whole with its tag, or not at all', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await bigContainer(d, 'src', 24);
  assert.equal((await docker(d, ['commit', 'src', 'loaded:1'])).code, 0);
  const file = `${d.dataRoot}/../loaded.tar`;
  const saved = await docker(d, ['save', '-o', file, 'loaded:1']);
  assert.equal(saved.code, 0, saved.stderr);
  const archive = await fs.readFile(file);
  assert.equal((await docker(d, ['rm', '-f', 'src'])).code, 0);
  assert.equal((await docker(d, ['rmi', 'loaded:1'])).code, 0);
  const layersBefore = await layerDirs(d);
  for (const [round, cut] of ['midstream', 0, 20, 60, 150].entries()) {
    const { req, answer } = post(d, '/images/load?quiet=1', 'application/x-tar');
    if (typeof cut === 'string') {
      req.write(archive.subarray(0, archive.length >> 1));
      await sleep(200);
    } else {
      req.end(archive);
      await sleep(cut);
    }
    await d.stop(true);
    req.destroy();
    await answer;
    await d.restart();
    const { images } = await assertWhole(d, `load ${cut}`);
    if (images.has('loaded:1')) {
      const cat = await docker(d, ['run', '--rm', 'loaded:1', 'test', '-s', '/big']);
      assert.equal(cat.code, 0, `round ${round}: the loaded image is whole: ${cat.stderr}`);
      assert.equal((await docker(d, ['rmi', 'loaded:1'])).code, 0);
    }
    assert.deepEqual(await layerDirs(d), layersBefore, `load ${cut}: no layer is left behind`);
  }
});

test('kill -9 while removing containers: each is fully there (and removable) or fully gone', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [round, delay] of [0, 15].entries()) {
    const names = Array.from({ length: 4 }, (_, i) => `r${round}m${i}`);
    const ids: string[] = [];
    for (const name of names) {
      const run = await docker(d, ['run', '-d', '--name', name, 'busybox', 'sleep', '100000']);
      assert.equal(run.code, 0, run.stderr);
      ids.push(run.stdout.trim());
    }
    const removals = names.map((n) => d.api('DELETE', `/containers/${n}?force=1`).catch(() => undefined));
    await sleep(delay);
    await d.stop(true);
    await Promise.all(removals);
    await d.restart();
    const { containers } = await assertWhole(d, `rm round ${round}`);
    for (const id of ids) {
      if (containers.has(id)) {
        const rm = await docker(d, ['rm', '-f', id]);
        assert.equal(rm.code, 0, `a container still listed is removable: ${rm.stderr}`);
      }
      // Gone means gone: no directory, no mount, no name.
      await pollUntil(() => existsSync(`${d.dataRoot}/containers/${id}`), (there) => !there, { timeoutMs: 5000 });
      assert.ok(!readFileSync('/proc/self/mounts', 'utf8').includes(id), `no mount of ${id.slice(0, 12)} is left`);
    }
    for (const name of names) assert.equal((await docker(d, ['create', '--name', name, 'busybox', 'true'])).code, 0, `${name} is free`);
  }
});

test('kill -9 while removing images: each is fully there with its tag, or fully gone with its layer', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['run', '-d', '--name', 'base', 'busybox', 'sleep', '100000'])).code, 0);
  const baseLayers = await layerDirs(d);
  for (const [round, delay] of [0, 10, 30].entries()) {
    const tags = Array.from({ length: 3 }, (_, i) => `gone:r${round}i${i}`);
    for (const tag of tags) {
      assert.equal((await docker(d, ['exec', 'base', 'sh', '-c', `echo ${tag} >/f`])).code, 0);
      assert.equal((await docker(d, ['commit', 'base', tag])).code, 0);
    }
    const removals = tags.map((tag) => d.api('DELETE', `/images/${tag}`).catch(() => undefined));
    await sleep(delay);
    await d.stop(true);
    await Promise.all(removals);
    await d.restart();
    const { images } = await assertWhole(d, `rmi round ${round}`);
    const left = tags.filter((tag) => images.has(tag));
    // Each commit added one layer: the layers left are exactly the images left.
    assert.equal((await layerDirs(d)).length, baseLayers.length + left.length, `rmi round ${round}: ${left.length} images left, and their layers only`);
    for (const tag of left) assert.equal((await docker(d, ['rmi', tag])).code, 0, `${tag} is removable`);
  }
});

test('kill -9 while renaming containers: each has its old name or its new one, and the other is free', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [round, delay] of [0, 10].entries()) {
    const ids = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      const r = await docker(d, ['create', '--name', `r${round}old${i}`, 'busybox', 'true']);
      assert.equal(r.code, 0, r.stderr);
      ids.set(r.stdout.trim(), i);
    }
    const renames = [...ids.values()].map((i) => d.api('POST', `/containers/r${round}old${i}/rename?name=r${round}new${i}`).catch(() => undefined));
    await sleep(delay);
    await d.stop(true);
    await Promise.all(renames);
    await d.restart();
    const { containers } = await assertWhole(d, `rename round ${round}`);
    for (const [id, i] of ids) {
      const c = containers.get(id);
      assert.ok(c, `container ${i} is still there`);
      const [oldName, newName] = [`r${round}old${i}`, `r${round}new${i}`];
      assert.ok(c.name === oldName || c.name === newName, `container ${i} is named ${c.name}`);
      const other = c.name === oldName ? newName : oldName;
      assert.equal((await docker(d, ['inspect', '-f', '{{.Id}}', c.name])).stdout.trim(), id);
      assert.equal((await docker(d, ['create', '--name', other, 'busybox', 'true'])).code, 0, `${other} is free`);
    }
  }
});

/**
 * Cut an operation between two of its durable steps: the daemon is started
 * with the failpoint armed (src/util/failpoint.ts), `op` runs until the
 * daemon kills itself there, and the daemon is started again, unarmed.
 */
async function crashAt(d: Daemon, point: string, op: () => Promise<unknown>): Promise<void> {
  await d.stop();
  await d.restart({ BERTH_FAILPOINT: point });
  const child = d.child;
  const died = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  await op();
  await died;
  assert.equal(child.signalCode, 'SIGKILL', `the daemon was cut at ${point}`);
  await d.restart();
}

test('a commit, import or load cut after its image record is written is finished at start: the image has its tag', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['run', '-d', '--name', 'cc', 'busybox', 'sh', '-c', 'echo x >/f; sleep 100000'])).code, 0);
  // An image to load: committed, saved, removed.
  assert.equal((await docker(d, ['commit', 'cc', 'toload:1'])).code, 0);
  const file = `${d.dataRoot}/../toload.tar`;
  assert.equal((await docker(d, ['save', '-o', file, 'toload:1'])).code, 0);
  assert.equal((await docker(d, ['rmi', 'toload:1'])).code, 0);
  const tarball = await buildTar([{ name: 'f', body: 'imported' }]);

  await crashAt(d, 'image-recorded', () => docker(d, ['commit', 'cc', 'fp:commit']));
  let { images } = await assertWhole(d, 'commit cut after its record');
  assert.ok(images.has('fp:commit'), 'the commit was finished');
  assert.equal((await docker(d, ['exec', 'cc', 'true'])).code, 0, 'its container is not paused');

  await crashAt(d, 'image-recorded', () => docker(d, ['import', '-', 'fp:import'], { input: tarball }));
  ({ images } = await assertWhole(d, 'import cut after its record'));
  assert.ok(images.has('fp:import'), 'the import was finished');

  await crashAt(d, 'image-recorded', () => docker(d, ['load', '-i', file]));
  ({ images } = await assertWhole(d, 'load cut after its record'));
  assert.ok(images.has('toload:1'), 'the load was finished');
  assert.equal((await docker(d, ['run', '--rm', 'toload:1', 'cat', '/f'])).code, 0);
});

test('a commit, import or load cut after unpacking its layer leaves no image and no layer behind', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['run', '-d', '--name', 'cc', 'busybox', 'sh', '-c', 'echo x >/f; sleep 100000'])).code, 0);
  assert.equal((await docker(d, ['commit', 'cc', 'toload:1'])).code, 0);
  const file = `${d.dataRoot}/../toload.tar`;
  assert.equal((await docker(d, ['save', '-o', file, 'toload:1'])).code, 0);
  assert.equal((await docker(d, ['rmi', 'toload:1'])).code, 0);
  const tarball = await buildTar([{ name: 'f', body: 'imported' }]);
  const layersBefore = await layerDirs(d);

  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['commit', () => docker(d, ['commit', 'cc', 'fp:commit']), 'fp:commit'],
    ['import', () => docker(d, ['import', '-', 'fp:import'], { input: tarball }), 'fp:import'],
    ['load', () => docker(d, ['load', '-i', file]), 'toload:1'],
  ];
  for (const [what, op, ref] of cases) {
    await crashAt(d, 'layer-unpacked', op);
    const { images } = await assertWhole(d, `${what} cut after its layer`);
    assert.ok(!images.has(ref), `${what}: no image`);
    assert.deepEqual(await layerDirs(d), layersBefore, `${what}: its layer was swept`);
  }
  assert.equal((await docker(d, ['exec', 'cc', 'true'])).code, 0, 'the committed container is not paused');
});

test('an rmi cut after untagging, or before deleting the layers, is finished at start: the image is fully gone', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['run', '-d', '--name', 'cc', 'busybox', 'sleep', '100000'])).code, 0);
  const layersBefore = await layerDirs(d);
  for (const point of ['image-untagged', 'layer-deleting']) {
    assert.equal((await docker(d, ['exec', 'cc', 'sh', '-c', `echo ${point} >/f`])).code, 0);
    assert.equal((await docker(d, ['commit', 'cc', 'gone:1'])).code, 0);
    await crashAt(d, point, () => docker(d, ['rmi', 'gone:1']));
    const { images } = await assertWhole(d, `rmi cut at ${point}`);
    assert.ok(!images.has('gone:1'), `${point}: the image is gone`);
    assert.deepEqual(await layerDirs(d), layersBefore, `${point}: its layer is gone`);
  }
});

test('an image prune -a cut after untagging, or before deleting the layers, is finished at start: the image is fully gone', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  // busybox is in use by cc, so the prune removes only the committed image.
  assert.equal((await docker(d, ['run', '-d', '--name', 'cc', 'busybox', 'sleep', '100000'])).code, 0);
  const layersBefore = await layerDirs(d);
  for (const point of ['image-untagged', 'layer-deleting']) {
    assert.equal((await docker(d, ['exec', 'cc', 'sh', '-c', `echo ${point} >/f`])).code, 0);
    assert.equal((await docker(d, ['commit', 'cc', 'pruned:1'])).code, 0);
    await crashAt(d, point, () => docker(d, ['image', 'prune', '-a', '-f']));
    const { images } = await assertWhole(d, `prune cut at ${point}`);
    assert.ok(!images.has('pruned:1'), `${point}: the image is gone`);
    assert.ok(images.has('busybox:latest'), `${point}: the image in use is kept`);
    assert.deepEqual(await layerDirs(d), layersBefore, `${point}: its layer is gone`);
  }
});

test('an update cut between the cgroup and the record leaves the cgroup as the record says', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const run = await docker(d, ['run', '-d', '--name', 'upd', '--pids-limit', '100', 'busybox', 'sleep', '100000']);
  assert.equal(run.code, 0, run.stderr);
  const pidsMax = async () => {
    const pid = (await docker(d, ['inspect', '-f', '{{.State.Pid}}', 'upd'])).stdout.trim();
    const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => /^\d+:pids:/.test(l) || l.startsWith('0::'));
    assert.ok(line, 'the pids cgroup of the container');
    const rel = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    const base = line.startsWith('0::') ? '/sys/fs/cgroup' : '/sys/fs/cgroup/pids';
    return readFileSync(`${base}${rel}/pids.max`, 'utf8').trim();
  };
  assert.equal(await pidsMax(), '100');
  await crashAt(d, 'update-applied', () => docker(d, ['update', '--pids-limit', '50', 'upd']));
  await assertWhole(d, 'update cut');
  const recorded = (await docker(d, ['inspect', '-f', '{{.HostConfig.PidsLimit}}', 'upd'])).stdout.trim();
  assert.equal(recorded, '100', 'the record kept the limit it had');
  assert.equal(await pidsMax(), '100', 'and the cgroup was set back to it');
  assert.equal((await docker(d, ['exec', 'upd', 'true'])).code, 0);
});
