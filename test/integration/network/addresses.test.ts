/** IPv6 networks with --ip6, --mac-address, and a published port range, through the real docker CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDaemon, requireRoot, docker, runCli, BERTH } from '../../helpers/daemon.ts';
import { assertClean, fetchText, ok } from '../../helpers/net-check.ts';

/** Two consecutive host ports nobody listens on. */
async function freePair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const free = await Promise.all([base, base + 1].map((port) => new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    })));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no two free consecutive ports');
}

test('an IPv6 network gives --ip6 and automatic v6 addresses; --mac-address sets eth0\'s address; inspect shows both', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const v6 = `fd00:200:${d.slot.n}::`;
  await ok(docker(d, ['network', 'create', '--ipv6', '--subnet', `${v6}/64`, 'six']), 'network create --ipv6');
  // docker CLI 28 sends --mac-address only from API 1.44 on; berth sends it as Config.MacAddress, as API 1.43 takes it.
  const out = await ok(runCli(BERTH, d, ['run', '--rm', '--network', 'six', '--ip6', `${v6}99`, '--mac-address', '02:42:aa:bb:cc:dd', 'busybox', 'sh', '-c', 'ip -o addr show eth0; cat /sys/class/net/eth0/address']), 'run --ip6 --mac-address');
  assert.match(out, new RegExp(`inet6 ${v6}99/64`));
  assert.match(out, /^02:42:aa:bb:cc:dd$/m);
  await ok(docker(d, ['run', '-d', '--name', 'auto6', '--network', 'six', 'busybox', 'sleep', '300']), 'run');
  const ep = JSON.parse(await ok(docker(d, ['inspect', '-f', '{{json .NetworkSettings.Networks.six}}', 'auto6']), 'inspect'));
  assert.equal(ep.GlobalIPv6Address, `${v6}2`);
  assert.equal(ep.GlobalIPv6PrefixLen, 64);
  assert.equal(ep.IPv6Gateway, `${v6}1`);
  assert.match(ep.IPAddress, new RegExp(`^10\\.201\\.${d.slot.n}\\.`), 'and a v4 address from the pool');
  const peer = await ok(docker(d, ['run', '--rm', '--network', 'six', 'busybox', 'ping', '-6', '-c', '1', '-W', '2', `${v6}2`]), 'ping6 between containers');
  assert.match(peer, /1 packets received/);
  await assertClean(t, d);
});

test('a published port range serves each of its ports, and docker port lists them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const base = await freePair();
  const pages = 'for p in 80 81; do mkdir -p /w$p && echo page$p > /w$p/index.html && httpd -p $p -h /w$p; done; sleep 300';
  await ok(docker(d, ['run', '-d', '--name', 'range', '-p', `127.0.0.1:${base}-${base + 1}:80-81`, 'busybox', 'sh', '-c', pages]), 'run -p range');
  assert.equal((await fetchText('127.0.0.1', base)).trim(), 'page80');
  assert.equal((await fetchText('127.0.0.1', base + 1)).trim(), 'page81');
  const port = await ok(docker(d, ['port', 'range']), 'docker port');
  assert.deepEqual(port.split('\n'), [`80/tcp -> 127.0.0.1:${base}`, `81/tcp -> 127.0.0.1:${base + 1}`]);
  await assertClean(t, d);
});
