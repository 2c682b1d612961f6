/**
 * `berth network …`, `berth port`, the PORTS column and the network flags of
 * `run`, against a real berthd, each output held against the docker CLI's
 * on the same daemon (or against what dockerd 20.10 was seen to answer).
 * Addresses come from 10.212.0.0/16 and bridge names start with "bcli", so
 * nothing here touches the host's other interfaces. The last test runs the
 * same commands against the reference Docker engine, where one runs.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { BERTH, DOCKER, requireRoot, runCli, startDaemon, type CliResult, type Daemon } from '../../helpers/daemon.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';

const berth = (d: { host: string }, args: string[], input?: string) => runCli(BERTH, d, args, { input });
const docker = (d: { host: string }, args: string[]) => runCli(DOCKER, d, args);

function ok(r: CliResult): string {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** A bridge name of our own (at most 15 characters). */
const bridgeName = () => `bcli${randomBytes(4).toString('hex')}`;

function linkExists(name: string): boolean {
  return spawnSync('ip', ['link', 'show', name], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Retries a request until the server in the container answers (it starts after `run -d` returns). */
async function fetchPage(url: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return (await httpGet(url)).body;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function daemonFor(t: TestContext): Promise<Daemon | undefined> {
  if (!requireRoot(t)) return undefined;
  return startDaemon(t);
}

/** Bridge names (bcli…) given to the networks a test creates, so what it leaves can be found. */
class OwnBridges {
  readonly names: string[] = [];
  constructor(t: TestContext) {
    // After the daemon's own clean-up: a bridge still there (a test that failed half-way) is deleted, never someone else's.
    t.after(() => {
      for (const n of this.names) if (linkExists(n)) spawnSync('ip', ['link', 'del', n], { stdio: 'ignore' });
    });
  }

  /** `-o com.docker.network.bridge.name=…` for one more network. */
  opt(): string[] {
    const name = bridgeName();
    this.names.push(name);
    return ['-o', `com.docker.network.bridge.name=${name}`];
  }

  /** Asserts that every bridge is gone (call once the test removed its networks). */
  assertGone(): void {
    for (const n of this.names) assert.ok(!linkExists(n), `bridge ${n} is gone with its network`);
  }
}

test('network create, ls, inspect and rm print what docker prints, with dockerd\'s errors', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  const br = new OwnBridges(t);
  const created = await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.11.0/24', '--gateway', '10.212.11.1', '--label', 'bcli=1', 'bcli-one']);
  const id = ok(created).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.ok(linkExists(br.names[0]!), 'the bridge device named by -o exists');
  ok(await berth(d, ['network', 'create', ...br.opt(), '--internal', '--label', 'bcli=1', '--subnet', '10.212.12.0/24', 'bcli-two']));

  // Client-side checks never reach the daemon.
  const noMatch = await berth(d, ['network', 'create', '--subnet', '10.212.13.0/24', '--gateway', '10.212.14.1', 'bcli-x']);
  assert.deepEqual([noMatch.code, noMatch.stdout, noMatch.stderr], [1, '', 'no matching subnet for gateway 10.212.14.1\n']);
  const dup = await berth(d, ['network', 'create', 'bcli-one']);
  assert.deepEqual([dup.code, dup.stderr], [1, 'Error response from daemon: network with name bcli-one already exists\n']);

  for (const args of [
    ['network', 'ls', '--filter', 'label=bcli=1'],
    ['network', 'ls', '--filter', 'label=bcli=1', '-q', '--no-trunc'],
    ['network', 'ls', '--filter', 'label=bcli=1', '--format', '{{json .}}'],
    ['network', 'ls', '--format', 'table {{.Name}}\t{{.Driver}}\t{{.Internal}}\t{{.Labels}}'],
    ['network', 'inspect', 'bcli-one', 'bridge'],
    ['network', 'inspect', '-f', '{{.Name}} {{.Driver}} {{json .IPAM.Config}} {{.Internal}} {{json .Labels}}', 'bcli-one', 'bcli-two'],
    ['network', 'inspect', 'bcli-one', 'nosuch'],
    ['inspect', '--type', 'network', 'bcli-two'],
  ]) {
    const mine = await berth(d, args);
    assert.deepEqual(mine, await docker(d, args), args.join(' '));
  }
  const ls = ok(await berth(d, ['network', 'ls', '--filter', 'label=bcli=1', '--format', '{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}}']));
  assert.equal(ls, 'bcli-one bridge local false\nbcli-two bridge local true\n');
  const ipam = ok(await berth(d, ['network', 'inspect', '-f', '{{json .IPAM.Config}} {{.Id}}', 'bcli-one']));
  assert.equal(ipam, `[{"Subnet":"10.212.11.0/24","Gateway":"10.212.11.1"}] ${id}\n`);
  const all = ok(await berth(d, ['network', 'ls', '--format', '{{.Name}}']));
  for (const name of ['bridge', 'host', 'none']) assert.ok(all.split('\n').includes(name), `${name} is listed`);

  const missing = await berth(d, ['network', 'inspect', 'nosuch']);
  assert.deepEqual([missing.code, missing.stdout, missing.stderr], [1, '[]\n', 'Error response from daemon: network nosuch not found\n']);
  const rmBridge = await berth(d, ['network', 'rm', 'bridge']);
  assert.deepEqual([rmBridge.code, rmBridge.stderr], [1, 'Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1\n']);
  const rm = await berth(d, ['network', 'rm', 'bcli-one', 'nosuch', 'bcli-two']);
  assert.deepEqual(rm, { code: 1, stdout: 'bcli-one\nbcli-two\n', stderr: 'Error response from daemon: network nosuch not found\nexit status 1\n' });
  assert.deepEqual(await berth(d, ['network', 'rm', '-f', 'nosuch']), { code: 0, stdout: '', stderr: '' });
  br.assertGone();
});

test('network prune asks first, then removes only unused networks matching the filter', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  const br = new OwnBridges(t);
  ok(await berth(d, ['network', 'create', ...br.opt(), '--label', 'bcli-prune=1', '--subnet', '10.212.21.0/24', 'bcli-unused']));
  ok(await berth(d, ['network', 'create', ...br.opt(), '--label', 'bcli-prune=1', '--subnet', '10.212.22.0/24', 'bcli-used']));
  ok(await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.23.0/24', 'bcli-other']));
  ok(await berth(d, ['run', '-d', '--name', 'pruner', '--network', 'bcli-used', 'busybox', 'sleep', '1000']));

  const warning = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';
  const declined = await berth(d, ['network', 'prune', '--filter', 'label=bcli-prune=1'], 'n\n');
  assert.deepEqual(declined, { code: 0, stdout: warning, stderr: '' });
  const pruned = await berth(d, ['network', 'prune', '--filter', 'label=bcli-prune=1'], 'y\n');
  assert.deepEqual(pruned, { code: 0, stdout: `${warning}Deleted Networks:\nbcli-unused\n\n`, stderr: '' });
  const left = ok(await berth(d, ['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=bcli-']));
  assert.equal(left, 'bcli-other\nbcli-used\n');
  assert.deepEqual(await berth(d, ['network', 'prune', '-f', '--filter', 'label=bcli-prune=1']), { code: 0, stdout: '', stderr: '' });
  const bad = await berth(d, ['network', 'prune', '-f', '--filter', 'nolabel']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^invalid argument "nolabel" for "--filter" flag: bad format of filter \(expected name=value\)\n/);
  ok(await berth(d, ['rm', '-f', 'pruner']));
  assert.equal(ok(await berth(d, ['network', 'rm', 'bcli-used', 'bcli-other'])), 'bcli-used\nbcli-other\n');
  br.assertGone();
});

test('run --network with --ip and --network-alias; connect and disconnect a running container', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  const br = new OwnBridges(t);
  ok(await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.31.0/24', '--gateway', '10.212.31.1', 'bcli-front']));
  ok(await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.32.0/24', '--gateway', '10.212.32.1', 'bcli-back']));
  ok(await berth(d, ['run', '-d', '--name', 'web', '--network', 'bcli-front', '--ip', '10.212.31.50', '--network-alias', 'www', 'busybox', 'sleep', '1000']));

  const addr = ok(await berth(d, ['inspect', '-f', '{{(index .NetworkSettings.Networks "bcli-front").IPAddress}} {{json (index .NetworkSettings.Networks "bcli-front").IPAMConfig}}', 'web']));
  assert.equal(addr, '10.212.31.50 {"IPv4Address":"10.212.31.50"}\n');
  const ping = await berth(d, ['run', '--rm', '--network', 'bcli-front', 'busybox', 'ping', '-c', '1', '-W', '2', 'www']);
  assert.equal(ping.code, 0, ping.stdout + ping.stderr);
  assert.match(ping.stdout, /from 10\.212\.31\.50/);

  const outside = await berth(d, ['run', '--rm', '--network', 'bcli-front', '--ip', '10.212.99.5', 'busybox', 'true']);
  assert.equal(outside.code, 125);
  assert.match(outside.stderr, /^berth: Error response from daemon: /);

  assert.deepEqual(await berth(d, ['network', 'connect', '--ip', '10.212.32.60', '--alias', 'api', 'bcli-back', 'web']), { code: 0, stdout: '', stderr: '' });
  const nets = ok(await berth(d, ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}', 'web']));
  assert.equal(nets, 'bcli-back=10.212.32.60 bcli-front=10.212.31.50 \n');
  const eth1 = ok(await berth(d, ['exec', 'web', 'ip', '-o', '-4', 'addr', 'show', 'eth1']));
  assert.match(eth1, /inet 10\.212\.32\.60\/24/);
  const members = ok(await berth(d, ['network', 'inspect', '-f', '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}', 'bcli-back']));
  assert.equal(members, 'web 10.212.32.60/24\n');

  const twice = await berth(d, ['network', 'connect', 'bcli-back', 'web']);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /^Error response from daemon: /);
  const inUse = await berth(d, ['network', 'rm', 'bcli-back']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /^Error response from daemon: .*active endpoints.*\nexit status 1\n$/);

  assert.deepEqual(await berth(d, ['network', 'disconnect', 'bcli-back', 'web']), { code: 0, stdout: '', stderr: '' });
  const gone = await berth(d, ['exec', 'web', 'ip', 'link', 'show', 'eth1']);
  assert.notEqual(gone.code, 0, 'eth1 is gone after disconnect');
  const missing = await berth(d, ['network', 'disconnect', 'nosuch', 'web']);
  assert.deepEqual([missing.code, missing.stderr], [1, 'Error response from daemon: network nosuch not found\n']);
  ok(await berth(d, ['rm', '-f', 'web']));
  ok(await berth(d, ['network', 'rm', 'bcli-front', 'bcli-back']));
  br.assertGone();
});

test('port and the PORTS column show published ports as docker does, and the page is served', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  const br = new OwnBridges(t);
  ok(await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.41.0/24', 'bcli-ports']));
  const [p1, p2] = [await freePort(), await freePort()];
  ok(await berth(d, ['run', '-d', '--name', 'www', '--network', 'bcli-ports', '-p', `127.0.0.1:${p1}:80`, '-p', `127.0.0.1:${p2}:81/udp`, '-p', '90', '--expose', '7000-7002',
    'busybox', 'sh', '-c', 'mkdir -p /www && echo hello-from-berth > /www/index.html && exec httpd -f -p 80 -h /www']));

  const port = ok(await berth(d, ['port', 'www']));
  assert.match(port, new RegExp(`^80/tcp -> 127\\.0\\.0\\.1:${p1}\\n81/udp -> 127\\.0\\.0\\.1:${p2}\\n90/tcp -> 0\\.0\\.0\\.0:\\d+\\n90/tcp -> \\[::\\]:\\d+\\n$`));
  assert.equal(ok(await berth(d, ['port', 'www', '80'])), `127.0.0.1:${p1}\n`);
  assert.equal(ok(await berth(d, ['port', 'www', '81/udp'])), `127.0.0.1:${p2}\n`);
  const none = await berth(d, ['port', 'www', '7000']);
  assert.deepEqual(none, { code: 1, stdout: '', stderr: "Error: No public port '7000' published for www\n" });
  const ps = ok(await berth(d, ['ps', '--filter', 'name=www', '--format', '{{.Ports}}']));
  assert.match(ps, new RegExp(`^7000-7002/tcp, 127\\.0\\.0\\.1:${p1}->80/tcp, 127\\.0\\.0\\.1:${p2}->81/udp, 0\\.0\\.0\\.0:\\d+->90/tcp, \\[::\\]:\\d+->90/tcp\\n$`));
  for (const args of [['port', 'www'], ['port', 'www', '90'], ['ps', '--filter', 'name=www', '--format', '{{.Ports}}'], ['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'www']]) {
    assert.deepEqual(await berth(d, args), await docker(d, args), args.join(' '));
  }
  assert.equal(await fetchPage(`http://127.0.0.1:${p1}/`), 'hello-from-berth\n');
  ok(await berth(d, ['rm', '-f', 'www']));
  ok(await berth(d, ['network', 'rm', 'bcli-ports']));
  br.assertGone();
});

test('--link on the default bridge, and rm --link removes it', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  ok(await berth(d, ['run', '-d', '--name', 'db', 'busybox', 'sleep', '1000']));
  ok(await berth(d, ['run', '-d', '--name', 'app', '--link', 'db:database', 'busybox', 'sleep', '1000']));
  assert.equal(ok(await berth(d, ['inspect', '-f', '{{json .HostConfig.Links}}', 'app'])), '["/db:/app/database"]\n');
  const hosts = ok(await berth(d, ['exec', 'app', 'cat', '/etc/hosts']));
  assert.match(hosts, /\sdatabase(\s|$)/m);
  assert.deepEqual(await berth(d, ['rm', '--link', 'app/database']), { code: 0, stdout: 'app/database\n', stderr: '' });
  assert.equal(ok(await berth(d, ['inspect', '-f', '{{json .HostConfig.Links}}', 'app'])), 'null\n');
  const again = await berth(d, ['rm', '--link', 'app/database']);
  assert.deepEqual(again, { code: 1, stdout: '', stderr: 'Error response from daemon: No such container: app/database\n' });
});

test('--link on a user-defined network is a DNS name only: no hosts line, no environment, a stopped target is no error', async (t) => {
  const d = await daemonFor(t);
  if (!d) return;
  const br = new OwnBridges(t);
  ok(await berth(d, ['network', 'create', ...br.opt(), '--subnet', '10.212.51.0/24', 'bcli-links']));
  ok(await berth(d, ['run', '-d', '--name', 'target', '--network', 'bcli-links', 'busybox', 'sleep', '1000']));
  const out = ok(await berth(d, ['run', '--rm', '--network', 'bcli-links', '--link', 'target:zqalias', 'busybox', 'sh', '-c', 'cat /etc/hosts; echo ---; env; echo ---; nslookup zqalias']));
  const [hosts, env, lookup] = out.split('---\n');
  assert.doesNotMatch(hosts!, /zqalias/, 'no /etc/hosts line');
  assert.doesNotMatch(env!, /^ZQALIAS_/m, 'no link environment');
  assert.match(lookup!, /Name:\s+zqalias\nAddress: 10\.212\.51\.\d+\n/, 'the alias resolves by DNS');
  ok(await berth(d, ['stop', '-t', '0', 'target']));
  assert.equal(ok(await berth(d, ['run', '--rm', '--network', 'bcli-links', '--link', 'target:zqalias', 'busybox', 'echo', 'started'])), 'started\n');
  ok(await berth(d, ['rm', '-f', 'target']));
  ok(await berth(d, ['network', 'rm', 'bcli-links']));
  br.assertGone();
});

test('against the reference Docker engine berth prints what the docker CLI prints', async (t) => {
  if (!referenceDockerRunning()) {
    t.skip('no reference Docker engine (../shared/tools/reference-docker start)');
    return;
  }
  const engine = { host: REFERENCE_DOCKER_HOST };
  const tag = randomBytes(3).toString('hex');
  const [n1, n2, c1] = [`bcli-ref-${tag}-a`, `bcli-ref-${tag}-b`, `bcli-ref-${tag}-c`];
  t.after(async () => {
    await docker(engine, ['rm', '-f', c1]);
    await docker(engine, ['network', 'rm', n1, n2]);
  });
  // One label each: docker joins several in Go's (random) map order.
  const names = `name=bcli-ref-${tag}`;
  ok(await docker(engine, ['network', 'create', '--label', 'bcli-ref=1', '--subnet', '10.212.201.0/24', '--gateway', '10.212.201.254', n1]));
  ok(await berth(engine, ['network', 'create', '--label', 'x=y', '--internal', n2]));
  const port = await freePort();
  ok(await berth(engine, ['run', '-d', '--name', c1, '--network', n1, '--ip', '10.212.201.9', '-p', `127.0.0.1:${port}:80`, '-p', '90', '--expose', '7000-7001', 'busybox-ref', 'sleep', '300']));
  ok(await berth(engine, ['network', 'connect', '--alias', 'extra', n2, c1]));
  for (const args of [
    ['network', 'ls', '--filter', names],
    ['network', 'ls', '--filter', names, '--format', '{{json .}}'],
    ['network', 'ls', '--filter', names, '--format', 'table {{.Name}}\t{{.Internal}}\t{{.Labels}}\t{{.Label "x"}}'],
    ['network', 'ls', '--filter', names, '-q'],
    ['network', 'inspect', n1, n2],
    ['network', 'inspect', '-f', '{{.Name}} {{.Nope}}', n1, 'nosuch'],
    ['network', 'inspect', 'nosuch'],
    ['network', 'rm', 'nosuch', 'bridge'],
    ['network', 'create', '--subnet', '10.212.202.0/24', '--gateway', '10.212.203.1', 'bcli-never'],
    ['network', 'create', '--subnet', '10.212.202.0/24', '--subnet', '10.212.202.0/25', 'bcli-never'],
    ['network', 'ls', '-f', 'bogus'],
    ['port', c1],
    ['port', c1, '80'],
    ['port', c1, '81'],
    ['port', c1, 'abc'],
    ['ps', '--filter', `name=${c1}`, '--format', '{{.Ports}}'],
    ['inspect', '-f', '{{json .HostConfig.PortBindings}} {{json .Config.ExposedPorts}}', c1],
    ['run', '--rm', '--network-alias', 'x', 'busybox-ref', 'true'],
    ['run', '--rm', '-p', '8000:80-81', 'busybox-ref', 'true'],
  ]) {
    const mine = await berth(engine, args);
    const theirs = await docker(engine, args);
    assert.deepEqual({ ...mine, stderr: mine.stderr.replaceAll('berth', 'docker') }, theirs, args.join(' '));
  }
  ok(await berth(engine, ['network', 'disconnect', n2, c1]));
  assert.equal(ok(await docker(engine, ['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}{{end}}', c1])), `${n1}=10.212.201.9\n`);
});
