import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError } from '../../util/errors.ts';
import { parseBind, parseVolumesFrom } from './binds.ts';
import { containerMounts } from './container-mounts.ts';
import { checkIdmaps, hasIdmap, idmapStagingDir, withIdmapStaging } from './idmap.ts';

test('a -v MODE takes one idmap word beside the others; inspect keeps the MODE as given', () => {
  const b = parseBind('/h:/c:ro,idmap=uids=2000-1000-1;gids=2000-1000-1');
  assert.deepEqual(b, { source: '/h', destination: '/c', mode: 'ro,idmap=uids=2000-1000-1;gids=2000-1000-1', rw: false, propagation: 'rprivate', volume: false, idmap: 'uids=2000-1000-1;gids=2000-1000-1' });
  assert.equal(parseBind('/h:/c:idmap').idmap, '');
  assert.equal(parseBind('/h:/c:ro').idmap, undefined);
  assert.throws(() => parseBind('/h:/c:idmap,idmap=uids=1-1-1'), /invalid mode: idmap,idmap=uids=1-1-1/);
  assert.throws(() => parseVolumesFrom('other:idmap'), /invalid mode: idmap/);
});

test('the container\'s mounts carry the mapping; the spec binds each id-mapped one from its staging directory', () => {
  const mounts = containerMounts({
    hostConfig: {
      Binds: ['/a:/a', '/b:/b:idmap=uids=2000-1000-1'],
      Mounts: [
        { Type: 'tmpfs', Target: '/t' },
        { Type: 'bind', Source: '/c', Target: '/c', BindOptions: { BerthIDMap: 'gids=2000-1000-1', NonRecursive: true } },
      ],
    },
  });
  assert.deepEqual(mounts.map((m) => m.idmap), [undefined, 'uids=2000-1000-1', undefined, 'gids=2000-1000-1']);
  assert.equal(Object.hasOwn(mounts[0]!, 'idmap'), false);
  const dir = idmapStagingDir('/run/berth', 'abc');
  assert.equal(dir, '/run/berth/idmap/abc');
  assert.deepEqual(withIdmapStaging(mounts, dir).map((m) => m.source), ['/a', '/run/berth/idmap/abc/0', '', '/run/berth/idmap/abc/1']);
  const plain = containerMounts({ hostConfig: { Binds: ['/a:/a'] } });
  assert.equal(withIdmapStaging(plain, dir), plain, 'the same list when nothing is id-mapped');
});

test('hasIdmap is a cheap scan of the host config', () => {
  assert.equal(hasIdmap({}), false);
  assert.equal(hasIdmap({ Binds: ['/a:/a:ro'], Mounts: [{ Type: 'bind', Source: '/x', Target: '/x' }] }), false);
  assert.equal(hasIdmap({ Binds: ['/a:/a:idmap=uids=1-1-1'] }), true);
  assert.equal(hasIdmap({ Mounts: [{ Type: 'bind', Source: '/x', Target: '/x', BindOptions: { BerthIDMap: '' } }] }), true);
});

test('create refuses a bad mapping with a 400 naming the mount and the part; other bad binds are left to dockerd\'s check', () => {
  const fails = (h: Parameters<typeof checkIdmaps>[0], message: string) =>
    assert.throws(() => checkIdmaps(h), (err: unknown) => err instanceof InvalidParameterError && err.message === message);
  fails({ Binds: ['/h:/c:idmap=uids=1-2'] }, "invalid volume specification: '/h:/c:idmap=uids=1-2': invalid idmap 'uids=1-2': uids range '1-2' is not [@]HOST-CONTAINER-COUNT");
  fails(
    { Mounts: [{ Type: 'bind', Source: '/h', Target: '/c', BindOptions: { BerthIDMap: 'uids=1-2-3;bogus' } }] },
    "invalid mount config for type \"bind\": invalid idmap 'uids=1-2-3;bogus': 'bogus' is not uids=RANGES or gids=RANGES",
  );
  fails({ Mounts: [{ Type: 'tmpfs', Target: '/c', VolumeOptions: { BerthIDMap: 'uids=1-2-3' } }] }, 'invalid mount config for type "tmpfs": idmap is only for bind and volume mounts');
  assert.doesNotThrow(() => checkIdmaps({ Binds: ['/h:/c:idmap=uids=2000-1000-1;gids=2000-1000-1', 'rel:idmap:bad:x'] }));
  assert.doesNotThrow(() => checkIdmaps({ Mounts: [{ Type: 'volume', Source: 'v', Target: '/c', VolumeOptions: { BerthIDMap: 'uids=2000-1000-1' } }] }));
});
