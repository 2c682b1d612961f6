/**
 * Network events as dockerd 20.10 sends them (checked on the reference:
 * create and destroy carry name and type; connect and disconnect add the
 * container's ID, with the network's ID as the actor; a container's start
 * and stop send connect and disconnect for its networks), and prune: unused
 * user networks go, the predefined ones never. dockerd 20.10 counts only
 * running containers as users: a network whose containers are created or
 * exited is pruned (checked on the reference).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { watchEvents } from '../../helpers/wait.ts';
import { assertClean, ok } from '../../helpers/net-check.ts';

test('docker events shows create, connect, disconnect and destroy with dockerd\'s attributes', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const events = await watchEvents(d.socket, { type: ['network'] });
  t.after(() => events.close());
  const net = await ok(docker(d, ['network', 'create', 'evnet']), 'network create');
  const c = await ok(docker(d, ['run', '-d', '--name', 'evc', 'busybox', 'sleep', '300']), 'run');
  const bridge = JSON.parse(await ok(docker(d, ['network', 'inspect', '-f', '{{json .Id}}', 'bridge']), 'inspect bridge'));
  await ok(docker(d, ['network', 'connect', 'evnet', 'evc']), 'connect');
  await ok(docker(d, ['network', 'disconnect', 'evnet', 'evc']), 'disconnect');
  await ok(docker(d, ['network', 'rm', 'evnet']), 'rm');
  await ok(docker(d, ['stop', '-t', '0', 'evc']), 'stop');
  const next = (action: string, id: string) => events.next((e) => e.Action === action && e.Actor.ID === id);
  const created = await next('create', net);
  assert.deepEqual(created.Actor.Attributes, { name: 'evnet', type: 'bridge' });
  assert.deepEqual((await next('connect', bridge)).Actor.Attributes, { container: c, name: 'bridge', type: 'bridge' });
  assert.deepEqual((await next('connect', net)).Actor.Attributes, { container: c, name: 'evnet', type: 'bridge' });
  assert.deepEqual((await next('disconnect', net)).Actor.Attributes, { container: c, name: 'evnet', type: 'bridge' });
  assert.deepEqual((await next('destroy', net)).Actor.Attributes, { name: 'evnet', type: 'bridge' });
  // A stop leaves the networks (dockerd sends it as the container exits).
  assert.deepEqual((await next('disconnect', bridge)).Actor.Attributes, { container: c, name: 'bridge', type: 'bridge' });
  // The CLI's filter gives the same stream.
  const cli = await ok(docker(d, ['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=network', '--format', '{{.Action}} {{.Actor.Attributes.name}}']), 'docker events');
  const lines = cli.split('\n');
  for (const want of ['create evnet', 'connect bridge', 'connect evnet', 'disconnect evnet', 'destroy evnet', 'disconnect bridge']) assert.ok(lines.includes(want), `${want} in ${cli}`);
  await assertClean(t, d);
});

test('network prune and system prune remove unused user networks (those of stopped containers too, as dockerd 20.10), never bridge, host or none', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const n of ['unused', 'withcreated', 'withexited', 'inuse', 'forsystem']) await ok(docker(d, ['network', 'create', n]), `create ${n}`);
  await ok(docker(d, ['create', '--name', 'created', '--network', 'withcreated', 'busybox', 'true']), 'create');
  await ok(docker(d, ['run', '--name', 'exited', '--network', 'withexited', 'busybox', 'true']), 'run exited');
  await ok(docker(d, ['run', '-d', '--name', 'running', '--network', 'inuse', 'busybox', 'sleep', '300']), 'run running');
  const pruned = await ok(docker(d, ['network', 'prune', '-f']), 'network prune');
  assert.deepEqual(pruned.split('\n').slice(1).sort(), ['forsystem', 'unused', 'withcreated', 'withexited']);
  const names = async () => (await ok(docker(d, ['network', 'ls', '--format', '{{.Name}}']), 'ls')).split('\n').sort();
  assert.deepEqual(await names(), ['bridge', 'host', 'inuse', 'none']);
  await ok(docker(d, ['network', 'create', 'forsystem']), 'create again');
  const system = await ok(docker(d, ['system', 'prune', '-f']), 'system prune');
  assert.match(system, /Deleted Networks:\nforsystem\n/);
  assert.deepEqual(await names(), ['bridge', 'host', 'inuse', 'none']);
  // The exited and created containers were pruned by system prune; their starts would have failed anyway.
  assert.equal(await ok(docker(d, ['ps', '-a', '--format', '{{.Names}}']), 'ps'), 'running');
  await assertClean(t, d);
});
