import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { CHECKS, runChecks, type CheckInput } from './create-checks.ts';

/** The checks that read nothing of the host (the resource checks read /sys and rlimits). */
const PURE = CHECKS.filter((c) => !['resources', 'cpuset', 'ulimits'].includes(c.name));

const EXISTING = new Set(['donor']);

function input(config: ContainerConfig, hostConfig: HostConfig): CheckInput {
  return { config: { Image: 'busybox', ...config }, hostConfig, hostCpus: 2, containerExists: (ref) => EXISTING.has(ref) };
}

/** Both create phases, as a create whose image exists runs them. */
function create(config: ContainerConfig, hostConfig: HostConfig = {}): void {
  runChecks('create', input(config, hostConfig), PURE);
  runChecks('create-after-image', input(config, hostConfig), PURE);
}

type Case = [what: string, config: ContainerConfig, hostConfig: HostConfig, refusal?: string | { system: string }];

// Each refusal as the reference dockerd (20.10) words it, each acceptance one that dockerd accepts.
const CASES: Case[] = [
  ['an absolute working dir', { WorkingDir: '/a/../b' }, {}],
  // Go's ParseSignal reads a number first: any but 0 is taken at create.
  ['a negative stop signal', { StopSignal: '-1' }, {}],
  ['stop signal 999', { StopSignal: '999' }, {}],
  ['stop signal 0', { StopSignal: '0' }, {}, 'Invalid signal: 0'],
  ['an unknown IPC mode (refused at start)', {}, { IpcMode: 'bogus' }],
  ['an unknown PID mode (a private one)', {}, { PidMode: 'bogus' }],
  ['a relative working dir', { WorkingDir: 'relative/dir' }, {}, "the working directory 'relative/dir' is invalid, it needs to be an absolute path"],
  ['a working dir "."', { WorkingDir: '.' }, {}, "the working directory '.' is invalid, it needs to be an absolute path"],
  ['env with a name', { Env: ['A', 'A=', 'A=b=c', ' =x'] }, {}],
  ['env "=x"', { Env: ['=x'] }, {}, 'invalid environment variable: =x'],
  ['env ""', { Env: [''] }, {}, 'invalid environment variable: '],
  ['a healthcheck of default durations', { Healthcheck: { Test: ['CMD', 'true'], Interval: 0, Timeout: 0, StartPeriod: 0, Retries: 0 } }, {}],
  ['a healthcheck interval of 1ms', { Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000 } }, {}],
  ['a healthcheck interval under 1ms', { Healthcheck: { Test: ['CMD', 'true'], Interval: 5 } }, {}, 'Interval in Healthcheck cannot be less than 1ms'],
  ['a negative healthcheck interval', { Healthcheck: { Interval: -5 } }, {}, 'Interval in Healthcheck cannot be less than 1ms'],
  ['a healthcheck timeout under 1ms', { Healthcheck: { Test: ['NONE'], Timeout: 5 } }, {}, 'Timeout in Healthcheck cannot be less than 1ms'],
  ['negative healthcheck retries', { Healthcheck: { Test: ['CMD', 'true'], Retries: -1 } }, {}, 'Retries in Healthcheck cannot be negative'],
  ['a healthcheck start period under 1ms', { Healthcheck: { Test: ['CMD', 'true'], StartPeriod: -5 } }, {}, 'StartPeriod in Healthcheck cannot be less than 1ms'],
  ['--rm with restart "no"', {}, { AutoRemove: true, RestartPolicy: { Name: 'no' } }],
  ['--rm with restart ""', {}, { AutoRemove: true, RestartPolicy: { Name: '' } }],
  ['--rm with restart always', {}, { AutoRemove: true, RestartPolicy: { Name: 'always' } }, "can't create 'AutoRemove' container with restart policy"],
  ['--rm with restart on-failure', {}, { AutoRemove: true, RestartPolicy: { Name: 'on-failure' } }, "can't create 'AutoRemove' container with restart policy"],
  ['extra hosts dockerd takes', {}, { ExtraHosts: ['h:1.2.3.4', 'h:::1', 'h:host-gateway', 'h: 1.2.3.4', 'h:::ffff:1.2.3.4'] }],
  ['an extra host without a colon', {}, { ExtraHosts: ['nocolon'] }, 'bad format for add-host: "nocolon"'],
  ['an extra host without a name', {}, { ExtraHosts: [':1.2.3.4'] }, 'bad format for add-host: ":1.2.3.4"'],
  ['an extra host name=ip', {}, { ExtraHosts: ['h=1.2.3.4'] }, 'bad format for add-host: "h=1.2.3.4"'],
  ['an extra host with no IP', {}, { ExtraHosts: ['h:notanip'] }, 'invalid IP address in add-host: "notanip"'],
  ['an extra host with a bracketed IPv6', {}, { ExtraHosts: ['h:[::1]'] }, 'invalid IP address in add-host: "[::1]"'],
  ['port bindings dockerd takes', {}, { PortBindings: { '80/xyz': [{ HostPort: '8080' }], '81': [{ HostPort: '8080/tcp' }], '82/tcp': [{ HostPort: '1-2-3' }, { HostPort: '' }, { HostIp: 'bogus', HostPort: '80' }], '': [], '/tcp': [], '83/tcp/x': null, '0084/tcp': null } }],
  ['a container port that is a name', {}, { PortBindings: { 'abc/tcp': [] } }, 'invalid port specification: "abc"'],
  ['a container port over 65535', {}, { PortBindings: { '99999/tcp': null } }, 'invalid port specification: "99999"'],
  ['a container port range', {}, { PortBindings: { '80-90/tcp': null } }, 'invalid port specification: "80-90"'],
  ['a signed container port', {}, { PortBindings: { '+80/tcp': null } }, 'invalid port specification: "+80"'],
  ['a container port with a space', {}, { PortBindings: { ' 80/tcp': null } }, 'invalid port specification: " 80"'],
  ['a host port that is a name', {}, { PortBindings: { '80/tcp': [{ HostPort: 'abc' }] } }, 'invalid port specification: "abc"'],
  ['a host port over 65535', {}, { PortBindings: { '80/tcp': [{ HostPort: '70000' }] } }, 'invalid port specification: "70000"'],
  ['a reversed host port range', {}, { PortBindings: { '80/tcp': [{ HostPort: '5-3' }] } }, 'invalid port specification: "5-3"'],
  ['an open host port range', {}, { PortBindings: { '80/tcp': [{ HostPort: '1-' }] } }, 'invalid port specification: "1-"'],
  ['a host port "-"', {}, { PortBindings: { '80/tcp': [{ HostPort: '-' }] } }, 'invalid port specification: "-"'],
  ['a host port with spaces', {}, { PortBindings: { '80/tcp': [{ HostPort: ' 80 ' }] } }, 'invalid port specification: " 80 "'],
  ['the runtimes dockerd knows', {}, { Runtime: 'runc' }],
  ['runc\'s v2 shim', {}, { Runtime: 'io.containerd.runc.v2' }],
  ['an unknown runtime', {}, { Runtime: 'bogus' }, 'Unknown runtime specified bogus'],
  ['a runtime in capitals', {}, { Runtime: 'RUNC' }, 'Unknown runtime specified RUNC'],
  ['cgroupns host', {}, { CgroupnsMode: 'host' }],
  ['an unknown cgroupns mode', {}, { CgroupnsMode: 'bogus' as 'host' }, 'invalid cgroup namespace mode: bogus'],
  ['isolation "Default"', {}, { Isolation: 'Default' as 'default' }],
  ['isolation "process"', {}, { Isolation: 'process' }, { system: 'Invalid isolation: "process" - linux only supports \'default\'' }],
  ['a container network mode naming none', {}, { NetworkMode: 'container:' }, 'Invalid network mode: invalid container format container:<name|id>'],
  ['a network mode "container"', {}, { NetworkMode: 'container' }, 'Invalid network mode: invalid container format container:<name|id>'],
  ['a container network with its own settings dockerd takes', { Domainname: 'd', ExposedPorts: {} }, { NetworkMode: 'container:x', PortBindings: {} }],
  ['a container network and a hostname', { Hostname: 'h' }, { NetworkMode: 'container:x' }, 'conflicting options: hostname and the network mode'],
  ['a container network and links', {}, { NetworkMode: 'container:x', Links: ['a:b'] }, "conflicting options: container type network can't be used with links. This would result in undefined behavior"],
  ['a container network and DNS', {}, { NetworkMode: 'container:x', Dns: ['1.1.1.1'] }, 'conflicting options: dns and the network mode'],
  ['a container network and extra hosts', {}, { NetworkMode: 'container:x', ExtraHosts: ['a:1.1.1.1'] }, 'conflicting options: custom host-to-IP mapping and the network mode'],
  ['a host network and a MAC', { MacAddress: '02:42:ac:11:00:02' }, { NetworkMode: 'host' }, 'conflicting options: mac-address and the network mode'],
  ['a container network and published ports', {}, { NetworkMode: 'container:x', PortBindings: { '80/tcp': null } }, 'conflicting options: port publishing and the container type network mode'],
  ['a container network and publish-all', {}, { NetworkMode: 'container:x', PublishAllPorts: true }, 'conflicting options: port publishing and the container type network mode'],
  ['a container network and exposed ports', { ExposedPorts: { '80/tcp': {} } }, { NetworkMode: 'container:x' }, 'conflicting options: port exposing and the container type network mode'],
  ['a host network and a hostname', { Hostname: 'h' }, { NetworkMode: 'host' }],
  ['the host UTS namespace and a hostname', { Hostname: 'h' }, { UTSMode: 'host' }, 'conflicting options: hostname and the UTS mode'],
  ['a host network and links', {}, { NetworkMode: 'host', Links: ['a:b'] }, "conflicting options: host type networking can't be used with links. This would result in undefined behavior"],
  ['a maximum I/O bandwidth', {}, { IOMaximumBandwidth: 5 }, { system: 'Invalid QoS settings: linux does not support configuration of maximum bandwidth' }],
  ['a maximum IOPs', {}, { IOMaximumIOps: 5 }, { system: 'Invalid QoS settings: linux does not support configuration of maximum IOPs' }],
  ['a real-time runtime alone', {}, { CpuRealtimeRuntime: 2000 }],
  ['a real-time runtime over its period', {}, { CpuRealtimePeriod: 1000, CpuRealtimeRuntime: 2000 }, { system: 'cpu real-time runtime cannot be higher than cpu real-time period' }],
  ['volumes from an existing container', {}, { VolumesFrom: ['donor', 'donor:ro,z', 'donor:'] }],
  ['volumes from a container that does not exist', {}, { VolumesFrom: ['nosuch'] }, 'No such container: nosuch'],
  ['volumes from a missing container, read-only', {}, { VolumesFrom: ['nosuch:ro'] }, 'No such container: nosuch'],
  ['volumes from "" ', {}, { VolumesFrom: [''] }, 'volumes-from specification cannot be an empty string'],
  ['volumes from with no container', {}, { VolumesFrom: [':ro'] }, 'invalid name or ID supplied: ""'],
  ['volumes from with an unknown mode', {}, { VolumesFrom: ['donor:bogus'] }, 'invalid mode: bogus'],
  ['volumes from with a propagation', {}, { VolumesFrom: ['donor:rshared'] }, 'invalid mode: rshared'],
  ['volumes from with nocopy', {}, { VolumesFrom: ['donor:nocopy'] }, 'invalid mode: nocopy'],
  ['volumes from both ro and rw', {}, { VolumesFrom: ['nosuch:ro,rw'] }, 'invalid mode: ro,rw'],
];

