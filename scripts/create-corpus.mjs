#!/usr/bin/env node
/**
 * The container create/update corpus (issue 9): bodies a user or an SDK
 * could send, each with dockerd 20.10's answer recorded.
 *
 *   node scripts/create-corpus.mjs record           # asks the reference dockerd, writes test/fixtures/create-corpus.json
 *   node scripts/create-corpus.mjs compare <socket> # replays against a berthd, prints the differences
 *
 * Bodies name the image `busybox`; dockerd is sent `busybox-ref` and its
 * words are mapped back. A donor container `corpus-donor` exists on both
 * sides while the corpus runs. What is created is removed at once, by ID.
 */
import http from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FIXTURE = path.join(ROOT, 'test/fixtures/create-corpus.json');
const REF_SOCKET = '/run/refdocker/docker.sock';

/** HostConfig fields and values: [field, values...]. */
const HOST = [
  ['Memory', 0, -1, 1, 4194303, 6291456, 1e15, 2 ** 62, 'x', null, 1.5],
  ['MemoryReservation', -1, 1, 6291456, 1e15],
  ['KernelMemory', 1, 4194304, -1],
  ['MemorySwappiness', -1, 0, 100, 101, -2],
  ['NanoCpus', -1, 1, 1e9, 1e12, 1e15],
  ['CpuShares', -1, 0, 1, 2, 262145, 1e12],
  ['CpuPeriod', -1, 999, 1000, 1000000, 1000001],
  ['CpuQuota', -2, -1, 999, 1000, 1e12],
  ['CpuRealtimePeriod', -1, 1000],
  ['CpuRealtimeRuntime', -1, 1000],
  ['CpusetCpus', '', '0', '0-1', '99', 'a', '0-', '1-0', '0,0'],
  ['CpusetMems', '', '0', '5', 'x'],
  ['CpuCount', 1, -1],
  ['CpuPercent', 50, 101, -1],
  ['BlkioWeight', 5, 10, 1000, 1001, -1],
  ['BlkioWeightDevice', [{ Path: '/dev/nosuch', Weight: 10 }], [{ Path: 'rel', Weight: 10 }], []],
  ['BlkioDeviceReadBps', [{ Path: '/dev/nosuch', Rate: 1 }], [{ Path: '/dev/null', Rate: 1 }], [{ Rate: 1 }]],
  ['BlkioDeviceWriteIOps', [{ Path: '/dev/nosuch', Rate: 1 }], [{ Path: '/dev/null', Rate: -1 }]],
  ['PidsLimit', -1, 0, 10, -5, null],
  ['OomScoreAdj', -1001, -1000, 0, 1000, 1001],
  ['OomKillDisable', true, false, null, 'yes'],
  ['ShmSize', -1, 0, 1, 1e20, 67108864],
  ['Tmpfs', { '/x': '' }, { rel: '' }, { '/x': 'size=abc' }, { '/x': 'bogusopt' }, { '/x': 5 }, {}, { '/x': 'size=1m,mode=1777' }],
  ['Binds', ['/tmp:/x'], ['/tmp:x'], ['rel:/x'], ['/tmp:/x:badmode'], ['/tmp'], [':/x'], ['/tmp:/x:ro,rw'], ['/tmp:/x:ro'], ['/tmp:/x:z'], ['/nonexistent-src:/x'], ['/tmp:/'], ['a:b:c:d'], [''], ['/tmp:/x', '/tmp:/x'], ['vol:/x']],
  ['Devices', [{ PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'rwm' }], [{ PathOnHost: 'rel', PathInContainer: '/dev/n', CgroupPermissions: 'rwm' }], [{ PathOnHost: '/dev/nosuch', PathInContainer: '/dev/n', CgroupPermissions: 'rwm' }], [{ PathOnHost: '/dev/null', PathInContainer: 'rel', CgroupPermissions: 'rwm' }], [{ PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'xyz' }], [{ PathOnHost: '/dev/null' }], [5]],
  ['DeviceCgroupRules', ['bad'], ['c 1:3 rwm'], ['a *:* rwm']],
  ['DeviceRequests', [{ Driver: 'nvidia', Count: -1 }], [{ Capabilities: [['gpu']] }], []],
  ['Ulimits', [{ Name: 'nofile', Soft: 1024, Hard: 2048 }], [{ Name: 'bogus', Soft: 1, Hard: 1 }], [{ Name: 'nofile', Soft: 'x', Hard: 1 }], [{ Name: 'nofile', Soft: 10, Hard: 1 }], [{ Name: '', Soft: 1, Hard: 1 }]],
  ['Sysctls', { 'net.ipv4.ip_forward': '1' }, { 'kernel.shmmax': '1' }, { bogus: '1' }, { 'kernel.domainname': 'x' }, { 'net.core.somaxconn': 5 }],
  ['LogConfig', { Type: 'bogus' }, { Type: 'json-file', Config: { 'max-size': 'bad' } }, { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } }, { Type: 'json-file', Config: { 'max-file': '0' } }, { Type: 'json-file', Config: { bogus: 'x' } }, { Type: 'none' }, { Type: 'none', Config: { 'max-size': '1m' } }, { Type: 'syslog', Config: { 'syslog-address': 'bogus://x' } }, { Type: 'local' }, { Type: '' }, { Type: 'JSON-FILE' }],
  ['RestartPolicy', { Name: 'bogus' }, { Name: 'on-failure', MaximumRetryCount: -1 }, { Name: 'on-failure', MaximumRetryCount: 3 }, { Name: 'always', MaximumRetryCount: 1 }, { Name: 'Always' }, { Name: 'unless-stopped' }, { Name: 'no' }, { Name: '' }, { Name: 'no', MaximumRetryCount: 2 }],
  ['Dns', ['bogus'], ['8.8.8.8'], ['::1'], [''], []],
  ['DnsOptions', ['ndots:2'], ['bogus'], ['']],
  ['DnsSearch', ['example.com'], ['bad domain!'], ['']],
  ['ExtraHosts', ['a'], ['a:1.2.3.4'], ['a:bogus'], ['a:host-gateway'], [':1.2.3.4'], ['a:::1'], ['a: 1.2.3.4'], ['a=1.2.3.4'], ['a:[::1]']],
  ['VolumesFrom', ['nosuch'], ['corpus-donor'], ['corpus-donor:ro'], ['corpus-donor:rw'], ['corpus-donor:bad'], [''], ['corpus-donor:ro:rw']],
  ['SecurityOpt', ['bogus'], ['label=disable'], ['label:disable'], ['no-new-privileges'], ['no-new-privileges=true'], ['no-new-privileges=bad'], ['apparmor=unconfined'], ['seccomp=unconfined'], ['seccomp=/nonexistent.json'], ['systempaths=unconfined'], ['foo=bar'], ['label=user:x'], ['']],
  ['CgroupParent', 'rel', '/abs', 'a.slice', ''],
  ['CapAdd', ['BOGUS'], ['NET_ADMIN'], ['net_admin'], ['CAP_NET_ADMIN'], ['ALL'], 'NET_ADMIN', ['']],
  ['CapDrop', ['BOGUS'], ['NET_RAW'], ['all'], ['CAP_CHOWN']],
  ['ReadonlyRootfs', true],
  ['Privileged', true, 'true'],
  ['Init', true, null],
  ['NetworkMode', 'host', 'none', 'default', 'bogus', 'container:nosuch', 'container:', 'NONE', 'container:corpus-donor', 'bridge'],
  ['IpcMode', 'bogus', 'host', 'shareable', 'private', 'none', 'container:nosuch', 'container:corpus-donor', ''],
  ['PidMode', 'bogus', 'host', 'container:nosuch', 'container:corpus-donor'],
  ['UTSMode', 'bogus', 'host', 'container:x'],
  ['UsernsMode', 'bogus', 'host'],
  ['CgroupnsMode', 'bogus', 'host', 'private', 'HOST'],
  ['Runtime', 'bogus', 'runc', 'RUNC', 'io.containerd.runc.v2'],
  ['Isolation', 'bogus', 'default', 'process', 'hyperv', 'DEFAULT'],
  ['PortBindings', { '80/tcp': [{ HostPort: 'x' }] }, { 'x/tcp': [] }, { '80/tcp': [{ HostPort: '8080' }] }, { '80/bogus': [{ HostPort: '1' }] }, { '80/tcp': [{ HostIp: 'bogus', HostPort: '1' }] }, { '80': null }, { '80-81/tcp': [] }, { '80/tcp': [{ HostPort: '2-1' }] }, { '80/tcp': [{ HostPort: '70000' }] }],
  ['PublishAllPorts', true],
  ['ConsoleSize', [-1, -1], [0, 0], [1], 'x', [24, 80]],
  ['GroupAdd', ['bogus'], ['0'], ['']],
  ['Links', ['nosuch:alias'], ['bad'], ['corpus-donor:alias']],
  ['StorageOpt', { size: '1G' }, { bogus: 'x' }],
  ['MaskedPaths', ['/proc/kcore'], ['rel']],
  ['ReadonlyPaths', ['/proc/sys'], []],
  ['Mounts',
    [{ Type: 'bind', Source: '/tmp', Target: '/x' }],
    [{ Type: 'bind', Source: '/tmp', Target: 'x' }],
    [{ Type: 'bind', Source: 'rel', Target: '/x' }],
    [{ Type: 'bind', Source: '/nonexistent-src', Target: '/x' }],
    [{ Type: 'bind', Target: '/x' }],
    [{ Type: 'bind', Source: '/tmp' }],
    [{ Type: 'tmpfs', Target: '/x' }],
    [{ Type: 'tmpfs', Source: '/tmp', Target: '/x' }],
    [{ Type: 'tmpfs', Target: '/x', TmpfsOptions: { SizeBytes: -1 } }],
    [{ Type: 'volume', Target: '/x' }],
    [{ Type: 'volume', Source: 'v', Target: '/x' }],
    [{ Type: 'bogus', Target: '/x' }],
    [{ Type: 'BIND', Source: '/tmp', Target: '/x' }],
    [{ Source: '/tmp', Target: '/x' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x' }, { Type: 'bind', Source: '/tmp', Target: '/x' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', BindOptions: { Propagation: 'bogus' } }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', VolumeOptions: {} }],
    [{ Type: 'npipe', Source: '/tmp', Target: '/x' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', Consistency: 'bogus' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', ReadOnly: 'yes' }],
  ],
  ['AutoRemove', true],
  ['IOMaximumBandwidth', 1],
  ['IOMaximumIOps', 1],
  ['VolumeDriver', 'bogus', 'local'],
  ['ContainerIDFile', '/tmp/x'],
  ['OomKillDisable', 1],
  ['MemorySwap', -2, -1, 1, 0],
  ['KernelMemoryTCP', 1, -1, 6291456],
  ['Cgroup', 'bogus', 'container:x', 'host'],
  ['Annotations', { a: 'b' }],
  ['UsernsMode', 'private', ''],
  ['BlkioDeviceWriteBps', [{ Path: '/dev/null', Rate: 0 }], [{ Path: '', Rate: 1 }]],
  ['Tmpfs', { '/': '' }, { '/proc': '' }, { '/x:ro': '' }, { '/x': 'ro,noexec,nosuid,size=65536k' }, { '/x': 'mode=99999' }, { '/x': 'size=-1' }],
  ['Mounts',
    [{ Type: 'tmpfs', Target: '/x', TmpfsOptions: { Mode: 511 } }],
    [{ Type: 'tmpfs', Target: '/x', TmpfsOptions: { SizeBytes: 1024 } }],
    [{ Type: 'bind', Source: '/nonexistent-src', Target: '/x', BindOptions: { CreateMountpoint: true } }],
    [{ Type: 'bind', Source: '/tmp', Target: '/' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', BindOptions: { NonRecursive: true } }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }],
    [{ Type: 'tmpfs', Target: '/x', BindOptions: {} }],
    [{ Type: 'tmpfs', Target: '/x', VolumeOptions: {} }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x', TmpfsOptions: {} }],
    [{ Type: '', Target: '/x' }],
    [{ Type: 'tmpfs' }],
    [{ Type: 'tmpfs', Target: 'rel' }],
    [{ Type: 'bind', Source: '/tmp', Target: '/x/../y' }],
  ],
  ['PortBindings', { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] }, { '80/tcp': [{ HostPort: ' 80' }] }, { '80/tcp': [{}] }, { '80/udp': [{ HostPort: '53/udp' }] }],
  ['RestartPolicy', { Name: 'unless-stopped', MaximumRetryCount: 3 }, { Name: 'on-failure', MaximumRetryCount: 0 }, { MaximumRetryCount: 3 }, { Name: 'ON-FAILURE' }],
  ['LogConfig',
    { Type: 'json-file', Config: { 'max-size': '0' } }, { Type: 'json-file', Config: { 'max-file': 'x' } }, { Type: 'json-file', Config: { 'max-file': '2' } },
    { Type: 'json-file', Config: { compress: 'bad' } }, { Type: 'json-file', Config: { compress: 'true' } }, { Type: 'json-file', Config: { labels: 'a', env: 'A', 'env-regex': '^A' } },
    { Type: 'json-file', Config: { tag: '{{bad' } }, { Type: 'json-file', Config: { mode: 'bogus' } }, { Type: 'json-file', Config: { mode: 'non-blocking', 'max-buffer-size': '1m' } },
    { Type: 'json-file', Config: { 'max-buffer-size': '1m' } }, { Type: 'local', Config: { 'max-size': 'x' } }, { Type: 'local', Config: { bogus: 'x' } },
    { Type: 'journald' }, { Type: 'gelf' }, { Type: 'fluentd', Config: { 'fluentd-address': 'bogus:::' } }, { Type: 'awslogs' }, { Type: 'splunk' }, { Type: 'etwlogs' }, { Type: 'none', Config: { bogus: 'x' } },
    { Config: { 'max-size': '1m' } },
  ],
  ['ConsoleSize', [1, 2, 3]],
  ['ExtraHosts', ['a:1.2.3.4:5'], ['a b:1.2.3.4'], ['a:1.2.3']],
  ['CapAdd', ['CAP_ALL'], ['all'], ['NET_ADMIN', 'BOGUS'], ['cap_sys_admin']],
  ['SecurityOpt', ['apparmor=bogus'], ['seccomp={}'], ['label=level:s0'], ['no-new-privileges:true'], ['seccomp:unconfined'], ['label=bogus'], ['apparmor:unconfined'], ['=x']],
  ['CpusetCpus', ' 0', '0-1,3', '0,'],
  ['DeviceRequests', [{ Count: 0 }], [{ Driver: '' }]],
  ['GroupAdd', ['nosuchgroup'], ['65536']],
  ['Dns', ['1.1.1.1', 'bogus'], ['fe80::1%eth0']],
  ['OomScoreAdj', -1000.5, '5'],
];

/** Config fields and values. */
const CONFIG = [
  ['Hostname', 'bad_host!', 'a'.repeat(64), 'a'.repeat(300), 'ok-host', 5],
  ['Domainname', 'example.com', 'bad domain'],
  ['User', 'nosuch', '1000:1000', '', 'root', 0],
  ['Env', ['=x'], ['A'], [''], ['A=b'], ['A=b', 'A=c'], 'A=b', [5], null],
  ['Cmd', [], null, 'true', [''], [5]],
  ['Entrypoint', '', [], [''], ['/bin/true'], null],
  ['WorkingDir', 'rel', '/abs', '', './x', '/a/../b'],
  ['StopSignal', 'BOGUS', 'SIGKILL', '9', 'kill', 'KILL', 'SIGRTMIN+3', '999', '0', '-1', 'SIGRTMAX-1', ''],
  ['StopTimeout', -1, 0, 10, 1e300, 2 ** 31, null, 'x'],
  ['Healthcheck', { Test: ['CMD', 'true'], Interval: 1 }, { Test: ['CMD', 'true'], Interval: -1 }, { Test: ['CMD', 'true'], Retries: -1 }, { Test: ['BOGUS'] }, { Test: [] }, { Test: 5 }, { Test: ['NONE'] }, { Test: ['CMD-SHELL', 'true'], Timeout: 999999 }, { Test: ['CMD', 'true'], StartPeriod: 1 }, { Test: ['CMD', 'true'], Interval: 1000000 }, { Test: 'CMD true' }, {}],
  ['Labels', { a: 'b' }, { a: 5 }, { '': 'x' }, {}, null, { a: null }],
  ['MacAddress', 'bad', '02:42:ac:11:00:02', ''],
  ['ExposedPorts', { '80/tcp': {} }, { bad: {} }, { '80/bogus': {} }, { '99999/tcp': {} }, { '80-81/udp': {} }],
  ['Volumes', { '/x': {} }, { rel: {} }, { '': {} }],
  ['Tty', true, 'yes'],
  ['OpenStdin', true],
  ['AttachStdin', true],
  ['Shell', ['/bin/sh', '-c'], 'sh'],
  ['OnBuild', ['RUN true']],
  ['NetworkDisabled', true],
  ['Image', '', 'nosuch', 'BUSYBOX', 'busybox:nosuchtag', 'bad image!', 'sha256:abc'],
  ['ArgsEscaped', true],
  ['StdinOnce', true],
  ['Healthcheck', { Test: ['CMD'] }, { Test: ['CMD-SHELL'] }, { Test: ['NONE', 'x'] }, { Test: ['CMD', 'true'], Retries: 0 }, { Test: ['CMD', 'true'], Interval: 9e18 }, { Test: ['CMD', 'true'], StartInterval: 1 }, { Test: ['cmd', 'true'] }, { Test: [''] }],
  ['StopSignal', 'SIGRTMIN+40', 'RTMIN', 'sigkill', 'SIGKILL ', ' 9', 'SIG', '1.5'],
  ['Env', ['A=b\n'], ['A b=c'], ['A=b', ''], ['_=x']],
  ['User', '1000:', ':1000', 'a:b:c', 'nobody'],
  ['Hostname', 'UPPER', 'a.b', '-a', 'a_b', 'a.b.c.d.e.f'],
  ['MacAddress', '02:42:ac:11:00:02:ff', '02:42:AC:11:00:02', '02-42-ac-11-00-02'],
  ['ExposedPorts', { '80/TCP': {} }, { '80/sctp': {} }, { '/tcp': {} }, { '': {} }, { '80': {} }],
  ['WorkingDir', '/tmp/../..', '~', '/' + 'a'.repeat(300)],
  ['Domainname', 'a'.repeat(300)],
  ['Entrypoint', ['nosuch'], 'sh -c true'],
  ['Volumes', { '/': {} }, { '/x': {}, '/y': {} }],
  ['Cmd', 'sh -c true', ['true', '']],
  ['Labels', { 'com.example/x': 'y' }, { a: '' }],
];

function cases() {
  const list = [];
  const create = (name, body, query = '') => list.push({ name, route: 'create', query, body });
  for (const [field, ...values] of HOST) {
    for (const value of values) {
      const hostConfig = { NetworkMode: 'none', [field]: value };
      create(`HostConfig.${field}=${JSON.stringify(value)}`, { Image: 'busybox', Cmd: ['true'], HostConfig: hostConfig });
    }
  }
  for (const [field, ...values] of CONFIG) {
    for (const value of values) {
      create(`${field}=${JSON.stringify(value)}`, { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, [field]: value });
    }
  }
  // Combinations dockerd checks together.
  const combos = [
    { NetworkMode: 'host', Sysctls: { 'net.ipv4.ip_forward': '1' } },
    { NetworkMode: 'host', Dns: ['8.8.8.8'] },
    { NetworkMode: 'host', ExtraHosts: ['a:1.2.3.4'] },
    { NetworkMode: 'host', PublishAllPorts: true },
    { IpcMode: 'host', ShmSize: 1048576 },
    { IpcMode: 'none', ShmSize: 1048576 },
    { UTSMode: 'host', Sysctls: { 'kernel.domainname': 'x' } },
    { IpcMode: 'host', Sysctls: { 'kernel.shmmax': '1' } },
    { CapAdd: ['ALL'], CapDrop: ['ALL'] },
    { Privileged: true, CapDrop: ['ALL'] },
    { ReadonlyRootfs: true, Binds: ['/tmp:/x:ro'] },
    { Memory: 6291456, MemorySwap: 6291456 },
    { Memory: 6291456, MemoryReservation: 6291456 },
    { Memory: 6291456, KernelMemory: 6291456 },
    { CpuPeriod: 100000, CpuQuota: 50000 },
    { CpuShares: 512, NanoCpus: 5e8 },
    { NanoCpus: 5e8, CpuRealtimePeriod: 1000000, CpuRealtimeRuntime: 950000 },
    { RestartPolicy: { Name: 'always' }, AutoRemove: false },
    { Tmpfs: { '/x': '' }, Mounts: [{ Type: 'tmpfs', Target: '/x' }] },
    { Binds: ['/tmp:/x', '/tmp:/x/'] },
    { Binds: ['/tmp:/x', '/tmp:/y'], Mounts: [{ Type: 'tmpfs', Target: '/z' }] },
    { VolumesFrom: ['corpus-donor', 'nosuch'] },
    { VolumesFrom: ['corpus-donor', 'corpus-donor'] },
    { IpcMode: 'container:corpus-donor', PidMode: 'container:corpus-donor' },
    { NetworkMode: 'container:corpus-donor', MacAddress: 'x' },
    { Memory: 6291456, MemorySwap: 1 },
    { Memory: 6291456, MemorySwap: -1 },
    { Memory: 6291456, MemorySwap: 0 },
    { MemorySwap: 6291456 },
    { Memory: 6291456, MemoryReservation: 12582912 },
    { NanoCpus: 1e9, CpuPeriod: 100000 },
    { NanoCpus: 1e9, CpuQuota: 50000 },
    { CpuRealtimePeriod: 1000, CpuRealtimeRuntime: 2000 },
    { OomKillDisable: true, Memory: 6291456 },
    { AutoRemove: true, RestartPolicy: { Name: 'always' } },
    { AutoRemove: true, RestartPolicy: { Name: 'no' } },
    { NetworkMode: 'host', Links: ['corpus-donor:x'] },
    { NetworkMode: 'host', PortBindings: { '80/tcp': [{ HostPort: '8080' }] } },
    { NetworkMode: 'container:corpus-donor', Dns: ['8.8.8.8'] },
    { NetworkMode: 'container:corpus-donor', ExtraHosts: ['a:1.2.3.4'] },
    { NetworkMode: 'container:corpus-donor', PublishAllPorts: true },
    { UTSMode: 'host', NetworkMode: 'none' },
    { Privileged: true, SecurityOpt: ['no-new-privileges'] },
    { PidMode: 'host', UsernsMode: 'host' },
    { ReadonlyRootfs: true, Tmpfs: { '/tmp': '' } },
    { Binds: ['/tmp:/x'], Mounts: [{ Type: 'bind', Source: '/tmp', Target: '/x' }] },
    { Binds: ['/tmp:/x'], Tmpfs: { '/x': '' } },
  ];
  for (const hostConfig of combos) {
    create(`HostConfig ${JSON.stringify(hostConfig)}`, { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none', ...hostConfig } });
  }
  create('UTS host + Hostname', { Image: 'busybox', Cmd: ['true'], Hostname: 'h', HostConfig: { NetworkMode: 'none', UTSMode: 'host' } });
  create('container net + Hostname', { Image: 'busybox', Cmd: ['true'], Hostname: 'h', HostConfig: { NetworkMode: 'container:corpus-donor' } });
  create('container net + ExposedPorts', { Image: 'busybox', Cmd: ['true'], ExposedPorts: { '80/tcp': {} }, HostConfig: { NetworkMode: 'container:corpus-donor' } });
  create('host net + MacAddress', { Image: 'busybox', Cmd: ['true'], MacAddress: '02:42:ac:11:00:02', HostConfig: { NetworkMode: 'host' } });
  create('no Cmd no Entrypoint', { Image: 'busybox', HostConfig: { NetworkMode: 'none' } });
  create('empty Cmd and Entrypoint', { Image: 'busybox', Cmd: [], Entrypoint: [], HostConfig: { NetworkMode: 'none' } });
  create('lower-case field names', { image: 'busybox', cmd: ['true'], hostconfig: { networkmode: 'none', memory: 6291456 } });
  create('unknown fields', { Image: 'busybox', Cmd: ['true'], Bogus: 1, HostConfig: { NetworkMode: 'none', Bogus: { a: 1 } } });
  create('NetworkingConfig bogus network', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, NetworkingConfig: { EndpointsConfig: { bogus: {} } } });
  create('NetworkingConfig none', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, NetworkingConfig: { EndpointsConfig: { none: {} } } });
  create('NetworkingConfig two networks', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, NetworkingConfig: { EndpointsConfig: { none: {}, host: {} } } });
  create('NetworkingConfig wrong type', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' }, NetworkingConfig: 5 });
  create('HostConfig null', { Image: 'busybox', Cmd: ['true'], HostConfig: null });
  create('HostConfig wrong type', { Image: 'busybox', Cmd: ['true'], HostConfig: 'x' });
  create('body {}', {});
  create('body null', null);
  create('body array', []);
  create('body string', 'x');
  create('body number', 5);
  create('no body', undefined);
  for (const name of ['ok-name', 'bad name!', '/ok-slash', 'a', '-x', '.x', '_x', 'a'.repeat(300), 'x/y', 'corpus-donor']) {
    create(`name ${JSON.stringify(name)}`, { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }, `?name=${encodeURIComponent(name)}`);
  }
  create('platform bogus', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }, '?platform=bogus');
  create('platform windows', { Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } }, '?platform=windows');

  // POST /containers/{id}/update on a created container (made afresh for each).
  const UPDATE = [
    { RestartPolicy: { Name: 'no' } }, { RestartPolicy: { Name: 'unless-stopped' } }, { RestartPolicy: { Name: '' } }, { RestartPolicy: null },
    { CpuQuota: 1000 }, { CpuQuota: -1 }, { CpuPeriod: 100000, CpuQuota: 50000 }, { CpuRealtimePeriod: 1000 }, { MemoryReservation: 1 },
    { MemorySwap: 12582912 }, { Memory: -1, MemorySwap: -1 }, { Memory: 12582912, MemorySwap: -1 }, { KernelMemory: 1 }, { KernelMemoryTCP: 1 },
    { PidsLimit: null }, { CpusetMems: '0' }, { CpusetCpus: '' }, { NanoCpus: -1 }, { NanoCpus: 1 }, { BlkioWeight: 1001 },
    { Devices: [{ PathOnHost: '/dev/null' }] }, { CapAdd: ['ALL'] }, { Privileged: true }, { Binds: ['/tmp:/x'] },
    {}, { Memory: 6291456 }, { Memory: 1 }, { Memory: -1 }, { Memory: 'x' }, { MemorySwap: 1 }, { Memory: 6291456, MemorySwap: 1 },
    { Memory: 6291456, MemorySwap: 12582912 }, { MemorySwap: -1 }, { MemoryReservation: 6291456 }, { KernelMemory: 6291456 },
    { CpuShares: 512 }, { CpuShares: -1 }, { CpuPeriod: 999 }, { CpuQuota: 999 }, { NanoCpus: 1e9 }, { NanoCpus: 1e15 }, { NanoCpus: 1e9, CpuPeriod: 100000 },
    { CpusetCpus: '0' }, { CpusetCpus: '99' }, { CpusetCpus: 'x' }, { CpusetMems: '5' }, { BlkioWeight: 5 }, { BlkioWeight: 500 },
    { PidsLimit: 10 }, { PidsLimit: -1 }, { PidsLimit: 0 },
    { RestartPolicy: { Name: 'always' } }, { RestartPolicy: { Name: 'bogus' } }, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: -1 } },
    { RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } }, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
    { OomKillDisable: true }, { MemorySwappiness: 50 }, { MemorySwappiness: 101 }, { CpuRealtimeRuntime: 1000 },
    { Ulimits: [{ Name: 'nofile', Soft: 1, Hard: 1 }] }, { Devices: [] }, { Bogus: 1 }, { memory: 6291456 }, null, [], 'x',
    { Memory: 1e20 }, { CpuShares: 'x' }, { BlkioWeightDevice: [{ Path: '/dev/nosuch', Weight: 10 }] },
  ];
  for (const body of UPDATE) list.push({ name: `update ${JSON.stringify(body)}`, route: 'update', query: '', body });
  return list;
}

