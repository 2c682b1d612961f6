import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { IMAGE, b, cli, requireHost, testName } from './harness.ts';

test('run streams stdout and stderr apart and exits with the container code', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '--rm', '-e', 'A=hello', IMAGE, 'sh', '-c', 'echo $A; echo oops >&2; exit 3']);
  assert.equal(r.stdout, 'hello\n');
  assert.equal(r.stderr, 'oops\n');
  assert.equal(r.code, 3);
});

test('run -i pipes stdin and closes it at EOF', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['run', '--rm', '-i', IMAGE, 'sh', '-c', 'cat; echo done'], { input: 'line1\nline2\n' });
  assert.equal(r.stdout, 'line1\nline2\ndone\n');
  assert.equal(r.code, 0);
});

test('run of a missing executable exits 127', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const r = cli(['run', '--name', name, IMAGE, 'nonexistent-cmd']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, new RegExp(b('^{bin}: Error response from daemon: .*executable file not found.*\n\nRun \'{bin} run --help\' for more information\n$')));
});

test('run of a directory exits 126', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const r = cli(['run', '--name', name, IMAGE, '/etc']);
  assert.equal(r.code, 126);
});

test('run -d prints the full ID; ps, logs, inspect, stop and rm see the container', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const run = cli(['run', '-d', '--name', name, '-l', 'conf=yes', IMAGE, 'sh', '-c', 'echo started; sleep 300']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const ps = cli(['ps', '--filter', `name=${name}`, '--format', '{{.ID}} {{.Names}} {{.Command}} {{.Label "conf"}}']);
  assert.equal(ps.stdout, `${id.slice(0, 12)} ${name} "sh -c 'echo startedâ€¦" yes\n`.replace('â€¦', '…'));

  const q = cli(['ps', '-q', '--no-trunc', '--filter', `name=${name}`]);
  assert.equal(q.stdout, `${id}\n`);

  const table = cli(['ps', '--filter', `name=${name}`]);
  const lines = table.stdout.split('\n');
  assert.match(lines[0] ?? '', /^CONTAINER ID   IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
  assert.match(lines[1] ?? '', new RegExp(`^${id.slice(0, 12)}   ${IMAGE} +"sh -c 'echo started…" +.+ ago +Up .+ +${name}$`));

  const inspect = cli(['inspect', '--format', '{{.Name}} {{.State.Running}} {{index .Config.Labels "conf"}}', name]);
  assert.equal(inspect.stdout, `/${name} true yes\n`);

  const raw = cli(['container', 'inspect', name]);
  assert.match(raw.stdout, /^\[\n    \{\n        "Id": "/);
  assert.equal(JSON.parse(raw.stdout)[0].Id, id);

  for (let i = 0; i < 50 && !cli(['logs', name]).stdout.includes('started'); i++) cli(['inspect', name]);
  assert.equal(cli(['logs', name]).stdout, 'started\n');

  assert.deepEqual(cli(['stop', '-t', '1', name]), { stdout: `${name}\n`, stderr: '', code: 0 });
  assert.equal(cli(['inspect', '-f', '{{.State.Status}}', name]).stdout, 'exited\n');
  assert.deepEqual(cli(['rm', name]), { stdout: `${name}\n`, stderr: '', code: 0 });
});

test('exec runs in the container and returns its exit code', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  const r = cli(['exec', '-e', 'X=1', name, 'sh', '-c', 'echo x=$X; echo e >&2; exit 4']);
  assert.deepEqual(r, { stdout: 'x=1\n', stderr: 'e\n', code: 4 });
  const i = cli(['exec', '-i', name, 'cat'], { input: 'piped\n' });
  assert.equal(i.stdout, 'piped\n');
});

test('exec of a missing or non-executable command says why on stdout and exits 126, as dockerd does', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  const missing = cli(['exec', name, 'nosuch-cmd']);
  assert.deepEqual(missing, {
    stdout: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch-cmd": executable file not found in $PATH: unknown\r\n',
    stderr: '',
    code: 126,
  });
  const dir = cli(['exec', name, '/etc']);
  assert.equal(dir.code, 126);
  assert.match(dir.stdout, /exec: "\/etc": permission denied: unknown/);
  // The container is unharmed.
  assert.deepEqual(cli(['exec', name, 'echo', 'ok']), { stdout: 'ok\n', stderr: '', code: 0 });
});

test('the container user has its primary group among its groups, as with dockerd', (t) => {
  if (!requireHost(t)) return;
  assert.equal(cli(['run', '--rm', IMAGE, 'id']).stdout, 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
  assert.equal(cli(['run', '--rm', '-u', '1000:1000', IMAGE, 'id']).stdout, 'uid=1000 gid=1000 groups=1000\n');
  assert.equal(cli(['run', '--rm', '-u', 'nobody', IMAGE, 'id']).stdout, 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n');
});

test('stop, rm and inspect of a missing container report each failure', (t) => {
  if (!requireHost(t)) return;
  const r = cli(['stop', 'conf-nosuch-a', 'conf-nosuch-b']);
  assert.equal(r.stderr, 'Error response from daemon: No such container: conf-nosuch-a\nError response from daemon: No such container: conf-nosuch-b\n');
  assert.equal(r.code, 1);
  const i = cli(['inspect', 'conf-nosuch-a']);
  assert.deepEqual(i, { stdout: '[]\n', stderr: 'Error: No such object: conf-nosuch-a\n', code: 1 });
});

test('create then start -a returns the exit code; wait prints it', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  const c = cli(['create', '--name', name, IMAGE, 'sh', '-c', 'echo hi; exit 5']);
  assert.match(c.stdout, /^[0-9a-f]{64}\n$/);
  const s = cli(['start', '-a', name]);
  assert.deepEqual(s, { stdout: 'hi\n', stderr: '', code: 5 });
  assert.deepEqual(cli(['wait', name]), { stdout: '5\n', stderr: '', code: 0 });
});

test('start of containers that fail ends with the names that failed', (t) => {
  if (!requireHost(t)) return;
  const name = `failstart-${process.pid}`;
  assert.equal(cli(['create', '--name', name, IMAGE, 'nosuchcmd']).code, 0);
  const r = cli(['start', name, 'nosuch-container']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.match(lines[0] ?? '', /^Error response from daemon: .*"nosuchcmd": executable file not found in \$PATH/);
  assert.deepEqual(lines.slice(1), ['Error response from daemon: No such container: nosuch-container', `Error: failed to start containers: ${name}, nosuch-container`, '']);
  cli(['rm', '-f', name]);
});

test('kill words its failures as dockerd does', (t) => {
  if (!requireHost(t)) return;
  const missing = cli(['kill', 'nosuch-container']);
  assert.equal(missing.stderr, 'Error response from daemon: Cannot kill container: nosuch-container: No such container: nosuch-container\n');
  assert.equal(missing.code, 1);
  const name = `killstopped-${process.pid}`;
  const id = cli(['create', '--name', name, IMAGE, 'true']).stdout.trim();
  const stopped = cli(['kill', name]);
  assert.equal(stopped.stderr, `Error response from daemon: Cannot kill container: ${name}: Container ${id} is not running\n`);
  assert.equal(stopped.code, 1);
  cli(['rm', '-f', name]);
});

test('kill checks the signal: unknown names, 0, and numbers Linux has not', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  assert.deepEqual(cli(['kill', '-s', 'BOGUS', name]), { stdout: '', stderr: 'Error response from daemon: Invalid signal: BOGUS\n', code: 1 });
  assert.deepEqual(cli(['kill', '-s', '0', name]), { stdout: '', stderr: 'Error response from daemon: Invalid signal: 0\n', code: 1 });
  assert.deepEqual(cli(['kill', '-s', '99', name]), {
    stdout: '',
    stderr: `Error response from daemon: Cannot kill container: ${name}: The linux daemon does not support signal 99\n`,
    code: 1,
  });
  assert.equal(cli(['inspect', '-f', '{{.State.Status}}', name]).stdout, 'running\n');
});

test('restart policies are checked at create, with dockerd\'s words', (t) => {
  if (!requireHost(t)) return;
  const cases: [string, string][] = [
    ['bogus', "invalid restart policy 'bogus'"],
    ['always:3', "maximum retry count cannot be used with restart policy 'always'"],
    ['on-failure:-1', 'maximum retry count cannot be negative'],
  ];
  for (const [policy, message] of cases) {
    assert.deepEqual(cli(['create', '--restart', policy, IMAGE, 'true']), { stdout: '', stderr: `Error response from daemon: ${message}\n`, code: 1 }, policy);
  }
});

test('logs --tail: a count, or everything when it is negative or not a number (as dockerd reads it)', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '--name', name, IMAGE, 'sh', '-c', 'echo 1; echo 2; echo 3']).code, 0);
  assert.deepEqual(cli(['logs', '--tail', '1', name]), { stdout: '3\n', stderr: '', code: 0 });
  assert.deepEqual(cli(['logs', '--tail', '-1', name]), { stdout: '1\n2\n3\n', stderr: '', code: 0 });
  assert.deepEqual(cli(['logs', '--tail', 'x', name]), { stdout: '1\n2\n3\n', stderr: '', code: 0 });
});

