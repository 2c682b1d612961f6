/**
 * Bad mounts at create get dockerd's status and words (the docker CLI's own
 * for what it parses itself, berth's the same), and nothing is created: no
 * container, no volume; a create that fails after making an anonymous
 * volume removes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, type Daemon } from '../../helpers/daemon.ts';
import { watchEvents } from '../../helpers/wait.ts';
import { assertNoMountsLeft, CLIS } from './containers-helpers.ts';

const INVALID_NAME = (n: string) =>
  `create ${n}: "${n}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`;

/** [flags, exit code, the first line of stderr] as the docker CLI against dockerd 20.10 gives them. */
const CASES: Array<[string[], number, string]> = [
  [['-v', 'bad/name:/x'], 1, `Error response from daemon: ${INVALID_NAME('bad/name')}`],
  [['--mount', 'type=volume,src=bad/name,dst=/x'], 1, `Error response from daemon: ${INVALID_NAME('bad/name')}`],
  [['--mount', 'type=volume,src=v,dst=/x'], 1, 'Error response from daemon: create v: volume name is too short, names should be at least two alphanumeric characters'],
  [['-v', 'dup:/x', '--mount', 'type=volume,dst=/x'], 1, 'Error response from daemon: Duplicate mount point: /x'],
  [['-v', 'dup:/x', '-v', 'dup2:/x/'], 1, 'Error response from daemon: Duplicate mount point: /x'],
  [['--mount', 'type=volume,target=rel'], 1, `Error response from daemon: invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`],
  [['-v', 'named:rel'], 1, `Error response from daemon: invalid volume specification: 'named:rel': invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`],
  [['--mount', 'type=volume,dst=/x,ro'], 1, 'Error response from daemon: invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes'],
  [['-v', 'named:/x:shared'], 1, `Error response from daemon: invalid volume specification: 'named:/x:shared': invalid mount config for type "volume": field BindOptions must not be specified`],
  [['--mount', 'type=volume'], 125, 'invalid argument "type=volume" for "--mount" flag: target is required'],
  [['--mount', 'type=volume,dst=/x,foo=bar'], 125, `invalid argument "type=volume,dst=/x,foo=bar" for "--mount" flag: unexpected key 'foo' in 'foo=bar'`],
  [['--mount', 'type=tmpfs,dst=/t,tmpfs-size=abc'], 125, 'invalid argument "type=tmpfs,dst=/t,tmpfs-size=abc" for "--mount" flag: invalid value for tmpfs-size: abc'],
  [['--mount', 'type=volume,dst=/x,readonly=maybe'], 125, 'invalid argument "type=volume,dst=/x,readonly=maybe" for "--mount" flag: invalid value for readonly: maybe'],
  [['--mount', 'type=bind,dst=/x,volume-nocopy'], 125, `invalid argument "type=bind,dst=/x,volume-nocopy" for "--mount" flag: cannot mix 'volume-*' options with mount type 'bind'`],
  [['--mount', 'type=bind,src=/tmp,dst=/x,bind-recursive=readonly'], 125, `invalid argument "type=bind,src=/tmp,dst=/x,bind-recursive=readonly" for "--mount" flag: option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction`],
  [['--mount', 'TYPE=volume,Dst=/x,bind-create-src'], 125, `invalid argument "TYPE=volume,Dst=/x,bind-create-src" for "--mount" flag: invalid field 'bind-create-src' must be a key=value pair`],
  [['--volumes-from', 'nosuch'], 1, 'Error response from daemon: No such container: nosuch'],
];

async function nothingMade(d: Daemon, what: string): Promise<void> {
  assert.deepEqual((await d.api('GET', '/containers/json?all=1')).body, [], `${what}: no container`);
  assert.deepEqual((await d.api('GET', '/volumes')).body.Volumes, [], `${what}: no volume`);
}

test('bad mounts: dockerd\'s (and the docker CLI\'s) words and codes through docker and berth, nothing created', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const cli of CLIS) {
    for (const [flags, code, line] of CASES) {
      const r = await cli.run(d, ['create', ...flags, 'busybox', 'true']);
      const what = `${cli.name} create ${flags.join(' ')}`;
      assert.equal(r.code, code, `${what}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n')[0], line, what);
      await nothingMade(d, what);
    }
  }
  await assertNoMountsLeft(d);
});

test('an unknown volume driver is dockerd\'s 404; a create that fails removes the anonymous volumes it made, not the named ones', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const body = (hostConfig: Record<string, unknown>) => ({ Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none', ...hostConfig } });
  const unknown = await d.api('POST', '/containers/create', body({ Mounts: [{ Type: 'volume', Source: 'vx', Target: '/d', VolumeOptions: { DriverConfig: { Name: 'nope' } } }] }));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.message, 'create vx: error looking up volume plugin nope: plugin "nope" not found');
  const unknownDefault = await d.api('POST', '/containers/create', body({ VolumeDriver: 'nope', Binds: ['vy:/d'] }));
  assert.equal(unknownDefault.status, 404);
  assert.equal(unknownDefault.body.message, 'create vy: error looking up volume plugin nope: plugin "nope" not found');
  // Without a volume, an unknown VolumeDriver is never looked up (dockerd 20.10: 201).
  const unused = await d.api('POST', '/containers/create', body({ VolumeDriver: 'nope' }));
  assert.equal(unused.status, 201);
  await d.api('DELETE', `/containers/${unused.body.Id}`);
  await nothingMade(d, 'unknown driver');

  const events = await watchEvents(d.socket, { type: ['volume'] });
  t.after(() => events.close());
  const failed = await d.api('POST', '/containers/create', body({ Binds: ['/anon', 'kept:/k', 'bad/name:/x'] }));
  assert.equal(failed.status, 400);
  assert.equal(failed.body.message, INVALID_NAME('bad/name'));
  const made = await events.next((e) => e.Action === 'create');
  assert.match(made.Actor.ID, /^[0-9a-f]{64}$/);
  await events.next((e) => e.Action === 'create' && e.Actor.ID === 'kept');
  await events.next((e) => e.Action === 'destroy' && e.Actor.ID === made.Actor.ID);
  assert.deepEqual((await d.api('GET', '/volumes')).body.Volumes.map((v: { Name: string }) => v.Name), ['kept']);
  // An image volume over a file of the image: dockerd's 500 naming the file in the rootfs; no volume left.
  const overFile = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], Volumes: { '/etc/passwd': {} }, HostConfig: { NetworkMode: 'none' } });
  assert.equal(overFile.status, 500);
  assert.match(overFile.body.message, new RegExp(`^cannot mount volume over existing file, file exists ${d.dataRoot}/containers/[0-9a-f]{64}/fs/merged/etc/passwd$`));
  assert.deepEqual((await d.api('GET', '/containers/json?all=1')).body, []);
  await assertNoMountsLeft(d);
});
