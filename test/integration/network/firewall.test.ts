/**
 * The firewall around published ports: the administrator's chain BERTH-USER
 * (README "Networks") filters traffic from other hosts to a published port,
 * here a client namespace behind a veth; and a daemon run with
 * `--iptables=false` gives addresses but leaves iptables alone.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { leftovers } from '../../helpers/net-slot.ts';
import { assertClean, freePort, ok, serve } from '../../helpers/net-check.ts';

function sh(args: string[], okFail = false): string {
  try {
    return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (okFail) return '';
    throw err;
  }
}

/** A client "host": namespace bhdns<n> behind veth bhd<n> (10.218.<n>.1/30 on the host side, .2 inside). */
function clientNamespace(t: TestContext, n: number): { ns: string; host: string; client: string; link: string } {
  const ns = `bhdns${n}`;
  const link = `bhd${n}`;
  const host = `10.218.${n}.1`;
  const client = `10.218.${n}.2`;
  const drop = ['-t', 'filter', '-D', 'BERTH-USER', '-s', client, '-j', 'DROP'];
  t.after(() => {
    sh(['flock', '--close', '/run/lock/berth-netavark.lock', 'iptables', '-w', ...drop], true);
    sh(['ip', 'link', 'del', link], true);
    sh(['ip', 'netns', 'del', ns], true);
  });
  sh(['ip', 'netns', 'add', ns]);
  sh(['ip', 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}c`]);
  sh(['ip', 'link', 'set', `${link}c`, 'netns', ns]);
  sh(['ip', 'addr', 'add', `${host}/30`, 'dev', link]);
  sh(['ip', 'link', 'set', link, 'up']);
  sh(['ip', '-n', ns, 'addr', 'add', `${client}/30`, 'dev', `${link}c`]);
  sh(['ip', '-n', ns, 'link', 'set', `${link}c`, 'up']);
  sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  sh(['ip', '-n', ns, 'route', 'add', 'default', 'via', host]);
  return { ns, host, client, link };
}

/** What the client gets from url ('' when nothing answers within 2 s). GNU wget: the host's static busybox wget crashes (its NSS). */
const fetchFrom = (ns: string, url: string) => sh(['ip', 'netns', 'exec', ns, 'wget', '-q', '-T', '2', '-t', '1', '-O', '-', url], true).trim();

async function eventually(read: () => string, want: (s: string) => boolean, what: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 30; i++) {
    last = read();
    if (want(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: got ${JSON.stringify(last)}`);
}

test('a DROP in BERTH-USER stops another host reaching a published port; deleting it restores access', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const c = clientNamespace(t, d.slot.n);
  const port = await freePort();
  await ok(docker(d, ['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...serve('through the firewall')]), 'run -p');
  const url = `http://${c.host}:${port}/`;
  await eventually(() => fetchFrom(c.ns, url), (s) => s === 'through the firewall', 'the client reaches the published port');
  sh(['flock', '--close', '/run/lock/berth-netavark.lock', 'iptables', '-w', '-t', 'filter', '-I', 'BERTH-USER', '-s', c.client, '-j', 'DROP']);
  assert.equal(fetchFrom(c.ns, url), '', 'dropped by the administrator\'s rule');
  sh(['flock', '--close', '/run/lock/berth-netavark.lock', 'iptables', '-w', '-t', 'filter', '-D', 'BERTH-USER', '-s', c.client, '-j', 'DROP']);
  await eventually(() => fetchFrom(c.ns, url), (s) => s === 'through the firewall', 'access restored');
  await assertClean(t, d);
});

test('with --iptables=false containers get addresses and netavark adds no rule for the daemon\'s subnets', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { args: ['--iptables=false'] });
  await ok(docker(d, ['network', 'create', 'nofw']), 'network create');
  const out = await ok(docker(d, ['run', '--rm', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']), 'run on the default bridge');
  assert.match(out, new RegExp(`inet 10\\.200\\.${d.slot.n}\\.\\d+/24`));
  await ok(docker(d, ['run', '-d', '--name', 'nofwc', '--network', 'nofw', '-p', `${await freePort()}:80`, 'busybox', 'sleep', '300']), 'run on a user network with a port');
  const ip = await ok(docker(d, ['inspect', '-f', '{{.NetworkSettings.Networks.nofw.IPAddress}}', 'nofwc']), 'inspect');
  assert.match(ip, new RegExp(`^10\\.201\\.${d.slot.n}\\.`));
  assert.deepEqual(leftovers(d.slot).filter((l) => l.startsWith('iptables')), [], 'no iptables rule names the daemon\'s subnets or bridges');
  await assertClean(t, d);
});
