/**
 * The local driver's mounts, through the volume service itself (the
 * container side calls it; containers land separately): real tmpfs and
 * bind mounts on a temporary data root, counted per user, unmounted after
 * the last, a crash's leftover mount adopted or unmounted by `settle`, and
 * a removed bind volume never deleting its source. /proc/mounts is clean
 * after each test.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { EventsService } from '../../../src/engine/events/events-service.ts';
import { VolumeService } from '../../../src/engine/volumes/volume-service.ts';
import { requireRoot } from '../../helpers/daemon.ts';
import { assertNoMounts, mountsUnder } from './helpers.ts';

interface Setup {
  root: string;
  events: EventsService;
  service: () => Promise<VolumeService>;
}

/** A temporary data root, unmounted and removed after the test; `service()` opens a fresh service on it (as a daemon start would). */
function setup(t: TestContext): Setup {
  const root = mkdtempSync('/tmp/berth-vmnt-');
  const events = new EventsService();
  t.after(async () => {
    for (const m of mountsUnder(root)) spawnSync('umount', ['-l', m]);
    await fs.rm(root, { recursive: true, force: true });
  });
  return {
    root,
    events,
    service: async () => {
      const s = new VolumeService({ dataRoot: `${root}/data`, events });
      await s.load();
      return s;
    },
  };
}

const fsTypeAt = (dir: string) =>
  readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[1] === dir)?.[2];

const use = (containerId: string, destination = '/data') => ({ containerId, destination, rw: true, propagation: '' });

