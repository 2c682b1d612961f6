import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerDefaults, parseDaemonConfig } from './daemon-config.ts';

test('daemon.json: dockerd keys accepted, unknown ones named, bad JSON reported', () => {
  assert.deepEqual(parseDaemonConfig('{"debug": true, "iptables": false}', '/f'), { debug: true, iptables: false });
  assert.deepEqual(parseDaemonConfig('', '/f'), {});
  assert.throws(() => parseDaemonConfig('{"foo": 1, "bar": 2}', '/f'), { message: "unable to configure the daemon with file /f: the following directives don't match any configuration option: foo, bar" });
  assert.throws(() => parseDaemonConfig('{bad', '/f'), /^Error: unable to configure the daemon with file \/f: /);
  assert.throws(() => parseDaemonConfig('[]', '/f'), /must be a JSON object/);
});

test('container defaults from the configuration, checked', () => {
  assert.deepEqual(containerDefaults({}), {});
  assert.deepEqual(containerDefaults({ 'log-opts': { 'max-size': '1m' }, 'default-shm-size': '16M', 'no-new-privileges': true, 'default-ulimits': { nofile: { Soft: 1, Hard: 2 } } }), {
    logConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
    shmSize: 16 * 1024 * 1024,
    noNewPrivileges: true,
    ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }],
  });
  assert.deepEqual(containerDefaults({ 'seccomp-profile': 'unconfined' }), { seccompProfile: 'unconfined' });
  assert.throws(() => containerDefaults({ 'log-driver': 'syslogx' }), /plugin "syslogx" not found/);
  assert.throws(() => containerDefaults({ 'log-opts': { nope: '1' } }), /failed to set log opts: unknown log opt 'nope' for json-file log driver/);
  assert.throws(() => containerDefaults({ 'default-shm-size': 'big' }), /default-shm-size: invalid size: 'big'/);
  assert.throws(() => containerDefaults({ 'seccomp-profile': '/nonexistent.json' }), /opening seccomp profile \(\/nonexistent.json\) failed/);
});

test('registry settings: daemon.json lists plus the flags, mirrors checked as dockerd checks them', async () => {
  const { distributionConfig } = await import('./daemon-config.ts');
  const cfg = parseDaemonConfig('{"insecure-registries":["10.0.0.0/8"],"registry-mirrors":["https://m.example"],"max-concurrent-downloads":5}', 'daemon.json');
  assert.deepEqual(distributionConfig(cfg, { 'insecure-registry': ['reg:5000'], 'registry-mirror': ['ghcr.io=http://127.0.0.1:5001'] }), {
    insecureRegistries: ['10.0.0.0/8', 'reg:5000'],
    registryMirrors: ['https://m.example', 'ghcr.io=http://127.0.0.1:5001'],
    maxConcurrentDownloads: 5,
  });
  assert.throws(() => distributionConfig({ 'registry-mirrors': ['ftp://x'] }, {}), /invalid mirror: unsupported scheme "ftp" in "ftp:\/\/x"/);
  assert.throws(() => distributionConfig({}, { 'max-concurrent-downloads': '0' }), /invalid max concurrent downloads: 0/);
});
