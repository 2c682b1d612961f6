/**
 * Addresses and published ports across a container's life (restart, the
 * restart policy, stop/start, rm) and across a daemon killed with -9, at any
 * instant or at the failpoints around netavark's set-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';
import { assertClean, fetchText, freePort, ok, serve } from '../../helpers/net-check.ts';

const inspect = async (d: Daemon, name: string, format: string) => ok(docker(d, ['inspect', '-f', format, name]), `inspect ${name}`);

test('a static --ip is kept across restart and the restart policy, given back at rm; a published port serves again after stop and start', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const sub = `10.201.${d.slot.n}`;
  await ok(docker(d, ['network', 'create', '--subnet', `${sub}.0/28`, 'life']), 'network create');
  const ip = `${sub}.9`;
  const addr = `{{.NetworkSettings.Networks.life.IPAddress}}`;
  await ok(docker(d, ['run', '-d', '--name', 'fixed', '--restart', 'always', '--network', 'life', '--ip', ip, 'busybox', 'sleep', '300']), 'run --ip');
  assert.equal(await inspect(d, 'fixed', addr), ip);
  await ok(docker(d, ['restart', '-t', '0', 'fixed']), 'restart');
  assert.equal(await inspect(d, 'fixed', addr), ip);
  const pid = Number(await inspect(d, 'fixed', '{{.State.Pid}}'));
  process.kill(pid, 'SIGKILL');
  await pollUntil(() => inspect(d, 'fixed', '{{.State.Running}} {{.State.Pid}} {{.RestartCount}}'), (s) => s.startsWith('true') && !s.includes(` ${pid} `), { timeoutMs: 15_000 });
  assert.equal(await inspect(d, 'fixed', addr), ip, 'after the restart policy brought it back');
  assert.match(await ok(docker(d, ['run', '--rm', '--network', 'life', 'busybox', 'ping', '-c', '1', '-W', '2', ip]), 'ping'), /1 packets received/);
  await ok(docker(d, ['rm', '-f', 'fixed']), 'rm');
  await ok(docker(d, ['run', '-d', '--name', 'next', '--network', 'life', '--ip', ip, 'busybox', 'sleep', '300']), 'the address is free again');
  assert.equal(await inspect(d, 'next', addr), ip);

  const port = await freePort();
  await ok(docker(d, ['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...serve('web page')]), 'run -p');
  assert.equal((await fetchText('127.0.0.1', port)).trim(), 'web page');
  await ok(docker(d, ['stop', '-t', '0', 'web']), 'stop');
  await ok(docker(d, ['start', 'web']), 'start');
  assert.equal((await fetchText('127.0.0.1', port)).trim(), 'web page', 'after stop and start');
  await ok(docker(d, ['rm', '-f', 'web']), 'rm web');
  await ok(docker(d, ['run', '-d', '--name', 'web2', '-p', `${port}:80`, 'busybox', ...serve('second page')]), 'the host port is free again');
  assert.equal((await fetchText('127.0.0.1', port)).trim(), 'second page');
  await assertClean(t, d);
});

test('after a kill -9 of the daemon, running containers keep their addresses and published ports, and rm leaves nothing', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await ok(docker(d, ['network', 'create', 'crashnet']), 'network create');
  const port = await freePort();
  await ok(docker(d, ['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...serve('still here')]), 'run web');
  await ok(docker(d, ['run', '-d', '--name', 'peer', '--network', 'crashnet', 'busybox', 'sleep', '300']), 'run peer');
  await ok(docker(d, ['network', 'connect', 'crashnet', 'web']), 'connect');
  await ok(docker(d, ['run', '--rm', 'busybox', 'true']), 'a default container (spares made)');
  const webIp = await inspect(d, 'web', '{{.NetworkSettings.IPAddress}}');
  assert.equal((await fetchText('127.0.0.1', port)).trim(), 'still here');

  await d.stop(true);
  await d.restart();
  assert.equal(await inspect(d, 'web', '{{.State.Running}}'), 'true');
  assert.equal((await fetchText('127.0.0.1', port)).trim(), 'still here', 'published port after the crash');
  assert.match(await ok(docker(d, ['exec', 'peer', 'wget', '-qO-', 'http://web/']), 'by name on the user network'), /still here/);
  assert.match(await ok(docker(d, ['run', '--rm', 'busybox', 'wget', '-qO-', `http://${webIp}/`]), 'on the default bridge'), /still here/);
  // A new container does not take an address the crash left in use.
  const fresh = await inspect(d, await ok(docker(d, ['run', '-d', 'busybox', 'sleep', '300']), 'run fresh'), '{{.NetworkSettings.IPAddress}}');
  assert.notEqual(fresh, webIp);
  await assertClean(t, d);
});

for (const point of ['sandbox-recorded', 'sandbox-set-up']) {
  test(`a kill -9 at ${point} leaves nothing once the daemon has restarted`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    await ok(docker(d, ['network', 'create', 'fp']), 'network create');
    await d.stop();
    await d.restart({ BERTH_FAILPOINT: point });
    // A user network (no spare is made there) and a published port: the container's own set-up reaches the point.
    const r = await docker(d, ['run', '-d', '--name', 'cut', '--network', 'fp', '-p', `${await freePort()}:80`, 'busybox', 'sleep', '300']);
    assert.notEqual(r.code, 0, 'the daemon died at the failpoint');
    await new Promise((resolve) => (d.child.exitCode === null && d.child.signalCode === null ? d.child.once('exit', resolve) : resolve(undefined)));
    assert.equal(d.child.signalCode, 'SIGKILL');
    await d.restart();
    const running = await ok(docker(d, ['ps', '-q']), 'ps');
    assert.equal(running, '');
    // The sandbox may be prepared ahead, while the create is still writing its record: a kill then leaves
    // no container at all (the create never answered). Otherwise the container is there and starts afresh.
    if ((await docker(d, ['inspect', 'cut'])).code === 0) await ok(docker(d, ['start', 'cut']), 'the container starts afresh');
    else assert.equal(await ok(docker(d, ['ps', '-aq']), 'ps -a'), '', 'a create cut before its record leaves nothing');
    await assertClean(t, d);
  });
}
