import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../flags.ts';
import { RUN_FLAGS } from './container-flags.ts';
import { buildCreateConfig } from './container-config.ts';
import { parsePortSpec, parseRestartPolicy, parseUlimit, parseKeyValueFile, parseVolume } from './specs.ts';

function build(argv: string[], files: Record<string, string> = {}, detach = false) {
  const flags = parseFlags(RUN_FLAGS, argv, { interspersed: false });
  const [image = '', ...args] = flags.args;
  return buildCreateConfig(flags, { image, args, env: { HOME_VAR: 'h' }, readFile: (p) => files[p] ?? '', detach: detach || flags.bool('detach') });
}

test('run flags become Config and HostConfig as docker sends them', () => {
  const b = build(['-it', '--rm', '--name', 'x', '-e', 'A=1', '-e', 'HOME_VAR', '-e', 'UNSET', '-w', '/tmp', '-u', '1000', '-h', 'host', '-l', 'k=v', '-m', '512m', '--cpus', '1.5', '--pids-limit', '10', '--init', '--privileged', '--cap-add', 'NET_ADMIN', '--read-only', '--tmpfs', '/run:size=1m', '--restart', 'on-failure:3', '-p', '8080:80', '-v', '/a:/b:ro', '-v', '/anon', '--entrypoint', '', 'busybox', 'sh', '-c', 'true']);
  assert.equal(b.Config['Image'], 'busybox');
  assert.deepEqual(b.Config['Cmd'], ['sh', '-c', 'true']);
  assert.deepEqual(b.Config['Entrypoint'], ['']);
  assert.deepEqual(b.Config['Env'], ['A=1', 'HOME_VAR=h', 'UNSET']);
  assert.equal(b.Config['Tty'], true);
  assert.equal(b.Config['OpenStdin'], true);
  assert.equal(b.Config['AttachStdin'], true);
  assert.equal(b.Config['StdinOnce'], true);
  assert.deepEqual(b.Config['Labels'], { k: 'v' });
  assert.deepEqual(b.Config['ExposedPorts'], { '80/tcp': {} });
  assert.deepEqual(b.Config['Volumes'], { '/anon': {} });
  assert.equal(b.HostConfig['AutoRemove'], true);
  assert.equal(b.HostConfig['Memory'], 512 * 1024 * 1024);
  assert.equal(b.HostConfig['NanoCpus'], 1.5e9);
  assert.equal(b.HostConfig['PidsLimit'], 10);
  assert.equal(b.HostConfig['Init'], true);
  assert.deepEqual(b.HostConfig['CapAdd'], ['NET_ADMIN']);
  assert.deepEqual(b.HostConfig['Tmpfs'], { '/run': 'size=1m' });
  assert.deepEqual(b.HostConfig['RestartPolicy'], { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.deepEqual(b.HostConfig['PortBindings'], { '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
  assert.deepEqual(b.HostConfig['Binds'], ['/a:/b:ro']);
});

test('-d attaches nothing; without -i stdin is not attached', () => {
  const d = build(['-d', 'busybox']);
  assert.equal(d.Config['AttachStdout'], false);
  const plain = build(['busybox']);
  assert.equal(plain.Config['AttachStdin'], false);
  assert.equal(plain.Config['AttachStdout'], true);
  assert.equal(plain.Config['Cmd'], null);
  assert.equal(plain.Config['Entrypoint'], null);
});

test('--env-file and --label-file are read like docker', () => {
  const b = build(['--env-file', 'e', '--label-file', 'l', 'busybox'], { e: '# c\nA=1\n\nHOME_VAR\nMISSING\n', l: 'x=y\nz\n' });
  assert.deepEqual(b.Config['Env'], ['A=1', 'HOME_VAR=h']);
  assert.deepEqual(b.Config['Labels'], { x: 'y', z: '' });
  assert.deepEqual(parseKeyValueFile('f', 'A=1', {}, true), ['A=1']);
});

test('port specs cover ip, ranges and protocols', () => {
  assert.deepEqual(parsePortSpec('127.0.0.1:8080:80/udp').bindings, { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual(parsePortSpec('80').bindings, { '80/tcp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(Object.keys(parsePortSpec('8000-8001:80-81').bindings), ['80/tcp', '81/tcp']);
  assert.throws(() => parsePortSpec('abc'), /invalid containerPort: abc/);
});

test('ulimits and restart policies', () => {
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Soft: 1024, Hard: 2048 });
  assert.deepEqual(parseUlimit('nproc=5'), { Name: 'nproc', Soft: 5, Hard: 5 });
  assert.throws(() => parseUlimit('bogus=1'), /invalid ulimit type: bogus/);
  assert.deepEqual(parseRestartPolicy('always'), { Name: 'always', MaximumRetryCount: 0 });
  // The daemon judges names and counts; the CLI only the form.
  assert.deepEqual(parseRestartPolicy('sometimes'), { Name: 'sometimes', MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy('on-failure:-1'), { Name: 'on-failure', MaximumRetryCount: -1 });
  assert.throws(() => parseRestartPolicy(':3'), /invalid restart policy format: no policy provided before colon$/);
  assert.throws(() => parseRestartPolicy('on-failure:x'), /maximum retry count must be an integer/);
});

test('health, dns, log and resource flags map to the create body as docker sends them', () => {
  const { Config, HostConfig } = build(['--health-cmd', 'curl -f x', '--health-interval', '5s', '--health-retries', '3', '--dns-search', 'a.example', '--dns-option', 'ndots:2', '--log-opt', 'max-size=1m', '--oom-score-adj', '100', '--cgroupns', 'private', '--annotation', 'k=v', 'busybox'], {}, true) as unknown as { Config: Record<string, unknown>; HostConfig: Record<string, unknown> };
  assert.deepEqual(Config['Healthcheck'], { Test: ['CMD-SHELL', 'curl -f x'], Interval: 5e9, Retries: 3 });
  assert.deepEqual(HostConfig['DnsSearch'], ['a.example']);
  assert.deepEqual(HostConfig['DnsOptions'], ['ndots:2']);
  assert.deepEqual(HostConfig['LogConfig'], { Type: '', Config: { 'max-size': '1m' } });
  assert.equal(HostConfig['OomScoreAdj'], 100);
  assert.equal(HostConfig['CgroupnsMode'], 'private');
  assert.deepEqual(HostConfig['Annotations'], { k: 'v' });
  assert.equal(HostConfig['MemorySwappiness'], -1);
  const none = build(['--no-healthcheck', 'busybox'], {}, true) as unknown as { Config: Record<string, unknown> };
  assert.deepEqual(none.Config['Healthcheck'], { Test: ['NONE'] });
  assert.throws(() => build(['--no-healthcheck', '--health-cmd', 'x', 'busybox'], {}, true), /conflicts with --health-\* options/);
});

test('-v is read as the docker CLI reads it: the form only, relative host paths made absolute', () => {
  assert.deepEqual(parseVolume('/data', '/w'), { volume: '/data' });
  assert.deepEqual(parseVolume('/tmp:relative', '/w'), { bind: '/tmp:relative' });
  assert.deepEqual(parseVolume('./in:/x:ro', '/w'), { bind: '/w/in:/x:ro' });
  assert.deepEqual(parseVolume('named:/x', '/w'), { bind: 'named:/x' });
  assert.throws(() => parseVolume('', '/w'), /^InvalidParameterError: invalid empty volume spec$|invalid empty volume spec/);
  assert.throws(() => parseVolume('/a::/b', '/w'), /invalid spec: \/a::\/b: empty section between colons/);
  assert.throws(() => parseVolume('/a:/b:ro:x', '/w'), /invalid spec: \/a:\/b:ro:x: too many colons/);
});

test('--mount, --volume-driver and --volumes-from go into HostConfig as docker sends them', () => {
  const b = build(['--mount', 'src=data,dst=/d', '--mount', 'type=tmpfs,dst=/t', '--volume-driver', 'local', '--volumes-from', 'other:ro', '-v', 'named:/n', 'busybox']);
  assert.deepEqual(b.HostConfig['Mounts'], [{ Type: 'volume', Source: 'data', Target: '/d' }, { Type: 'tmpfs', Target: '/t' }]);
  assert.equal(b.HostConfig['VolumeDriver'], 'local');
  assert.deepEqual(b.HostConfig['VolumesFrom'], ['other:ro']);
  assert.deepEqual(b.HostConfig['Binds'], ['named:/n']);
  assert.equal(build(['busybox']).HostConfig['Mounts'], undefined);
});