function request(socket, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ socketPath: socket, method, path: urlPath, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        resolve({ status: res.statusCode, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Replays the corpus on one engine; `image` is that engine's busybox. Yields [case, {status, message}]. */
export async function replay(socket, corpus, image) {
  const swap = (value) => JSON.parse(JSON.stringify(value ?? null).replaceAll('"busybox"', JSON.stringify(image)));
  const base = { Image: image, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } };
  const donor = await request(socket, 'POST', '/containers/create?name=corpus-donor', base);
  if (donor.status !== 201) throw new Error(`donor: ${donor.text}`);
  const results = [];
  try {
    for (const c of corpus) {
      let id;
      let r;
      if (c.route === 'create') {
        const body = c.body === undefined ? undefined : swap(c.body);
        r = await request(socket, 'POST', `/containers/create${c.query}`, body);
        if (r.status === 201) id = r.body.Id;
      } else {
        const made = await request(socket, 'POST', '/containers/create', base);
        id = made.body.Id;
        r = await request(socket, 'POST', `/containers/${id}/update`, c.body);
      }
      if (id) await request(socket, 'DELETE', `/containers/${id}?force=1`);
      // IDs differ between engines: each is written <id>.
      const message = r.status >= 300 ? String(r.body?.message ?? r.text).trim().replaceAll(image, 'busybox').replace(/\b[0-9a-f]{64}\b/g, '<id>') : '';
      results.push({ status: r.status, message });
    }
  } finally {
    await request(socket, 'DELETE', `/containers/${donor.body.Id}?force=1`);
  }
  return results;
}

// Run as a script only: the integration test imports `replay`.
const main = process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname;
const [mode, socket] = main ? process.argv.slice(2) : [];
if (mode === 'record') {
  const corpus = cases();
  const results = await replay(REF_SOCKET, corpus, 'busybox-ref');
  const out = corpus.map((c, i) => ({ ...c, dockerd: results[i] }));
  await fs.writeFile(FIXTURE, JSON.stringify(out, null, 1) + '\n');
  console.log(`${out.length} cases recorded in ${path.relative(ROOT, FIXTURE)}`);
} else if (mode === 'compare') {
  const corpus = JSON.parse(await fs.readFile(FIXTURE, 'utf8'));
  const results = await replay(socket, corpus, 'busybox');
  let differ = 0;
  corpus.forEach((c, i) => {
    const want = c.dockerd;
    const got = results[i];
    if (want.status !== got.status || want.message !== got.message) {
      differ++;
      console.log(`${c.name}\n  dockerd ${want.status} ${want.message}\n  berth   ${got.status} ${got.message}`);
    }
  });
  console.log(`${differ} of ${corpus.length} differ`);
} else if (main) {
  console.error('usage: create-corpus.mjs record | compare <socket>');
  process.exit(2);
}
