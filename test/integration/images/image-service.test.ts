import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ContentStore } from '../../../src/store/content/content-store.ts';
import { LayerStore } from '../../../src/store/layers/layer-store.ts';
import { ImageService, type ImageUser } from '../../../src/engine/images/image-service.ts';
import { execFile } from '../../../src/drivers/exec-file.ts';
import { native } from '../../../src/drivers/native.ts';
import { ConflictError, NotFoundError } from '../../../src/util/errors.ts';
import type { ProgressEvent } from '../../../src/engine/progress-event.ts';
import { buildTar, requireRoot, streamOf, tempDir, type TestContext } from './helpers.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/busybox-ref.tar');

async function newService(t: TestContext, users: Map<string, ImageUser> = new Map()): Promise<{ dir: string; svc: ImageService }> {
  const dir = await tempDir(t, 'images');
  const content = new ContentStore(path.join(dir, 'content'));
  const svc = new ImageService({ dataRoot: dir, content, layers: new LayerStore(path.join(dir, 'layers'), { content, sys: native() }), isImageInUse: (id) => users.get(id) });
  await svc.reconcile();
  return { dir, svc };
}

test('a docker save tarball loads, inspects like Docker, and survives a restart', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, svc } = await newService(t);
  const events: ProgressEvent[] = [];
  const [id] = await svc.load(createReadStream(FIXTURE), (e) => void events.push(e));
  assert.deepEqual(events, [{ kind: 'loaded', id, ref: 'busybox-ref:latest' }]);
  assert.equal(id, 'sha256:641a4b4d320681b7b02af324295f98ffc5ab378f75aafe26040ce6fe91a25660');
  const inspect = svc.inspect('busybox-ref');
  assert.equal(inspect.Id, id);
  assert.deepEqual(inspect.RepoTags, ['busybox-ref:latest']);
  assert.deepEqual(inspect.Config?.Cmd, ['sh']);
  assert.equal(inspect.Size, 1984240, 'Docker\'s size for the same image');
  assert.deepEqual(inspect.RootFS.Layers, ['sha256:21094f3aeb1b97f121cf6e1a919e777647d64b253fa485633b43907d8e813800']);
  assert.equal(inspect.GraphDriver.Name, 'overlay2');
  const resolved = svc.resolve('busybox-ref:latest');
  assert.ok(existsSync(path.join(resolved.lowerDirs[0]!, 'bin/sh')));
  assert.deepEqual(svc.history('busybox-ref').map((h) => [h.Id, h.Comment, h.Size, h.Tags]), [[id, 'Imported from -', 1984240, ['busybox-ref:latest']]]);
  assert.equal(svc.list()[0]!.RepoDigests, null);
  assert.throws(() => svc.inspect('nope'), (e: unknown) => e instanceof NotFoundError && e.message === 'no such image: nope: No such image: nope:latest');

  const again = new ImageService({ dataRoot: dir, content: svc.content, layers: new LayerStore(svc.layers.root, { content: svc.content, sys: native() }), isImageInUse: () => undefined });
  await again.reconcile();
  assert.deepEqual(again.inspect(id!.slice(7, 19)), inspect);
});

test('save produces a tarball that loads back (and into the reference Docker when it runs)', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, svc } = await newService(t);
  await svc.load(createReadStream(FIXTURE));
  await svc.tag('busybox-ref', 'localhost:5000/saved/img', 'v1');
  const out = path.join(dir, 'saved.tar');
  await pipeline(svc.save(['localhost:5000/saved/img:v1']), createWriteStream(out));
  const { svc: other } = await newService(t);
  const events: ProgressEvent[] = [];
  await other.load(createReadStream(out), (e) => void events.push(e));
  assert.deepEqual(events, [{ kind: 'loaded', id: svc.inspect('busybox-ref').Id, ref: 'localhost:5000/saved/img:v1' }]);
  assert.equal(other.inspect('localhost:5000/saved/img:v1').Id, svc.inspect('busybox-ref').Id);
  assert.throws(() => svc.save(['missing']), NotFoundError);

  if (!referenceDockerRunning()) return; // no reference engine here: the round trip above must do
  const env = { ...process.env, DOCKER_HOST: REFERENCE_DOCKER_HOST };
  const r = await execFile('docker', ['load', '-i', out], { env });
  assert.match(r.stdout, /Loaded image: localhost:5000\/saved\/img:v1/);
  await execFile('docker', ['rmi', 'localhost:5000/saved/img:v1'], { env });
});