test('inspect --type, port and rename failures are worded as the docker CLI words them', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  assert.deepEqual(cli(['inspect', '--type', 'container', IMAGE]), { stdout: '[]\n', stderr: `Error response from daemon: No such container: ${IMAGE}\n`, code: 1 });
  assert.match(cli(['inspect', '--type', 'bogus', name]).stderr, /^unknown type: "bogus": must be one of "config", "container", "image"/);
  assert.deepEqual(cli(['port', name, '80']), { stdout: '', stderr: `Error: No public port '80' published for ${name}\n`, code: 1 });
  const renamed = cli(['rename', name, name]);
  assert.equal(renamed.code, 1);
  assert.match(renamed.stderr, new RegExp(`^Error response from daemon: .*\\nError: failed to rename container named ${name}\\n$`));
});

test('inspect lists the execs that have not ended, as dockerd does', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  t.after(() => cli(['rm', '-f', name]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  assert.equal(cli(['exec', name, 'true']).code, 0);
  assert.equal(cli(['inspect', '-f', '{{len .ExecIDs}}', name]).stdout, '0\n');
  assert.equal(cli(['exec', '-d', name, 'sleep', '5']).code, 0);
  assert.equal(cli(['inspect', '-f', '{{len .ExecIDs}}', name]).stdout, '1\n');
});

test('exec -u takes HOME from that user\'s passwd entry (/ without one), unless the container set HOME', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  const withHome = `${name}-home`;
  t.after(() => cli(['rm', '-f', name, withHome]));
  assert.equal(cli(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).code, 0);
  const nobodyHome = cli(['exec', name, 'sh', '-c', "grep '^nobody:' /etc/passwd | cut -d: -f6"]).stdout;
  assert.notEqual(nobodyHome, '');
  assert.equal(cli(['exec', '-u', 'nobody', name, 'sh', '-c', 'echo $HOME']).stdout, nobodyHome);
  assert.equal(cli(['exec', '-u', '4242', name, 'sh', '-c', 'echo $HOME']).stdout, '/\n');
  assert.equal(cli(['exec', name, 'sh', '-c', 'echo $HOME']).stdout, '/root\n');
  assert.equal(cli(['run', '-d', '--name', withHome, '-e', 'HOME=/set', IMAGE, 'sleep', '300']).code, 0);
  assert.equal(cli(['exec', '-u', 'nobody', withHome, 'sh', '-c', 'echo $HOME']).stdout, '/set\n');
  assert.equal(cli(['exec', '-u', 'nobody', '-e', 'HOME=/mine', withHome, 'sh', '-c', 'echo $HOME']).stdout, '/mine\n');
});

