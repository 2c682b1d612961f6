import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_IDS, idMapText } from '../../drivers/mount/idmap-mount.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { idmapOfMode, idmapOfMount, isIdmapWord, parseIdmap } from './idmap-option.ts';

test('idmap mappings parse in podman\'s grammar: HOST-CONTAINER-COUNT ranges, # between them, a kind left out maps to itself', () => {
  const cases: Array<[string, ReturnType<typeof parseIdmap>]> = [
    ['uids=2000-1000-1;gids=2000-1000-1', { uids: [{ host: 2000, container: 1000, size: 1 }], gids: [{ host: 2000, container: 1000, size: 1 }] }],
    ['gids=3000-0-10;uids=1000-0-10', { uids: [{ host: 1000, container: 0, size: 10 }], gids: [{ host: 3000, container: 0, size: 10 }] }],
    ['uids=0-1-10#10-11-10', { uids: [{ host: 0, container: 1, size: 10 }, { host: 10, container: 11, size: 10 }], gids: [ALL_IDS] }],
    ['gids=@2000-1000-1', { uids: [ALL_IDS], gids: [{ host: 2000, container: 1000, size: 1 }] }],
    ['uids=0-0-4294967295', { uids: [ALL_IDS], gids: [ALL_IDS] }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseIdmap(text), want, text);
});

test('a bad mapping is a 400 naming the mapping and the part that is wrong', () => {
  const cases: Array<[string, string]> = [
    ['', "invalid idmap '': a mapping is required (idmap=uids=HOST-CONTAINER-COUNT[#…];gids=HOST-CONTAINER-COUNT[#…]): containers share the host's user namespace, so idmap alone maps nothing"],
    ['uids=1000-2000', "invalid idmap 'uids=1000-2000': uids range '1000-2000' is not [@]HOST-CONTAINER-COUNT"],
    ['uids=1000-2000-1;gids=x', "invalid idmap 'uids=1000-2000-1;gids=x': gids range 'x' is not [@]HOST-CONTAINER-COUNT"],
    ['uids=-1-2-3', "invalid idmap 'uids=-1-2-3': uids range '-1-2-3' is not [@]HOST-CONTAINER-COUNT"],
    ['uids=1-2-0', "invalid idmap 'uids=1-2-0': uids range '1-2-0' has a count of 0"],
    ['uids=4294967295-0-1', "invalid idmap 'uids=4294967295-0-1': uids range '4294967295-0-1' goes past the largest id, 4294967294"],
    ['uids=0-1-10#5-100-10', "invalid idmap 'uids=0-1-10#5-100-10': uids ranges '0-1-10' and '5-100-10' overlap on the host side"],
    ['gids=0-1-10#100-5-1', "invalid idmap 'gids=0-1-10#100-5-1': gids ranges '0-1-10' and '100-5-1' overlap on the container side"],
    ['uids=1-1-1;uids=2-2-2', "invalid idmap 'uids=1-1-1;uids=2-2-2': uids given twice"],
    ['users=1-1-1', "invalid idmap 'users=1-1-1': 'users=1-1-1' is not uids=RANGES or gids=RANGES"],
    ['uids=1-1-1;', "invalid idmap 'uids=1-1-1;': '' is not uids=RANGES or gids=RANGES"],
    [`uids=${Array.from({ length: 341 }, (_, i) => `${i}-${i}-1`).join('#')}`, 'more than 340 uids ranges'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseIdmap(text), (err: unknown) => err instanceof InvalidParameterError && err.message.endsWith(message), text);
  }
});

test('a mapping becomes the uid_map lines the kernel reads: the on-disk (host) id inside, the container\'s outside', () => {
  assert.equal(idMapText(parseIdmap('uids=2000-1000-1#0-0-1').uids), '2000 1000 1\n0 0 1\n');
  assert.equal(idMapText(parseIdmap('uids=2000-1000-1').gids), '0 0 4294967295\n');
});

test('where the option is written: a -v MODE word, or the Berth field of a --mount', () => {
  assert.equal(isIdmapWord('idmap'), true);
  assert.equal(isIdmapWord('idmap=uids=1-1-1'), true);
  assert.equal(isIdmapWord('idmapx'), false);
  assert.equal(idmapOfMode(['ro', 'idmap=uids=1-2-3']), 'uids=1-2-3');
  assert.equal(idmapOfMode(['idmap']), '');
  assert.equal(idmapOfMode(['ro']), undefined);
  assert.equal(idmapOfMount({ Type: 'bind', BindOptions: { BerthIDMap: 'uids=1-2-3' } }), 'uids=1-2-3');
  assert.equal(idmapOfMount({ Type: 'volume', VolumeOptions: { BerthIDMap: 'gids=1-2-3' } }), 'gids=1-2-3');
  assert.equal(idmapOfMount({ Type: 'bind', BindOptions: { BerthIDMap: 5 as unknown as string } }), undefined);
  assert.equal(idmapOfMount({ Type: 'bind' }), undefined);
});
