import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { IMAGE, b, cli, requireHost, testName } from './harness.ts';
import { pollUntil } from '../../helpers/wait.ts';

const runError = (message: string) => new RegExp(b(`^{bin}: Error response from daemon: ${message}\n\nRun '{bin} run --help' for more information\n$`));

test('--ipc container: joins a shareable donor and sees its /dev/shm', async (t) => {
  if (!requireHost(t)) return;
  const donor = testName(t);
  t.after(() => cli(['rm', '-f', donor]));
  const started = cli(['run', '-d', '--name', donor, '--ipc', 'shareable', IMAGE, 'sh', '-c', 'echo shared > /dev/shm/note; sleep 300']);
  assert.equal(started.code, 0, started.stderr);
  assert.equal(cli(['inspect', '-f', '{{.HostConfig.IpcMode}}', donor]).stdout, 'shareable\n');
  // The donor's shell writes the file just after it starts: wait until it is there.
  const note = await pollUntil(() => cli(['exec', donor, 'cat', '/dev/shm/note']).stdout, (out) => out === 'shared\n');
  assert.equal(note, 'shared\n');
  let r = cli(['run', '--rm', '--ipc', `container:${donor}`, IMAGE, 'sh', '-c', 'cat /dev/shm/note; grep " /dev/shm " /proc/mounts']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^shared\nshm \/dev\/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\n$/);
  // Same IPC namespace: the joiner's ipc link is the donor's.
  const donorNs = cli(['exec', donor, 'readlink', '/proc/self/ns/ipc']).stdout;
  r = cli(['run', '--rm', '--ipc', `container:${donor}`, IMAGE, 'readlink', '/proc/self/ns/ipc']);
  assert.equal(r.stdout, donorNs);
  assert.match(donorNs, /^ipc:\[\d+\]\n$/);
});