test('cp sees what the container sees: binds and the generated /etc files, running or stopped', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  const dir = fs.mkdtempSync('/tmp/berth-conf-cp-');
  t.after(() => {
    cli(['rm', '-f', name]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  fs.writeFileSync(`${dir}/on-host.txt`, 'from the host\n');
  fs.writeFileSync(`${dir}/in.txt`, 'copied in\n');
  fs.mkdirSync(`${dir}/bind`);
  fs.writeFileSync(`${dir}/bind/on-host.txt`, 'from the host\n');
  assert.equal(cli(['run', '-d', '--name', name, '-h', 'cp-host', '-v', `${dir}/bind:/data`, IMAGE, 'sleep', '300']).code, 0);
  const out = (p: string) => cli(['cp', `${name}:${p}`, `${dir}/out`]);
  const read = (p: string) => {
    fs.rmSync(`${dir}/out`, { force: true });
    const r = out(p);
    assert.equal(r.code, 0, r.stderr);
    return fs.readFileSync(`${dir}/out`, 'utf8');
  };
  assert.equal(read('/etc/hostname'), 'cp-host\n');
  assert.match(read('/etc/hosts'), /^127\.0\.0\.1\tlocalhost\n/);
  assert.equal(read('/data/on-host.txt'), 'from the host\n');
  assert.equal(cli(['cp', `${dir}/in.txt`, `${name}:/data/in.txt`]).code, 0);
  assert.equal(fs.readFileSync(`${dir}/bind/in.txt`, 'utf8'), 'copied in\n');
  const busy = cli(['cp', `${dir}/in.txt`, `${name}:/etc/hostname`]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /Error response from daemon: Error processing tar file\(exit status 1\): unlinkat \/etc\/hostname: device or resource busy\n/);
  assert.equal(cli(['stop', '-t', '0', name]).code, 0);
  assert.equal(read('/data/on-host.txt'), 'from the host\n');
  assert.equal(read('/etc/hostname'), 'cp-host\n');
});