test('create refuses what dockerd refuses, with its words and status, and takes what it takes', () => {
  for (const [what, config, hostConfig, refusal] of CASES) {
    if (refusal === undefined) {
      assert.doesNotThrow(() => create(config, hostConfig), what);
    } else if (typeof refusal === 'string') {
      assert.throws(() => create(config, hostConfig), (err: unknown) => err instanceof InvalidParameterError && err.message === refusal, what);
    } else {
      assert.throws(() => create(config, hostConfig), (err: unknown) => err instanceof SystemError && err.message === refusal.system, what);
    }
  }
});

// Bodies with two problems: the one dockerd reports first.
const ORDER: Array<[ContainerConfig, HostConfig, string]> = [
  [{}, { Isolation: 'process', NetworkMode: 'container:' }, 'Invalid network mode: invalid container format container:<name|id>'],
  [{}, { IOMaximumBandwidth: 5, Isolation: 'process' }, 'Invalid isolation: "process" - linux only supports \'default\''],
  [{ WorkingDir: 'relative' }, { Isolation: 'process' }, 'Invalid isolation: "process" - linux only supports \'default\''],
  [{ WorkingDir: 'relative', Env: ['=x'] }, { Runtime: 'bogus' }, "the working directory 'relative' is invalid, it needs to be an absolute path"],
  [{ Env: ['=x'], StopSignal: 'BOGUS' }, {}, 'Invalid signal: BOGUS'],
  [{ Env: ['=x'], Healthcheck: { Retries: -1 } }, {}, 'invalid environment variable: =x'],
  [{ Healthcheck: { Retries: -1 } }, { AutoRemove: true, RestartPolicy: { Name: 'always' } }, 'Retries in Healthcheck cannot be negative'],
  [{}, { AutoRemove: true, RestartPolicy: { Name: 'always' }, ExtraHosts: ['x'] }, "can't create 'AutoRemove' container with restart policy"],
  [{}, { ExtraHosts: ['x'], PortBindings: { a: null } }, 'bad format for add-host: "x"'],
  [{}, { PortBindings: { a: null }, RestartPolicy: { Name: 'bogus' as 'no' } }, 'invalid port specification: "a"'],
  [{}, { CgroupnsMode: 'bogus' as 'host', Runtime: 'bogus' }, 'Unknown runtime specified bogus'],
  [{}, { Runtime: 'bogus', IpcMode: 'container:nosuch' }, 'Unknown runtime specified bogus'],
  [{}, { IpcMode: 'bogus', VolumesFrom: ['nosuch'] }, 'No such container: nosuch'],
  [{}, { VolumesFrom: ['nosuch'], IpcMode: 'container:nosuch2' }, 'No such container: nosuch2'],
];

