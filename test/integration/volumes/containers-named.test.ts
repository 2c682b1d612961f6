/**
 * Containers with named and anonymous volumes, through the real docker CLI
 * and berth: data outliving its container, inspect `Mounts` in dockerd's
 * shape, `:ro`, `--mount` in its long and short keys, in-use removal refused,
 * prune keeping what is used, `rm -v` and `--rm` removing only anonymous volumes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';
import { assertNoMountsLeft, CLIS, ok } from './containers-helpers.ts';

const HEX64 = /^[0-9a-f]{64}$/;

for (const cli of CLIS) {
  test(`${cli.name}: a named volume's data outlives its container and is read by another; :ro is read-only`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    await ok(cli, d, ['run', '--name', 'writer', '-v', 'keep:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']);
    await ok(cli, d, ['rm', '-v', 'writer']);
    assert.equal(await ok(cli, d, ['volume', 'ls', '-q']), 'keep', 'a named volume stays after rm -v');
    assert.equal(await ok(cli, d, ['run', '--rm', '-v', 'keep:/other', 'busybox', 'cat', '/other/f']), 'kept');
    const ro = await cli.run(d, ['run', '--rm', '-v', 'keep:/data:ro', 'busybox', 'touch', '/data/x']);
    assert.equal(ro.code, 1);
    assert.match(ro.stderr, /touch: \/data\/x: Read-only file system/);
    const roMount = await cli.run(d, ['run', '--rm', '--mount', 'type=volume,source=keep,target=/data,readonly', 'busybox', 'touch', '/data/x']);
    assert.match(roMount.stderr, /Read-only file system/);
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', 'src=keep,dst=/d,ro=false', 'busybox', 'sh', '-c', 'touch /d/y && ls /d']), 'f\ny');
    assert.equal(await ok(cli, d, ['volume', 'ls', '-q']), 'keep', '--rm removes no named volume');
    // --mount's other types through the same flag.
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', 'type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770', 'busybox', 'sh', '-c', "df -k /t | tail -1 | awk '{print $1, $2}'; stat -c %a /t"]), 'tmpfs 1024\n1770');
    assert.equal(await ok(cli, d, ['run', '--rm', '--mount', `type=bind,src=${d.dataRoot}/volumes/keep/_data,dst=/b,readonly`, 'busybox', 'cat', '/b/f']), 'kept');
    await assertNoMountsLeft(d);
  });

  test(`${cli.name}: inspect Mounts as dockerd shows volumes; rm -v removes the anonymous ones only`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const id = await ok(cli, d, [
      'create', '-v', 'named:/data', '-v', '/anon', '-v', 'rov:/ro:ro,nocopy',
      '--mount', 'type=volume,source=mnt,destination=/m,volume-nocopy', '--mount', 'type=volume,dst=/m2', 'busybox', 'true',
    ]);
    const mounts = JSON.parse(await ok(cli, d, ['inspect', '-f', '{{json .Mounts}}', id])) as Array<Record<string, unknown>>;
    const byDest = new Map(mounts.map((m) => [m.Destination as string, m]));
    const anon = byDest.get('/anon')?.Name as string;
    const anon2 = byDest.get('/m2')?.Name as string;
    assert.match(anon, HEX64);
    assert.match(anon2, HEX64);
    const vol = (name: string, destination: string, mode: string, rw = true) => ({
      Type: 'volume', Name: name, Source: `${d.dataRoot}/volumes/${name}/_data`, Destination: destination, Driver: 'local', Mode: mode, RW: rw, Propagation: '',
    });
    assert.deepEqual(
      [...byDest.keys()].sort().map((k) => byDest.get(k)),
      [vol(anon, '/anon', ''), vol('named', '/data', 'z'), vol('mnt', '/m', 'z'), vol(anon2, '/m2', 'z'), vol('rov', '/ro', 'ro,nocopy', false)],
    );
    // Field order as dockerd writes it.
    assert.deepEqual(Object.keys(mounts[0]!), ['Type', 'Name', 'Source', 'Destination', 'Driver', 'Mode', 'RW', 'Propagation']);
    const psMounts = await ok(cli, d, ['ps', '-a', '--no-trunc', '--format', '{{.Mounts}}']);
    assert.deepEqual(psMounts.split(',').sort(), [anon, anon2, 'mnt', 'named', 'rov'].sort());
    assert.equal(await ok(cli, d, ['ps', '-aq', '--no-trunc', '--filter', 'volume=named']), id);
    assert.equal(await ok(cli, d, ['ps', '-aq', '--no-trunc', '--filter', 'volume=/m2']), id);
    assert.equal(await ok(cli, d, ['ps', '-aq', '--filter', 'volume=nothing']), '');

    // In use (by a container that never ran): refused, naming it; prune keeps it.
    const inUse = await cli.run(d, ['volume', 'rm', 'named']);
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, new RegExp(`Error response from daemon: remove named: volume is in use - \\[${id}\\]`));
    await ok(cli, d, ['volume', 'prune', '-f', '--all']);
    assert.deepEqual((await ok(cli, d, ['volume', 'ls', '-q'])).split('\n').sort(), [anon, anon2, 'mnt', 'named', 'rov'].sort());

    await ok(cli, d, ['rm', '-v', id]);
    assert.deepEqual((await ok(cli, d, ['volume', 'ls', '-q'])).split('\n').sort(), ['mnt', 'named', 'rov'], 'rm -v removed the anonymous volumes only');
    await assertNoMountsLeft(d);
  });

  test(`${cli.name}: --rm and rm -v remove anonymous volumes, rm alone keeps them; --volumes-from shares them (:ro too)`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    await ok(cli, d, ['run', '--rm', '-v', '/scratch', '--mount', 'type=volume,target=/s2', 'busybox', 'sh', '-c', 'echo x > /scratch/f']);
    assert.equal(await ok(cli, d, ['volume', 'ls', '-q']), '', '--rm removed its anonymous volumes');

    await ok(cli, d, ['run', '--name', 'donor', '-v', '/shared', '-v', 'named2:/n', 'busybox', 'sh', '-c', 'echo from-donor > /shared/f']);
    const shared = JSON.parse(await ok(cli, d, ['inspect', '-f', '{{json .Mounts}}', 'donor'])).find((m: { Destination: string }) => m.Destination === '/shared').Name;
    assert.equal(await ok(cli, d, ['run', '--rm', '--volumes-from', 'donor', 'busybox', 'sh', '-c', 'cat /shared/f; echo more >> /shared/f']), 'from-donor');
    const ro = await cli.run(d, ['run', '--rm', '--volumes-from', 'donor:ro', 'busybox', 'sh', '-c', 'cat /shared/f; touch /n/x']);
    assert.equal(ro.code, 1);
    assert.equal(ro.stdout, 'from-donor\nmore\n');
    assert.match(ro.stderr, /Read-only file system/);
    // The --rm container above took the donor's anonymous volume: it stays (the donor uses it).
    assert.deepEqual((await ok(cli, d, ['volume', 'ls', '-q'])).split('\n').sort(), [shared, 'named2'].sort());
    const taker = await ok(cli, d, ['create', '--volumes-from', 'donor', 'busybox', 'true']);
    const takerMounts = JSON.parse(await ok(cli, d, ['inspect', '-f', '{{json .Mounts}}', taker])) as Array<{ Name: string; Mode: string; RW: boolean }>;
    assert.deepEqual(takerMounts.map((m) => [m.Name, m.Mode, m.RW]).sort(), [[shared, '', true], ['named2', '', true]].sort());
    await ok(cli, d, ['rm', 'donor']);
    assert.deepEqual((await ok(cli, d, ['volume', 'ls', '-q'])).split('\n').sort(), [shared, 'named2'].sort(), 'rm without -v keeps them');
    await ok(cli, d, ['rm', '-v', taker]);
    assert.equal(await ok(cli, d, ['volume', 'ls', '-q']), 'named2', "rm -v of the taker removes the donor's anonymous volume once no one uses it");
    await assertNoMountsLeft(d);
  });
}
