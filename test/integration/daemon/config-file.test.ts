/** daemon.json: container defaults a daemon applies (log driver and opts, ulimits, shm size, no-new-privileges), and keys it refuses. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { startDaemon, requireRoot, BERTHD, docker, type Daemon } from '../../helpers/daemon.ts';

const DEFAULTS = {
  'log-driver': 'json-file',
  'log-opts': { 'max-size': '2k', tag: 'from-daemon' },
  'default-ulimits': { nofile: { Name: 'nofile', Soft: 512, Hard: 1024 } },
  'default-shm-size': '16M',
  'no-new-privileges': true,
  'live-restore': true,
};

/** A temp directory for config files, removed after the test. */
async function configDir(t: TestContext): Promise<string> {
  const dir = await fs.mkdtemp('/tmp/berth-cfg-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A daemon started with DEFAULTS as its daemon.json. */
async function daemonWithDefaults(t: TestContext): Promise<Daemon> {
  const dir = await configDir(t);
  await fs.writeFile(`${dir}/daemon.json`, JSON.stringify(DEFAULTS));
  return startDaemon(t, { args: ['--config-file', `${dir}/daemon.json`] });
}

test('daemon.json default-ulimits, no-new-privileges and default-shm-size reach a container\'s process', async (t) => {
  if (!requireRoot(t)) return;
  const d = await daemonWithDefaults(t);
  const run = await docker(d, ['run', '--name', 'c1', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn; grep NoNewPrivs /proc/self/status; df -k /dev/shm | tail -1']);
  assert.equal(run.code, 0, run.stderr);
  const [soft, hard, nnp, shm] = run.stdout.trim().split('\n');
  assert.equal(soft, '512');
  assert.equal(hard, '1024');
  assert.match(nnp!, /NoNewPrivs:\s+1/);
  assert.match(shm!, /\s16384\s/);
});

test('inspect shows daemon.json\'s log driver and opts and shm size in HostConfig, but not its ulimits', async (t) => {
  if (!requireRoot(t)) return;
  const d = await daemonWithDefaults(t);
  await docker(d, ['create', '--name', 'c1', 'busybox', 'true']);
  const cfg = await docker(d, ['inspect', '-f', '{{json .HostConfig.LogConfig}} {{.HostConfig.ShmSize}} {{json .HostConfig.Ulimits}}', 'c1']);
  assert.equal(cfg.stdout, '{"Type":"json-file","Config":{"max-size":"2k","tag":"from-daemon"}} 16777216 []\n');
});

test('a container\'s own --ulimit, --log-opt and --shm-size win over daemon.json\'s', async (t) => {
  if (!requireRoot(t)) return;
  const d = await daemonWithDefaults(t);
  const own = await docker(d, ['run', '--rm', '--ulimit', 'nofile=256:300', '--log-opt', 'max-size=5k', '--shm-size', '8m', 'busybox', 'sh', '-c', 'ulimit -n']);
  assert.equal(own.stdout, '256\n', own.stderr);
});

test('daemon.json log-opts do not apply to a container with another log driver', async (t) => {
  if (!requireRoot(t)) return;
  const d = await daemonWithDefaults(t);
  const other = (await docker(d, ['create', '--log-driver', 'local', '--log-opt', 'max-file=2', 'busybox'])).stdout.trim();
  assert.equal((await docker(d, ['inspect', '-f', '{{json .HostConfig.LogConfig.Config}}', other])).stdout, '{"max-file":"2"}\n');
});

test('a key daemon.json does not know stops the daemon with exit 1, naming the key', async (t) => {
  if (!requireRoot(t)) return;
  const dir = await configDir(t);
  await fs.writeFile(`${dir}/bad.json`, JSON.stringify({ 'log-driver': 'json-file', 'no-such-option': 1 }));
  const bad = spawn(BERTHD, ['--config-file', `${dir}/bad.json`, '-H', `unix://${dir}/bad.sock`, '--data-root', `${dir}/data`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
  assert.equal(await new Promise((r) => bad.on('exit', r)), 1);
  assert.match(err, /the following directives don't match any configuration option: no-such-option/);
});