test('of two problems, create reports the one dockerd reports', () => {
  for (const [config, hostConfig, first] of ORDER) {
    assert.throws(() => create(config, hostConfig), { message: first }, first);
  }
});

test('the checks dockerd makes once the image is found wait for it; update runs only its own', () => {
  const lookedUp = input({}, { VolumesFrom: ['nosuch'], IpcMode: 'bogus', Binds: ['a:b:c:d'] });
  assert.doesNotThrow(() => runChecks('create', lookedUp, PURE));
  assert.throws(() => runChecks('create-after-image', lookedUp, PURE), { message: 'No such container: nosuch' });
  const binds = input({}, { IpcMode: 'bogus', Binds: ['a:b:c:d'] });
  assert.doesNotThrow(() => runChecks('create', binds, PURE));
  assert.throws(() => runChecks('create-after-image', binds, PURE), { message: "invalid volume specification: 'a:b:c:d'" });
  const twice = input({}, { Binds: ['/tmp:/x'], Mounts: [{ Type: 'tmpfs', Target: '/x/' }] });
  assert.doesNotThrow(() => runChecks('create', twice, PURE));
  assert.throws(() => runChecks('create-after-image', twice, PURE), { message: 'Duplicate mount point: /x' });
  assert.doesNotThrow(() => runChecks('update', { hostConfig: { Runtime: 'bogus', ExtraHosts: ['x'] }, hostCpus: 2, containerExists: () => false }, PURE));
});
