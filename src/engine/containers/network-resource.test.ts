import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinsOtherNetwork, networkChoice, NetworkResource } from './network-resource.ts';
import { newState, type ContainerPaths, type ContainerRecord } from './record.ts';

test('the network mode chooses the namespace: default, bridge and user networks get one of their own', () => {
  assert.deepEqual(networkChoice({}), { kind: 'private' });
  assert.deepEqual(networkChoice({ NetworkMode: 'bridge' }), { kind: 'private' });
  assert.deepEqual(networkChoice({ NetworkMode: 'host' }), { kind: 'host' });
  assert.deepEqual(networkChoice({ NetworkMode: 'none' }), { kind: 'none' });
  assert.deepEqual(networkChoice({ NetworkMode: 'container:abc' }), { kind: 'container', ref: 'abc' });
  assert.equal(joinsOtherNetwork({ NetworkMode: 'container:abc' }), true);
  assert.equal(joinsOtherNetwork({ NetworkMode: 'host' }), false);
});

function record(id: string, networkMode: string, status: ContainerRecord['state']['status'] = 'created', pid = 0): ContainerRecord {
  return {
    id, name: `/${id}`, created: '', image: '', imageChainId: '', config: {}, hostConfig: { NetworkMode: networkMode },
    path: 'sh', args: [], state: { ...newState(), status, pid }, restartCount: 0, networkMode,
  };
}

test('at spec time an unknown network is a 404 and joining a stopped container a 409, in dockerd\'s words', async () => {
  const donors = new Map([['web', record('web', 'default', 'running', 42)], ['old', record('old', 'default', 'exited')]]);
  donors.get('web')!.config = { Hostname: 'webhost', Domainname: 'example.org' };
  const resource = new NetworkResource({
    // Only the joined container's files are looked up (their paths: nothing is written at spec time).
    paths: (id) => (id === 'web' ? { hostname: '/c/web/hostname', hosts: '/c/web/hosts', resolvConf: '/c/web/resolv.conf' } as ContainerPaths : assert.fail(`paths of ${id}`)),
    resolveContainer: (ref) => donors.get(ref) ?? assert.fail(`unexpected lookup ${ref}`),
  });
  assert.deepEqual(await resource.spec(record('a', 'none')), { network: { kind: 'none' } });
  // dockerd's initializeNetworkingPaths: the joined container's /etc files and hostname.
  const joining = record('a', 'container:web');
  assert.deepEqual(await resource.spec(joining), {
    network: { kind: 'path', path: '/proc/42/ns/net' },
    etcFiles: { hostname: '/c/web/hostname', hosts: '/c/web/hosts', resolvConf: '/c/web/resolv.conf' },
  });
  assert.equal(joining.config.Hostname, 'webhost');
  assert.equal(joining.config.Domainname, 'example.org');
  await assert.rejects(async () => resource.spec(record('a', 'mynet')), { name: 'NotFoundError', message: 'network mynet not found' });
  await assert.rejects(async () => resource.spec(record('a', 'container:old')), { name: 'ConflictError', message: 'cannot join network of a non running container: old' });
});