test('bootstrap builds busybox offline with every applet, deterministically', async (t) => {
  if (!requireRoot(t)) return;
  const { svc } = await newService(t);
  const id = await svc.bootstrapBusybox();
  const { svc: other } = await newService(t);
  assert.equal(await other.bootstrapBusybox(), id, 'same host binary → same image ID');
  const img = svc.resolve('busybox');
  assert.deepEqual(img.config.Cmd, ['sh']);
  assert.deepEqual(img.config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  const root = img.lowerDirs[0]!;
  const { stdout } = await execFile('/usr/bin/busybox', ['--list']);
  const bb = await fs.stat(path.join(root, 'bin/busybox'));
  for (const applet of stdout.split('\n').filter(Boolean)) {
    assert.equal((await fs.stat(path.join(root, 'bin', applet))).ino, bb.ino, applet);
  }
  assert.equal((await fs.stat(path.join(root, 'tmp'))).mode & 0o7777, 0o1777);
  assert.match(await fs.readFile(path.join(root, 'etc/passwd'), 'utf8'), /^root:x:0:0:/);
  assert.match(await fs.readFile(path.join(root, 'etc/passwd'), 'utf8'), /nobody:x:65534:65534/);
});

test('import and commit make images with history; rmi follows Docker\'s conflict rules', async (t) => {
  if (!requireRoot(t)) return;
  const users = new Map<string, ImageUser>();
  const { dir, svc } = await newService(t, users);
  const base = await svc.import({ stream: streamOf(await buildTar([{ name: 'hello', body: 'hi' }])) }, {
    repo: 'imported',
    tag: 'v1',
    changes: ['CMD ["/hello"]', 'ENV A=1'],
    message: 'first',
  });
  assert.deepEqual(svc.inspect('imported:v1').Config?.Cmd, ['/hello']);
  assert.equal(svc.inspect('imported:v1').Comment, 'first');

  const upper = path.join(dir, 'upper');
  await fs.mkdir(upper);
  await fs.writeFile(path.join(upper, 'added'), 'x');
  const committed = await svc.commit({ containerId: 'c'.repeat(64), containerConfig: { Cmd: ['touch', '/added'], Env: ['A=1'] }, upperDir: upper, parentImageId: base, repo: 'committed', comment: 'second', changes: ['CMD ["sh"]'] });
  const ins = svc.inspect('committed');
  assert.equal(ins.Parent, base);
  assert.equal(ins.RootFS.Layers?.length, 2);
  assert.deepEqual(ins.Config?.Cmd, ['sh']);
  assert.deepEqual(svc.history('committed').map((h) => [h.Id, h.CreatedBy, h.Comment]), [
    [committed, 'touch /added', 'second'],
    [base, '', 'first'],
  ]);
  assert.equal(svc.resolve('committed').lowerDirs.length, 2);

  await assert.rejects(svc.remove(base), (e: unknown) => e instanceof ConflictError && /image has dependent child images/.test(e.message));
  assert.deepEqual(await svc.remove('imported:v1'), [{ Untagged: 'imported:v1' }], 'a parent with children is only untagged');
  users.set(committed, { id: 'a'.repeat(64), running: true });
  await assert.rejects(svc.remove('committed'), (e: unknown) => e instanceof ConflictError && e.message === `conflict: unable to remove repository reference "committed" (must force) - container aaaaaaaaaaaa is using its referenced image ${committed.slice(7, 19)}`);
  await assert.rejects(svc.remove(committed, { force: true }), (e: unknown) => e instanceof ConflictError && /cannot be forced\) - image is being used by running container aaaaaaaaaaaa/.test(e.message));
  users.set(committed, { id: 'a'.repeat(64), running: false });
  await assert.rejects(svc.remove(committed), (e: unknown) => e instanceof ConflictError && /must be forced\) - image is being used by stopped container/.test(e.message));
  users.delete(committed);

  await svc.tag('committed', 'again');
  assert.deepEqual(await svc.remove('again'), [{ Untagged: 'again:latest' }]);
  const removed = await svc.remove('committed');
  assert.deepEqual(removed.slice(0, 2), [{ Untagged: 'committed:latest' }, { Deleted: committed }]);
  assert.deepEqual(removed[3], { Deleted: base }, 'the now dangling parent is pruned');
  assert.equal(removed.length, 5, 'each image releases its own layer');
  assert.equal(svc.findId('committed'), undefined);
  assert.equal(svc.count(), 0);
  const pruned = await svc.prune({ filters: new Map([['dangling', ['false']]]) });
  assert.deepEqual(pruned, { ImagesDeleted: null, SpaceReclaimed: 0 });
  assert.deepEqual(svc.layers.list(), []);
});

