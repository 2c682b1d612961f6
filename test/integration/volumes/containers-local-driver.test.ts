/**
 * Local volumes with driver options used by containers: `type=tmpfs` (its
 * filesystem mounted while a container uses it, gone with the last one) and
 * `type=none,o=bind,device=DIR` (the container writes into DIR); the
 * volume events a container's life gives, in dockerd's order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { watchEvents } from '../../helpers/wait.ts';
import { assertNoMountsLeft, CLIS, mountsOf, ok } from './containers-helpers.ts';

for (const cli of CLIS) {
  test(`${cli.name}: a tmpfs and a bind local volume used by containers`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const dir = await fs.mkdtemp('/tmp/berth-vctr-bind-');
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.writeFile(`${dir}/seed`, 'seed\n');
    await ok(cli, d, ['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'tmp']);
    await ok(cli, d, ['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${dir}`, 'bound']);
    const tmpData = `${d.dataRoot}/volumes/tmp/_data`;

    await ok(cli, d, ['run', '-d', '--name', 'user', '-v', 'tmp:/t', '-v', 'bound:/b', 'busybox', 'sh', '-c', 'echo hi > /t/f; cat /b/seed > /b/copy; sleep 60']);
    await ok(cli, d, ['exec', 'user', 'test', '-f', '/t/f']);
    assert.equal(await ok(cli, d, ['exec', 'user', 'sh', '-c', "df -k /t | tail -1 | awk '{print $1, $2}'"]), 'tmpfs 1024');
    assert.ok(mountsOf(d).includes(tmpData), 'the tmpfs is mounted while a container uses it');
    // A second user shares the same filesystem.
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'tmp:/t', 'busybox', 'cat', '/t/f']), 'hi');
    assert.ok(mountsOf(d).includes(tmpData), 'still mounted for the first user');
    assert.equal(await fs.readFile(`${dir}/copy`, 'utf8'), 'seed\n', 'the bind volume writes into its device directory');
    // docker cp into a running container's tmpfs volume reaches the live filesystem.
    await ok(cli, d, ['cp', `${dir}/seed`, 'user:/t/seed']);
    assert.equal(await ok(cli, d, ['exec', 'user', 'cat', '/t/seed']), 'seed');
    // The copy-up of a new, empty tmpfs volume goes into the tmpfs, which dockerd unmounts right after: it is lost (dockerd 20.10 too).
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', 'type=volume,dst=/etc,volume-opt=type=tmpfs,volume-opt=device=tmpfs', 'busybox', 'sh', '-c', 'test -e /etc/passwd || echo gone']), 'gone');
    await ok(cli, d, ['rm', '-f', 'user']);
    assert.ok(!mountsOf(d).includes(tmpData), 'unmounted after its last user');
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'tmp:/t', 'busybox', 'ls', '-A', '/t']), '', "a tmpfs volume's content goes with its last user");
    // docker cp through a stopped container's bind volume reaches its device directory, both ways.
    await ok(cli, d, ['create', '--name', 'idle', '-v', 'bound:/b', 'busybox', 'true']);
    await ok(cli, d, ['cp', `${dir}/seed`, 'idle:/b/cp-in']);
    assert.equal(await fs.readFile(`${dir}/cp-in`, 'utf8'), 'seed\n');
    await ok(cli, d, ['cp', 'idle:/b/copy', `${dir}/cp-out`]);
    assert.equal(await fs.readFile(`${dir}/cp-out`, 'utf8'), 'seed\n');
    // Through a stopped container's tmpfs volume: a tmpfs mounted for the copy (dockerd's), nothing written beneath it, nothing left mounted.
    await ok(cli, d, ['create', '--name', 'idle-tmp', '-v', 'tmp:/t', 'busybox', 'true']);
    await ok(cli, d, ['cp', `${dir}/seed`, 'idle-tmp:/t/seed']);
    assert.deepEqual(await fs.readdir(tmpData), [], 'not written beneath the tmpfs');
    assert.ok(!mountsOf(d).includes(tmpData), 'unmounted after the copy');
    await ok(cli, d, ['rm', 'idle', 'idle-tmp']);
    assert.equal(await ok(cli, d, ['volume', 'ls', '-q']), 'bound\ntmp');
    await assertNoMountsLeft(d);
  });
}

test('volume events of a container: create before the container\'s create, mount before its start, unmount after it dies, destroy with rm -v', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const events = await watchEvents(d.socket, { type: ['volume', 'container'] });
  t.after(() => events.close());
  const id = (await docker(d, ['run', '-d', '-v', '/anon', '-v', 'named:/n:ro', 'busybox', 'true'])).stdout.trim();
  assert.equal((await docker(d, ['wait', id])).stdout.trim(), '0');
  const anon = (JSON.parse((await docker(d, ['inspect', '-f', '{{json .Mounts}}', id])).stdout) as Array<{ Name: string; Destination: string }>).find((m) => m.Destination === '/anon')!.Name;
  await docker(d, ['rm', '-v', id]);
  const seen: string[] = [];
  for (;;) {
    const e = await events.next(() => true);
    const who = e.Actor.ID === id ? 'ctr' : e.Actor.ID === anon ? 'anon' : e.Actor.ID;
    seen.push(`${e.Type} ${e.Action} ${who}`);
    if (e.Type === 'container' && e.Action === 'destroy') break;
  }
  const order = (...wanted: string[]) => wanted.map((w) => seen.indexOf(w));
  for (const w of ['volume create named', 'volume create anon', 'container create ctr', 'volume mount named', 'volume mount anon', 'container start ctr', 'container die ctr', 'volume unmount named', 'volume unmount anon', 'volume destroy anon', 'container destroy ctr']) {
    assert.ok(seen.includes(w), `${w} in ${seen.join(', ')}`);
  }
  const [createAnon, createCtr, mount, start, die, unmount, destroyAnon, destroyCtr] = order('volume create anon', 'container create ctr', 'volume mount anon', 'container start ctr', 'container die ctr', 'volume unmount anon', 'volume destroy anon', 'container destroy ctr');
  assert.ok(createAnon! < createCtr! && createCtr! < mount! && mount! < start! && die! < unmount! && unmount! < destroyAnon! && destroyAnon! < destroyCtr!, seen.join(', '));
  assert.ok(!seen.includes('volume destroy named'), 'a named volume stays');
  const mountEvent = await d.api('GET', `/events?since=0&until=${Math.ceil(Date.now() / 1000) + 1}&filters=${encodeURIComponent(JSON.stringify({ type: ['volume'], event: ['mount'], volume: ['named'] }))}`);
  assert.equal(mountEvent.status, 200);
  const attrs = (JSON.parse(mountEvent.text.trim().split('\n')[0]!) as { Actor: { Attributes: Record<string, string> } }).Actor.Attributes;
  assert.deepEqual(attrs, { container: id, destination: '/n', driver: 'local', propagation: '', 'read/write': 'false' });
  await assertNoMountsLeft(d);
});