test('--ipc container: refuses a private donor, a stopped one, and a missing one at create', (t) => {
  if (!requireHost(t)) return;
  const donor = testName(t);
  const stopped = `${donor}-stopped`;
  t.after(() => cli(['rm', '-f', donor, stopped]));
  assert.equal(cli(['run', '-d', '--name', donor, IMAGE, 'sleep', '300']).code, 0);
  assert.equal(cli(['create', '--name', stopped, IMAGE]).code, 0);
  const donorId = cli(['inspect', '-f', '{{.Id}}', donor]).stdout.trim();
  const stoppedId = cli(['inspect', '-f', '{{.Id}}', stopped]).stdout.trim();

  let r = cli(['run', '--rm', '--ipc', `container:${donor}`, IMAGE, 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, runError(`can't join IPC of container ${donorId}: non-shareable IPC \\(hint: use IpcMode:shareable for the donor container\\)`));

  r = cli(['run', '--rm', '--ipc', `container:${stopped}`, IMAGE, 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, runError(`can't join IPC of container ${stoppedId}: container ${stoppedId} is not running`));

  r = cli(['create', '--ipc', 'container:no-such-donor', IMAGE]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error response from daemon: No such container: no-such-donor\n');
});

test('--ipc none has no /dev/shm; --ipc host binds the host one', (t) => {
  if (!requireHost(t)) return;
  let r = cli(['run', '--rm', '--ipc', 'none', IMAGE, 'sh', '-c', 'grep -c " /dev/shm " /proc/mounts']);
  assert.equal(r.stdout, '0\n');
  r = cli(['run', '--rm', '--ipc', 'host', IMAGE, 'readlink', '/proc/self/ns/ipc']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `ipc:[${/\d+/.exec(readlinkSelfIpc())![0]}]`);
});

test('--pid container: shares the donor\'s process namespace', (t) => {
  if (!requireHost(t)) return;
  const donor = testName(t);
  const stopped = `${donor}-stopped`;
  t.after(() => cli(['rm', '-f', donor, stopped]));
  assert.equal(cli(['run', '-d', '--name', donor, IMAGE, 'sleep', '300']).code, 0);
  let r = cli(['run', '--rm', '--pid', `container:${donor}`, IMAGE, 'ps', '-o', 'pid,args']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^PID +COMMAND\n +1 sleep 300\n/);

  assert.equal(cli(['create', '--name', stopped, IMAGE]).code, 0);
  const stoppedId = cli(['inspect', '-f', '{{.Id}}', stopped]).stdout.trim();
  r = cli(['run', '--rm', '--pid', `container:${stopped}`, IMAGE, 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, runError(`container ${stoppedId} is not running`));
  r = cli(['create', '--pid', 'container:no-such-donor', IMAGE]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error response from daemon: No such container: no-such-donor\n');
});

test('a container of its own network may bind low ports and ping unprivileged; none has no IPv6', (t) => {
  if (!requireHost(t)) return;
  let r = cli(['run', '--rm', IMAGE, 'cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start', '/proc/sys/net/ipv4/ping_group_range']);
  assert.equal(r.stdout, '0\n0\t2147483647\n');
  r = cli(['run', '--rm', '-u', '1000', IMAGE, 'sh', '-c', 'nc -l -p 80 & for i in $(seq 100); do netstat -ltn | grep -q ":80 " && break; usleep 20000; done; netstat -ltn | grep -c ":80 "']);
  assert.equal(r.stdout, '1\n', r.stderr);
  r = cli(['run', '--rm', '--network', 'none', IMAGE, 'sh', '-c', 'cat /proc/sys/net/ipv6/conf/lo/disable_ipv6; ip addr show lo | grep -c inet6']);
  assert.equal(r.stdout, '1\n0\n');
  // The user's --sysctl wins over the defaults.
  r = cli(['run', '--rm', '--sysctl', 'net.ipv4.ping_group_range=1 1', IMAGE, 'cat', '/proc/sys/net/ipv4/ping_group_range']);
  assert.equal(r.stdout, '1\t1\n');
  r = cli(['run', '--rm', '-h', 'box', '--domainname', 'example.com', IMAGE, 'sh', '-c', 'hostname; cat /proc/sys/kernel/domainname']);
  assert.equal(r.stdout, 'box\nexample.com\n');
});

test('create refuses CPUs and memory nodes the host does not have, a bad stop signal and an unknown log option', (t) => {
  if (!requireHost(t)) return;
  const createError = (args: string[], message: string) => {
    const r = cli(['create', ...args, IMAGE]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.equal(r.stderr, `Error response from daemon: ${message}\n`);
  };
  createError(['--cpuset-cpus', '0-511'], 'Requested CPUs are not available - requested 0-511, available: ' + hostCpuset('cpus'));
  createError(['--cpuset-mems', '63'], 'Requested memory nodes are not available - requested 63, available: ' + hostCpuset('mems'));
  createError(['--cpuset-cpus', 'abc'], 'Invalid value abc for cpuset cpus: invalid format: abc');
  createError(['--stop-signal', '0'], 'Invalid signal: 0');
  createError(['--stop-signal', 'SIGBOGUS'], 'Invalid signal: SIGBOGUS');
  createError(['--log-opt', 'bogus=1'], "unknown log opt 'bogus' for json-file log driver");
  createError(['--log-opt', 'mode=sometimes'], 'logger: logging mode not supported: sometimes');
});

test('create warns when the OOM killer is off without a memory limit', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const r = cli(['create', '--name', name, '--oom-kill-disable', IMAGE]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, 'WARNING: OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.\n');
  const quiet = cli(['create', '--oom-kill-disable', '--memory', '64m', IMAGE]);
  t.after(() => cli(['rm', '-f', quiet.stdout.trim()]));
  assert.equal(quiet.stderr, '');
});

test('--platform: a local image of another platform is not used', (t) => {
  if (!requireHost(t)) return;
  const same = cli(['run', '--rm', '--platform', 'linux/amd64', IMAGE, 'echo', 'ran']);
  if (process.arch === 'x64') assert.equal(same.stdout, 'ran\n', same.stderr);
  const other = cli(['run', '--rm', '--platform', process.arch === 'x64' ? 'linux/arm64' : 'linux/amd64', IMAGE, 'echo', 'ran']);
  assert.equal(other.code, 125);
  assert.equal(other.stdout, '');
});

function readlinkSelfIpc(): string {
  return readlinkSync('/proc/self/ns/ipc');
}

function hostCpuset(what: 'cpus' | 'mems'): string {
  for (const file of [`/sys/fs/cgroup/cpuset/cpuset.${what}`, `/sys/fs/cgroup/cpuset.${what}.effective`]) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      // the other layout
    }
  }
  return '';
}
