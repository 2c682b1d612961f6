/** dockerd's create-time refusals, through the real docker CLI and the raw API; nothing is stored. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';

// Flags the docker CLI passes to the daemon unchecked, and dockerd's answer to each.
const REFUSED: Array<[string[], string]> = [
  [['-w', 'relative'], "the working directory 'relative' is invalid, it needs to be an absolute path"],
  [['--runtime', 'bogus'], 'Unknown runtime specified bogus'],
  [['--volumes-from', 'nosuch'], 'No such container: nosuch'],
  [['--volumes-from', 'cc-donor:rshared'], 'invalid mode: rshared'],
  [['--health-cmd', 'true', '--health-interval', '5ns'], 'Interval in Healthcheck cannot be less than 1ms'],
  [['--isolation', 'process'], 'Invalid isolation: "process" - linux only supports \'default\''],
];

test('docker create and run answer dockerd\'s refusals, store nothing, and never pull', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  assert.equal((await docker(d, ['create', '--name', 'cc-donor', 'busybox', 'true'])).code, 0);
  for (const [flags, message] of REFUSED) {
    const create = await docker(d, ['create', ...flags, 'busybox', 'true']);
    assert.equal(create.code, 1, flags.join(' '));
    assert.equal(create.stderr.trim(), `Error response from daemon: ${message}`);
    const run = await docker(d, ['run', '--rm', ...flags, 'busybox', 'true']);
    assert.equal(run.code, 125, flags.join(' '));
    assert.doesNotMatch(run.stderr, /Unable to find image/);
    assert.match(run.stderr, new RegExp(`Error response from daemon: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  }
  const accepted = await docker(d, ['create', '--runtime', 'runc', '--volumes-from', 'cc-donor:ro', '-w', '/tmp', '--add-host', 'h:host-gateway', '-p', '8080/tcp', 'busybox', 'true']);
  assert.equal(accepted.code, 0, accepted.stderr);
  const ps = await docker(d, ['ps', '-aq', '--no-trunc']);
  assert.equal(ps.code, 0);
  assert.equal(ps.stdout.trim().split('\n').length, 2, 'only the donor and the accepted container are stored');
});

test('what dockerd takes at create but cannot apply fails the start (500), recorded as dockerd records it', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }, /bogus/],
    [{ Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 1 }] }, /soft limit/],
    [{ SecurityOpt: ['seccomp={bad json'] }, /^Decoding seccomp profile failed/],
  ];
  for (const [hostConfig, error] of cases) {
    const created = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], HostConfig: hostConfig });
    assert.equal(created.status, 201, created.text);
    const start = await d.api('POST', `/containers/${created.body.Id}/start`);
    assert.equal(start.status, 500, JSON.stringify(hostConfig));
    assert.match(start.body.message, error);
    const state = (await d.api('GET', `/containers/${created.body.Id}/json`)).body.State;
    assert.equal(state.Status, 'created');
    assert.equal(state.ExitCode, 128);
    assert.match(state.Error, error);
  }
  const ps = await docker(d, ['ps', '-a']);
  assert.equal(ps.code, 0, ps.stderr);
});

test('bodies the docker CLI would refuse itself get dockerd\'s answers from the API', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ Env: ['=x'] }, 400, 'invalid environment variable: =x'],
    [{ HostConfig: { CgroupnsMode: 'bogus' } }, 400, 'invalid cgroup namespace mode: bogus'],
    [{ HostConfig: { ExtraHosts: ['nocolon'] } }, 400, 'bad format for add-host: "nocolon"'],
    [{ HostConfig: { PortBindings: { '80/tcp': [{ HostPort: 'abc' }] } } }, 400, 'invalid port specification: "abc"'],
    [{ HostConfig: { PortBindings: { '99999/tcp': null } } }, 400, 'invalid port specification: "99999"'],
    [{ HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, 400, "can't create 'AutoRemove' container with restart policy"],
    [{ Image: 'nosuchimage', HostConfig: { VolumesFrom: ['nosuch'], Binds: ['a:b:c:d'] } }, 404, 'No such image: nosuchimage:latest'],
  ];
  for (const [body, status, message] of cases) {
    const r = await d.api('POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], ...body });
    assert.equal(r.status, status, JSON.stringify(body));
    assert.equal(r.body.message, message);
  }
  const list = await d.api('GET', '/containers/json?all=1');
  assert.deepEqual(list.body, []);
});
