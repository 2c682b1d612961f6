/**
 * Copy-up, as dockerd does it at create: a new, empty volume mounted over a
 * non-empty directory of the image is filled with it (owners, modes, links
 * kept, the volume's root taking the directory's owner and mode), unless
 * `nocopy`; an image's VOLUME becomes an anonymous volume seeded so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { assertNoMountsLeft, CLIS, ok } from './containers-helpers.ts';

for (const cli of CLIS) {
  test(`${cli.name}: an image's VOLUME is an anonymous volume seeded from the image; -v and --mount copy up unless nocopy`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    // The fixture image: /data with owners and modes of its own, made a VOLUME by commit --change.
    await ok(CLIS[0]!, d, ['run', '--name', 'src', 'busybox', 'sh', '-c', 'mkdir -p /data/sub && echo hello > /data/sub/f && ln -s sub/f /data/link && chown -R 1000:2000 /data && chmod 750 /data && chmod 640 /data/sub/f']);
    await ok(CLIS[0]!, d, ['commit', '--change', 'VOLUME /data', 'src', 'withvol']);
    await ok(CLIS[0]!, d, ['rm', 'src']);
    assert.equal(await ok(cli, d, ['image', 'inspect', '-f', '{{json .Config.Volumes}}', 'withvol']), '{"/data":{}}');

    const stat = 'stat -c "%u %g %a %N" /data /data/sub/f /data/link';
    const seeded = "1000 2000 750 /data\n1000 2000 640 /data/sub/f\n1000 2000 777 '/data/link' -> 'sub/f'";
    const id = await ok(cli, d, ['run', '-d', 'withvol', 'sh', '-c', `${stat}; echo added > /data/new`]);
    assert.equal((await ok(cli, d, ['wait', id])), '0');
    assert.equal(await ok(cli, d, ['logs', id]), seeded);
    const [mount] = JSON.parse(await ok(cli, d, ['inspect', '-f', '{{json .Mounts}}', id])) as Array<{ Name: string; Source: string; Mode: string }>;
    assert.match(mount!.Name, /^[0-9a-f]{64}$/);
    assert.equal(mount!.Mode, '');
    // The image's content is in the volume (not only seen through the container), with what the container added.
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', `${mount!.Name}:/v`, 'busybox', 'cat', '/v/sub/f', '/v/new']), 'hello\nadded');
    // docker diff and commit leave the volume's content out.
    assert.equal(await ok(cli, d, ['diff', id]), '');
    await ok(cli, d, ['commit', id, 'committed']);
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', '/data', 'committed', 'ls', '/data']), 'link\nsub', 'a commit holds no file written to a volume');
    await ok(cli, d, ['rm', '-v', id]);

    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'cu:/data', 'withvol', 'sh', '-c', stat]), seeded);
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', 'source=cu2,target=/data', 'withvol', 'sh', '-c', stat]), seeded);
    // A volume with content is not filled again; an emptied one is, as dockerd fills any empty volume.
    await ok(cli, d, ['run', '--rm', '-v', 'cu:/x', 'busybox', 'sh', '-c', 'rm -r /x/sub /x/link; touch /x/marker']);
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'cu:/data', 'withvol', 'ls', '-A', '/data']), 'marker');
    await ok(cli, d, ['run', '--rm', '-v', 'cu:/x', 'busybox', 'rm', '/x/marker']);
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'cu:/data', 'withvol', 'ls', '/data']), 'link\nsub');
    // nocopy: the volume stays empty, its root root-owned 755.
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'nc:/data:nocopy', 'withvol', 'sh', '-c', 'ls -A /data; stat -c "%u %g %a" /data']), '0 0 755');
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', 'type=volume,dst=/data,volume-nocopy', 'withvol', 'sh', '-c', 'ls -A /data; stat -c "%u %g %a" /data']), '0 0 755');
    // A directory the image does not have: nothing to copy.
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'fresh:/nowhere', 'busybox', 'ls', '-A', '/nowhere']), '');
    await ok(cli, d, ['rmi', 'committed', 'withvol']);
    await assertNoMountsLeft(d);
  });
}

test('the create body\'s Volumes (as the SDKs send it) are anonymous volumes; PUT /archive and docker cp reach them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const created = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: ['sh', '-c', 'cat /vol/in; echo out > /vol/out'], Volumes: { '/vol': {} }, HostConfig: { NetworkMode: 'none' } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.Id as string;
  const inspect = (await d.api('GET', `/containers/${id}/json`)).body;
  assert.deepEqual(inspect.Config.Volumes, { '/vol': {} });
  assert.equal(inspect.Mounts.length, 1);
  assert.equal(inspect.Mounts[0].Destination, '/vol');

  // docker cp into a created container's volume (PUT /archive into a path the rootfs does not have).
  const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/berth-vctr-cp-'));
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })));
  await import('node:fs/promises').then((fs) => fs.writeFile(`${dir}/in`, 'copied in\n'));
  const cpIn = await docker(d, ['cp', `${dir}/in`, `${id}:/vol/in`]);
  assert.equal(cpIn.code, 0, cpIn.stderr);
  assert.equal(await import('node:fs/promises').then((fs) => fs.readFile(`${inspect.Mounts[0].Source}/in`, 'utf8')), 'copied in\n', 'written into the volume, not the rootfs');
  assert.equal((await docker(d, ['start', '-a', id])).stdout, 'copied in\n');
  // Out of a stopped container's volume.
  const cpOut = await docker(d, ['cp', `${id}:/vol/out`, `${dir}/out`]);
  assert.equal(cpOut.code, 0, cpOut.stderr);
  assert.equal(await import('node:fs/promises').then((fs) => fs.readFile(`${dir}/out`, 'utf8')), 'out\n');
  // And of a running one's, through berth too.
  await ok(CLIS[1]!, d, ['run', '-d', '--name', 'live', '-v', 'livevol:/lv', 'busybox', 'sh', '-c', 'echo live > /lv/f; sleep 60']);
  await ok(CLIS[1]!, d, ['exec', 'live', 'sh', '-c', 'test -f /lv/f']);
  await ok(CLIS[1]!, d, ['cp', 'live:/lv/f', `${dir}/live`]);
  assert.equal(await import('node:fs/promises').then((fs) => fs.readFile(`${dir}/live`, 'utf8')), 'live\n');
  await ok(CLIS[1]!, d, ['cp', `${dir}/in`, 'live:/lv/in']);
  assert.equal(await ok(CLIS[1]!, d, ['exec', 'live', 'cat', '/lv/in']), 'copied in');
  await ok(CLIS[1]!, d, ['rm', '-f', 'live']);
  assert.equal(await ok(CLIS[1]!, d, ['run', '--rm', '-v', 'livevol:/x', 'busybox', 'cat', '/x/in']), 'copied in');
  await assertNoMountsLeft(d);
});
