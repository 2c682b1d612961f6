import { test } from 'node:test';
import assert from 'node:assert/strict';
import { b, cli, requireHost } from './harness.ts';

test('an unknown flag prints the usage error and exits 125', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '--foo']);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, b("unknown flag: --foo\n\nUsage:  {bin} run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun '{bin} run --help' for more information\n"));
  assert.equal(r.code, 125);
});

test('an unknown shorthand names the flag and the group', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['ps', '-x']);
  assert.equal(r.stderr, b("unknown shorthand flag: 'x' in -x\n\nUsage:  {bin} ps [OPTIONS]\n\nRun '{bin} ps --help' for more information\n"));
  assert.equal(r.code, 125);
});

test('a flag without its value says so', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '-e']);
  assert.equal(r.stderr, b("flag needs an argument: 'e' in -e\n\nUsage:  {bin} run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun '{bin} run --help' for more information\n"));
  assert.equal(r.code, 125);
});

test('a missing argument prints docker\'s message', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['rm']);
  assert.equal(r.stderr, b("{bin}: '{bin} rm' requires at least 1 argument\n\nUsage:  {bin} rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee '{bin} rm --help' for more information\n"));
  assert.equal(r.code, 1);
});

test('an exact argument count is enforced', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['rename', 'a']);
  assert.equal(r.stderr, b("{bin}: '{bin} rename' requires 2 arguments\n\nUsage:  {bin} rename CONTAINER NEW_NAME\n\nRun '{bin} rename --help' for more information\n"));
  assert.equal(r.code, 1);
});

test('ps accepts no arguments', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['ps', 'extra']);
  assert.equal(r.stderr, b("{bin}: '{bin} ps' accepts no arguments\n\nUsage:  {bin} ps [OPTIONS]\n\nRun '{bin} ps --help' for more information\n"));
  assert.equal(r.code, 1);
});

test('an unknown command is reported', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['foo']);
  assert.equal(r.stderr, b("{bin}: unknown command: {bin} foo\n\nRun '{bin} --help' for more information\n"));
  assert.equal(r.code, 1);
});

test('an unknown subcommand of a group is reported', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['container', 'foo']);
  assert.equal(r.stderr, b("{bin}: unknown command: {bin} container foo\n\nUsage:  {bin} container\n\nRun '{bin} container --help' for more information\n"));
  assert.equal(r.code, 1);
});

test('an invalid memory size is a flag error', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '-m', 'foo', 'busybox']);
  assert.equal(r.stderr, b(`invalid argument "foo" for "-m, --memory" flag: invalid size: 'foo'\n\nUsage:  {bin} run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun '{bin} run --help' for more information\n`));
  assert.equal(r.code, 125);
});

test('an invalid port is rejected before anything is sent', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '-p', 'abc', 'busybox']);
  assert.equal(r.stderr, b("{bin}: invalid containerPort: abc\n\nRun '{bin} run --help' for more information\n"));
  assert.equal(r.code, 125);
});

test('help starts with the usage line', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['stop', '--help']);
  assert.equal(r.code, 0);
  // The description and flag texts are each CLI's own words; the layout is the same.
  assert.match(r.stdout, new RegExp(b('^Usage:  {bin} stop \\[OPTIONS\\] CONTAINER \\[CONTAINER...\\]\n\n[^\n]+\n\nAliases:\n  {bin} container stop, {bin} stop\n')));
  assert.match(r.stdout, /\n  -t, --timeout int     \S/);
});

test('an unreachable daemon gives docker\'s message and exit 1', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['-H', 'unix:///nonexistent/berth.sock', 'ps']);
  assert.equal(r.stderr, 'Cannot connect to the Docker daemon at unix:///nonexistent/berth.sock. Is the docker daemon running?\n');
  assert.equal(r.code, 1);
});

test('Windows-only settings are refused before anything is created (exit 1)', (t) => {
  if (!requireHost(t)) return;
  for (const [flag, value] of [['--cpu-count', '2'], ['--cpu-percent', '50'], ['--io-maxbandwidth', '1mb'], ['--io-maxiops', '100']]) {
    const r = cli(['run', '--rm', flag!, value!, 'busybox', 'true']);
    assert.equal(r.stderr, `"${flag}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux\n`);
    assert.equal(r.code, 1);
  }
  assert.equal(cli(['ps', '-aq']).stdout, '', 'no container was created');
});

test('storage quotas and GPUs are refused with dockerd\'s messages (exit 125)', (t) => {
  if (!requireHost(t)) return;
  const quota = cli(['run', '--rm', '--storage-opt', 'size=1G', 'busybox', 'true']);
  assert.equal(quota.stderr, b("{bin}: Error response from daemon: --storage-opt is supported only for overlay over xfs with 'pquota' mount option\n\nRun '{bin} run --help' for more information\n"));
  assert.equal(quota.code, 125);
  const gpus = cli(['run', '--rm', '--gpus', 'all', 'busybox', 'true']);
  assert.equal(gpus.stderr, b('{bin}: Error response from daemon: could not select device driver "" with capabilities: [[gpu]]\n\nRun \'{bin} run --help\' for more information\n'));
  assert.equal(gpus.code, 125);
  const inspect = cli(['ps', '-a', '--format', '{{.ID}}']);
  for (const id of inspect.stdout.trim().split('\n').filter(Boolean)) cli(['rm', '-f', id]);
});
