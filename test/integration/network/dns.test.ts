/**
 * Names and DNS options: /etc/resolv.conf and /etc/hosts as dockerd 20.10
 * writes them (checked on the reference), the daemon's defaults,
 * host.docker.internal in every bridge container, and aliases set by
 * `network connect --alias` resolving through aardvark-dns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { assertClean, ok } from '../../helpers/net-check.ts';

test('--dns, --dns-search, --dns-option, --add-host and --hostname/--domainname write the files dockerd writes; the daemon\'s flags are defaults', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { args: ['--dns', '10.218.9.9', '--dns-search', 'daemon.example', '--dns-opt', 'ndots:2'] });
  const gateway = d.slot.bip.split('/')[0]!;
  const files = ['sh', '-c', 'cat /etc/resolv.conf; echo ---; cat /etc/hosts'];
  const out = await ok(docker(d, ['run', '--rm', '--dns', '10.218.5.5', '--dns-search', 'a.example', '--dns-option', 'ndots:3',
    '--add-host', 'n1:1.2.3.4', '--add-host', 'h:host-gateway', '--hostname', 'hn', '--domainname', 'dn.example', 'busybox', ...files]), 'run');
  const [resolv, hosts] = out.split('---\n');
  assert.equal(resolv, 'search a.example\nnameserver 10.218.5.5\noptions ndots:3\n');
  const lines = hosts!.trim().split('\n');
  assert.ok(lines.includes('1.2.3.4\tn1'), hosts);
  assert.ok(lines.includes(`${gateway}\th`), `host-gateway is the default bridge's gateway: ${hosts}`);
  assert.match(lines.at(-1)!, new RegExp(`^10\\.200\\.${d.slot.n}\\.\\d+\\thn\\.dn\\.example hn$`));

  const defaults = await ok(docker(d, ['run', '--rm', 'busybox', 'cat', '/etc/resolv.conf']), 'run with the daemon\'s defaults');
  assert.equal(defaults, 'search daemon.example\nnameserver 10.218.9.9\noptions ndots:2');
  await assertClean(t, d);
});

test('host.docker.internal is the host in every bridge container, and reachable there; an alias given at connect resolves', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const gateway = d.slot.bip.split('/')[0]!;
  await ok(docker(d, ['run', '--rm', 'busybox', 'true']), 'the default bridge exists');
  // A web server on the host side, on the default bridge's gateway address.
  const httpd = spawn('busybox', ['httpd', '-f', '-p', `${gateway}:18080`, '-h', '/etc/apt'], { stdio: 'ignore' });
  t.after(() => { httpd.kill('SIGKILL'); });
  const out = await ok(docker(d, ['run', '--rm', 'busybox', 'sh', '-c', 'grep host.docker.internal /etc/hosts; for i in 1 2 3 4 5 6 7 8 9 10; do wget -qS -O /dev/null http://host.docker.internal:18080/ 2>&1 | head -1 && break; sleep 0.2; done']), 'reach the host');
  assert.match(out, new RegExp(`^${gateway.replace(/\./g, '\\.')}\\thost\\.docker\\.internal$`, 'm'));
  assert.match(out, /HTTP\/1\.[01] (200|403|404)/);

  await ok(docker(d, ['network', 'create', 'names']), 'network create');
  const userOut = await ok(docker(d, ['run', '--rm', '--network', 'names', 'busybox', 'ping', '-c', '1', '-W', '2', 'host.docker.internal']), 'ping the host from a user network');
  assert.match(userOut, /1 packets received/);
  await ok(docker(d, ['run', '-d', '--name', 'target', 'busybox', 'sleep', '300']), 'run target');
  await ok(docker(d, ['network', 'connect', '--alias', 'svc', '--alias', 'svc2', 'names', 'target']), 'connect --alias');
  const aliases = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.Networks.names.Aliases}}', 'target']), 'inspect'));
  // dockerd appends the short ID to the aliases asked for (checked on 20.10: ["svc","svc2","<id>"]).
  assert.deepEqual(aliases.slice(0, 2), ['svc', 'svc2']);
  assert.match(aliases[2], /^[0-9a-f]{12}$/);
  const resolved = await ok(docker(d, ['run', '--rm', '--network', 'names', 'busybox', 'sh', '-c', 'ping -c 1 -W 2 svc && ping -c 1 -W 2 svc2']), 'resolve the aliases');
  assert.equal(resolved.match(/1 packets received/g)?.length, 2);
  httpd.kill('SIGKILL');
  await assertClean(t, d);
});