test('a tmpfs volume is mounted at its first user and unmounted after its last, with mount/unmount events', async (t) => {
  if (!requireRoot(t)) return;
  const { root, events, service } = setup(t);
  const s = await service();
  await s.create({ name: 'tmp', driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,mode=0750' } });
  const seen: string[] = [];
  const { unsubscribe } = events.subscribe((e) => seen.push(`${e.Action} ${e.Actor.ID} ${JSON.stringify(e.Actor.Attributes)}`));
  const path = await s.mount('tmp', { containerId: 'c1', destination: '/d', rw: false, propagation: 'rprivate' });
  assert.equal(path, `${root}/data/volumes/tmp/_data`);
  assert.equal(fsTypeAt(path), 'tmpfs');
  assert.equal((await fs.stat(path)).mode & 0o777, 0o750);
  await fs.writeFile(`${path}/f`, 'x');
  await s.mount('tmp', use('c2'));
  await s.unmount('tmp', 'c1');
  assert.equal(fsTypeAt(path), 'tmpfs', 'still used by c2');
  await assert.rejects(s.remove('tmp'), { message: 'remove tmp: volume is in use - [c2]' });
  await s.unmount('tmp', 'c2');
  assert.equal(fsTypeAt(path), undefined);
  assert.equal(existsSync(`${path}/f`), false, 'the tmpfs content went with it');
  unsubscribe();
  assert.deepEqual(seen, [
    'mount tmp {"container":"c1","destination":"/d","driver":"local","propagation":"rprivate","read/write":"false"}',
    'mount tmp {"container":"c2","destination":"/data","driver":"local","propagation":"","read/write":"true"}',
    'unmount tmp {"container":"c1","driver":"local"}',
    'unmount tmp {"container":"c2","driver":"local"}',
  ]);
  await s.remove('tmp');
  assertNoMounts(root);
});

test('a bind volume (type=none,o=bind) shows its source, and removing it never deletes the source', async (t) => {
  if (!requireRoot(t)) return;
  const { root, service } = setup(t);
  const source = `${root}/source`;
  await fs.mkdir(source);
  await fs.writeFile(`${source}/keep`, 'precious');
  const s = await service();
  await s.create({ name: 'bound', driverOpts: { type: 'none', o: 'bind', device: source } });
  const path = await s.mount('bound', use('c1'));
  assert.equal(await fs.readFile(`${path}/keep`, 'utf8'), 'precious');
  await fs.writeFile(`${path}/new`, 'written through');
  // A container that mounts it twice (two destinations) holds it until both are released.
  await s.mount('bound', use('c1', '/other'));
  await s.unmount('bound', 'c1');
  assert.equal(existsSync(`${path}/keep`), true);
  await s.unmount('bound', 'c1');
  assert.equal(existsSync(`${path}/keep`), false);
  assert.equal(await fs.readFile(`${source}/new`, 'utf8'), 'written through');

  // Left mounted (as a crash would leave it), then removed: unmounted first, the source intact.
  await s.mount('bound', use('c2'));
  const crashed = await service(); // a new daemon on the same root; nobody adopts c2
  await crashed.remove('bound');
  assert.deepEqual(await fs.readdir(source).then((n) => n.sort()), ['keep', 'new']);
  assert.deepEqual(await fs.readdir(`${root}/data/volumes`), []);
  assertNoMounts(`${root}/data`);
});

test('after a crash, a mount nobody adopts is unmounted by settle; an adopted one stays until its last user', async (t) => {
  if (!requireRoot(t)) return;
  const { root, events, service } = setup(t);
  const first = await service();
  await first.create({ name: 'orphan', driverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  await first.create({ name: 'adopted', driverOpts: { type: 'tmpfs', device: 'tmpfs' } });
  await first.create({ name: 'plain' });
  const orphan = await first.mount('orphan', use('gone'));
  const adopted = await first.mount('adopted', use('alive'));
  await first.mount('plain', use('alive'));

  // The daemon dies; a new one loads, re-adopts the live container, then settles.
  const s = await service();
  const seen: string[] = [];
  const { unsubscribe } = events.subscribe((e) => seen.push(`${e.Action} ${e.Actor.ID}`));
  s.adopt('adopted', 'alive');
  s.adopt('plain', 'alive');
  await s.settle();
  assert.equal(fsTypeAt(orphan), undefined, 'nobody took it: unmounted');
  assert.equal(fsTypeAt(adopted), 'tmpfs');
  assert.deepEqual(seen, [], 'adopting announces nothing');
  assert.deepEqual(s.list({ dangling: ['true'] }).map((v) => v.name), ['orphan']);
  await assert.rejects(s.remove('adopted'), { message: 'remove adopted: volume is in use - [alive]' });
  // A new user of the orphan mounts it afresh.
  await s.mount('orphan', use('new'));
  assert.equal(fsTypeAt(orphan), 'tmpfs');
  await s.unmount('orphan', 'new');
  await s.unmount('adopted', 'alive');
  await s.unmount('plain', 'alive');
  unsubscribe();
  assert.equal(fsTypeAt(adopted), undefined);
  assert.deepEqual((await s.prune({ all: ['true'] })).volumesDeleted.sort(), ['adopted', 'orphan', 'plain']);
  assertNoMounts(root);
});

test('a mount that fails leaves the volume unused and says why in dockerd’s words', async (t) => {
  if (!requireRoot(t)) return;
  const { root, service } = setup(t);
  const s = await service();
  await s.create({ name: 'broken', driverOpts: { type: 'none', o: 'bind', device: `${root}/does-not-exist` } });
  await s.create({ name: 'badopt', driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,bogus=1' } });
  const mp = (name: string) => `${root}/data/volumes/${name}/_data`;
  await assert.rejects(s.mount('broken', use('c1')), {
    message: `error while mounting volume '${mp('broken')}': failed to mount local volume: mount ${root}/does-not-exist:${mp('broken')}, flags: 0x1000: no such file or directory`,
  });
  await assert.rejects(s.mount('badopt', use('c1')), {
    message: `error while mounting volume '${mp('badopt')}': failed to mount local volume: mount tmpfs:${mp('badopt')}, data: size=1m,bogus=1: invalid argument`,
  });
  assert.deepEqual(s.list({ dangling: ['true'] }).map((v) => v.name), ['badopt', 'broken']);
  await s.remove('broken');
  await s.remove('badopt');
  assertNoMounts(root);
});

test('read-only local volumes: a tmpfs with o=ro, a bind with o=bind,ro (remounted read-only, as dockerd)', async (t) => {
  if (!requireRoot(t)) return;
  const { root, service } = setup(t);
  const source = `${root}/source`;
  await fs.mkdir(source);
  const s = await service();
  await s.create({ name: 'rotmp', driverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'ro,size=1m' } });
  await s.create({ name: 'robind', driverOpts: { type: 'none', device: source, o: 'bind,ro' } });
  for (const name of ['rotmp', 'robind']) {
    const path = await s.mount(name, use('c1'));
    await assert.rejects(fs.writeFile(`${path}/f`, 'x'), { code: 'EROFS' }, name);
    await s.unmount(name, 'c1');
  }
  await fs.writeFile(`${source}/still-writable`, 'x');
  assertNoMounts(`${root}/data`);
});