test('a docker save tarball whose shared layer is a symlink to another image\'s (as dockerd writes it) loads', async (t) => {
  if (!requireRoot(t)) return;
  const { svc } = await newService(t);
  const { createHash } = await import('node:crypto');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const base = await buildTar([{ name: 'base.txt', body: 'base\n', mode: 0o644 }]);
  const top = await buildTar([{ name: 'top.txt', body: 'top\n', mode: 0o644 }]);
  const config = (layers: Buffer[], cmd: string) =>
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: [cmd] }, rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha(l)}`) }, history: [] }));
  const one = config([base], 'one');
  const two = config([base, top], 'two');
  // The second image's copy of the base layer is a link to the first one's, under another v1 id.
  const archive = await buildTar([
    { name: 'aaa/layer.tar', body: base, mode: 0o644 },
    { name: 'bbb/', type: 'directory', mode: 0o755 },
    { name: 'bbb/layer.tar', type: 'symlink', linkname: '../aaa/layer.tar' },
    { name: 'ccc/layer.tar', body: top, mode: 0o644 },
    { name: `${sha(one)}.json`, body: one, mode: 0o644 },
    { name: `${sha(two)}.json`, body: two, mode: 0o644 },
    {
      name: 'manifest.json',
      mode: 0o644,
      body: JSON.stringify([
        { Config: `${sha(one)}.json`, RepoTags: ['shared:one'], Layers: ['aaa/layer.tar'] },
        { Config: `${sha(two)}.json`, RepoTags: ['shared:two'], Layers: ['bbb/layer.tar', 'ccc/layer.tar'] },
      ]),
    },
  ]);
  const events: ProgressEvent[] = [];
  await svc.load(streamOf(archive), (e) => void events.push(e));
  assert.deepEqual(events.map((e) => e.kind === 'loaded' && e.ref), ['shared:one', 'shared:two']);
  const lower = svc.resolve('shared:two').lowerDirs;
  assert.equal(lower.length, 2);
  assert.ok(existsSync(path.join(lower[1]!, 'base.txt')) && existsSync(path.join(lower[0]!, 'top.txt')));
});

test('load tells of a tag taken from another image, and of an image saved by ID alone', async (t) => {
  if (!requireRoot(t)) return;
  const { dir, svc } = await newService(t);
  const a = await svc.import({ stream: streamOf(await buildTar([{ name: 'a', body: 'a' }])) }, { repo: 'moved', tag: '1' });
  const tagged = path.join(dir, 'tagged.tar');
  await pipeline(svc.save(['moved:1']), createWriteStream(tagged));
  const byId = path.join(dir, 'by-id.tar');
  await pipeline(svc.save([a]), createWriteStream(byId));
  const b = await svc.import({ stream: streamOf(await buildTar([{ name: 'b', body: 'b' }])) }, { repo: 'moved', tag: '1' });

  const events: ProgressEvent[] = [];
  assert.deepEqual(await svc.load(createReadStream(tagged), (e) => void events.push(e)), [a]);
  assert.deepEqual(events, [
    { kind: 'tag-moved', ref: 'moved:1', previousId: b },
    { kind: 'loaded', id: a, ref: 'moved:1' },
  ]);
  assert.equal(svc.inspect('moved:1').Id, a);

  const { svc: other } = await newService(t);
  const more: ProgressEvent[] = [];
  await other.load(createReadStream(byId), (e) => void more.push(e));
  assert.deepEqual(more, [{ kind: 'loaded', id: a }]);
});
