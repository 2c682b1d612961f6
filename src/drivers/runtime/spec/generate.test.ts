import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../../util/errors.ts';
import { DEFAULT_CAPABILITIES, resolveCapabilities } from './capabilities.ts';
import { generateSpec, validateHostConfig, type SpecInput } from './generate.ts';
import { mergeTmpfsOptions } from './mounts.ts';
import { buildEnv, mergeCommand } from './process.ts';
import { blkioDevicePaths, toOciBlockDevices, toOciResources, toRlimits } from './resources.ts';
import { parseDeviceCgroupRule } from './device-rules.ts';
import { isValidDeviceMode } from '../../../util/device-syntax.ts';
import { defaultSeccompProfile, toOciSeccomp } from './seccomp.ts';
import { resolveUser } from './user.ts';

const ID = 'abcdef0123456789'.repeat(4);
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/var/www:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nwww:x:33:\nstaff:x:50:www,bob\nvideo:x:44:www\n';

function input(over: Partial<SpecInput> = {}): SpecInput {
  return {
    id: ID,
    config: { Cmd: ['echo', 'hi'] },
    hostConfig: {},
    imageConfig: { Env: ['PATH=/usr/bin:/bin'] },
    rootfs: '/r',
    etcPasswd: PASSWD,
    etcGroup: GROUP,
    files: { hostname: '/c/hostname', hosts: '/c/hosts', resolvConf: '/c/resolv.conf' },
    network: { kind: 'private' },
    cgroupsPath: '/berth/x',
    mounts: [],
    hostCpus: 2,
    arch: 'x64',
    kernel: '6.1.0-13-amd64',
    ...over,
  };
}

function throwsInvalid(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof InvalidParameterError && e.message === message);
}

describe('generateSpec', () => {
  test('network sysctls: low ports and ping for every user in a namespace of its own, no IPv6 with none, user values win', () => {
    const own = { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' };
    assert.deepEqual(generateSpec(input()).linux.sysctl, own);
    assert.deepEqual(generateSpec(input({ network: { kind: 'none' } })).linux.sysctl, { ...own, 'net.ipv6.conf.all.disable_ipv6': '1' });
    assert.deepEqual(generateSpec(input({ network: { kind: 'none' }, hostIpv6: false })).linux.sysctl, own);
    assert.equal(generateSpec(input({ network: { kind: 'host' } })).linux.sysctl, undefined);
    assert.equal(generateSpec(input({ network: { kind: 'path', path: '/proc/9/ns/net' } })).linux.sysctl, undefined);
    const mine = generateSpec(input({ hostConfig: { Sysctls: { 'net.ipv4.ping_group_range': '1 1', 'kernel.msgmax': '9' } } })).linux.sysctl;
    assert.deepEqual(mine, { ...own, 'net.ipv4.ping_group_range': '1 1', 'kernel.msgmax': '9' });
    const domain = generateSpec(input({ config: { Cmd: ['true'], Domainname: 'example.com' } }));
    assert.equal(domain.linux.sysctl?.['kernel.domainname'], 'example.com');
    assert.equal(domain.domainname, undefined);
  });

  test('IPC and PID modes: joined namespaces by path, /dev/shm shared by bind, none without one', () => {
    const shm = (over: Partial<SpecInput>) => generateSpec(input(over)).mounts.find((m) => m.destination === '/dev/shm');
    const joined = generateSpec(input({ hostConfig: { IpcMode: 'container:x', PidMode: 'container:y' }, ipcDonor: { pid: 7, shm: '/d/mounts/shm' }, pidDonor: 8 }));
    assert.deepEqual(joined.linux.namespaces?.filter((n) => n.type === 'ipc' || n.type === 'pid'), [
      { type: 'pid', path: '/proc/8/ns/pid' },
      { type: 'ipc', path: '/proc/7/ns/ipc' },
    ]);
    assert.deepEqual(joined.mounts.find((m) => m.destination === '/dev/shm'), { destination: '/dev/shm', type: 'bind', source: '/d/mounts/shm', options: ['rbind', 'rprivate'] });
    assert.equal(shm({ hostConfig: { IpcMode: 'shareable' }, shareableShm: '/c/mounts/shm' })?.source, '/c/mounts/shm');
    assert.equal(shm({ hostConfig: { IpcMode: 'host' } })?.source, '/dev/shm');
    assert.equal(shm({ hostConfig: { IpcMode: 'none' } }), undefined);
    assert.equal(shm({ hostConfig: { IpcMode: 'private' } })?.type, 'tmpfs');
    const hostNs = generateSpec(input({ hostConfig: { IpcMode: 'host', PidMode: 'host' } })).linux.namespaces?.map((n) => n.type);
    assert.deepEqual(hostNs, ['mount', 'network', 'uts']);
  });

  test('defaults: caps, namespaces, hostname, cwd, env, mounts, masked paths, no rlimits', () => {
    const s = generateSpec(input());
    assert.deepEqual(s.process.capabilities?.bounding, [...DEFAULT_CAPABILITIES]);
    assert.equal(s.process.capabilities?.inheritable, undefined);
    assert.deepEqual(s.linux.namespaces?.map((n) => n.type), ['mount', 'network', 'uts', 'pid', 'ipc']);
    assert.equal(s.hostname, ID.slice(0, 12));
    assert.equal(s.process.cwd, '/');
    assert.deepEqual(s.process.env, ['PATH=/usr/bin:/bin', `HOSTNAME=${ID.slice(0, 12)}`, 'HOME=/root']);
    assert.equal(s.process.rlimits, undefined);
    assert.equal(s.process.terminal, false);
    assert.deepEqual(s.process.args, ['echo', 'hi']);
    assert.deepEqual(s.mounts.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm', '/etc/resolv.conf', '/etc/hostname', '/etc/hosts']);
    assert.ok(s.mounts.find((m) => m.destination === '/dev/shm')?.options?.includes('size=67108864'));
    assert.ok(s.linux.maskedPaths?.includes('/proc/kcore'));
    assert.ok(s.linux.readonlyPaths?.includes('/proc/sys'));
    assert.equal(s.linux.seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
    assert.deepEqual(s.linux.resources?.devices?.[0], { allow: false, access: 'rwm' });
    assert.equal(s.root.readonly, false);
    assert.equal(s.linux.cgroupsPath, '/berth/x');
  });

  test('TTY sets terminal and TERM', () => {
    const s = generateSpec(input({ config: { Cmd: ['sh'], Tty: true } }));
    assert.equal(s.process.terminal, true);
    assert.ok(s.process.env?.includes('TERM=xterm'));
  });

  test('network and host namespaces', () => {
    const cases: [SpecInput['network'], Partial<SpecInput['hostConfig']>, string[]][] = [
      [{ kind: 'host' }, {}, ['mount', 'uts', 'pid', 'ipc']],
      [{ kind: 'none' }, {}, ['mount', 'network', 'uts', 'pid', 'ipc']],
      [{ kind: 'path', path: '/run/netns/x' }, { PidMode: 'host', IpcMode: 'host', UTSMode: 'host' }, ['mount', 'network']],
    ];
    for (const [network, hc, want] of cases) {
      const s = generateSpec(input({ network, hostConfig: hc }));
      assert.deepEqual(s.linux.namespaces?.map((n) => n.type), want);
      if (network.kind === 'path') {
        assert.equal(s.linux.namespaces?.[1]?.path, '/run/netns/x');
        assert.equal(s.hostname, undefined);
        assert.equal(s.mounts.find((m) => m.destination === '/dev/shm')?.source, '/dev/shm');
      }
    }
  });

  test('privileged: all caps, no seccomp, no masked paths, all devices, rw /sys', () => {
    const s = generateSpec(input({ hostConfig: { Privileged: true }, hostDevices: [{ type: 'c', path: '/dev/fuse', major: 10, minor: 229 }] }));
    assert.ok(s.process.capabilities!.bounding!.includes('CAP_SYS_ADMIN'));
    assert.equal(s.linux.seccomp, undefined);
    assert.deepEqual(s.linux.maskedPaths, []);
    assert.deepEqual(s.linux.readonlyPaths, []);
    assert.deepEqual(s.linux.resources?.devices, [{ allow: true, access: 'rwm' }]);
    assert.equal(s.linux.devices?.[0]?.path, '/dev/fuse');
    assert.ok(!s.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
  });

  test('security options', () => {
    assert.equal(generateSpec(input({ hostConfig: { SecurityOpt: ['seccomp=unconfined'] } })).linux.seccomp, undefined);
    assert.equal(generateSpec(input({ hostConfig: { SecurityOpt: ['no-new-privileges'] } })).process.noNewPrivileges, true);
    assert.equal(generateSpec(input({ hostConfig: { SecurityOpt: ['no-new-privileges:true', 'label=disable'] } })).process.noNewPrivileges, true);
    const custom = generateSpec(input({ hostConfig: { SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}'] } }));
    assert.deepEqual(custom.linux.seccomp, { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] });
    assert.throws(() => generateSpec(input({ hostConfig: { SecurityOpt: ['foo'] } })), (e: unknown) => e instanceof SystemError && e.message === 'invalid --security-opt 1: "foo"'); // dockerd's untyped error: a 500
    assert.throws(() => generateSpec(input({ hostConfig: { SecurityOpt: ['foo=bar'] } })), (e: unknown) => e instanceof SystemError && e.message === 'invalid --security-opt 2: "foo=bar"'); // dockerd's untyped error: a 500
    assert.throws(() => generateSpec(input({ hostConfig: { SecurityOpt: ['no-new-privileges:maybe'] } })), (e: unknown) => e instanceof SystemError && e.message === 'invalid --security-opt 2: "no-new-privileges:maybe"'); // dockerd's untyped error: a 500
  });

  test('read-only rootfs, tmpfs, user mounts, init', () => {
    const s = generateSpec(
      input({
        hostConfig: { ReadonlyRootfs: true, Tmpfs: { '/run': 'size=1m,exec' }, Init: true },
        initPath: '/usr/bin/catatonit',
        mounts: [{ destination: '/data', source: '/var/lib/berth/volumes/v/_data', type: 'volume', options: ['rprivate'] }],
      }),
    );
    assert.equal(s.root.readonly, true);
    assert.deepEqual(s.mounts.find((m) => m.destination === '/run'), { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rprivate', 'size=1m', 'exec'] });
    assert.deepEqual(s.mounts.find((m) => m.destination === '/data'), { destination: '/data', type: 'bind', source: '/var/lib/berth/volumes/v/_data', options: ['rbind', 'rprivate'] });
    assert.deepEqual(s.mounts.find((m) => m.destination === '/etc/hosts')?.options, ['rbind', 'rprivate', 'ro']);
    assert.deepEqual(s.mounts.find((m) => m.destination === '/sbin/docker-init'), { destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/catatonit', options: ['bind', 'ro'] });
    assert.deepEqual(s.process.args, ['/sbin/docker-init', '--', 'echo', 'hi']);
    assert.ok(s.mounts.find((m) => m.destination === '/dev/mqueue')?.options?.includes('nodev'));
    assert.ok(!s.mounts.find((m) => m.destination === '/dev/mqueue')?.options?.includes('ro'));
  });

  test('resources, ulimits and oom score', () => {
    const s = generateSpec(input({ hostConfig: { Memory: 64 << 20, NanoCpus: 1.5e9, CpuShares: 512, PidsLimit: 100, OomKillDisable: true, Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }], OomScoreAdj: 500 } }));
    assert.deepEqual(s.linux.resources?.memory, { limit: 64 << 20, swap: 128 << 20, disableOOMKiller: true });
    assert.deepEqual(s.linux.resources?.cpu, { shares: 512, period: 100000, quota: 150000 });
    assert.deepEqual(s.linux.resources?.pids, { limit: 100 });
    assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
    assert.equal(s.process.oomScoreAdj, 500);
    assert.deepEqual(toOciResources({ CpuQuota: 50000, CpuPeriod: 100000, CpusetCpus: '0-1', MemorySwap: -1, Memory: 10 << 20 }).cpu, { quota: 50000, period: 100000, cpus: '0-1' });
    assert.throws(() => toRlimits([{ Name: 'bogus', Soft: 1, Hard: 1 }]), /invalid ulimit type: bogus/);
  });

  test('validation uses Docker\'s words', () => {
    const cases: [SpecInput['hostConfig'], string][] = [
      [{ Memory: 1 << 20 }, 'Minimum memory limit allowed is 6MB'],
      [{ Memory: 10 << 20, MemorySwap: 5 << 20 }, 'Minimum memoryswap limit should be larger than memory limit, see usage'],
      [{ NanoCpus: 1e9, CpuQuota: 5000 }, 'Conflicting options: Nano CPUs and CPU Quota cannot both be set'],
      [{ NanoCpus: 1e9, CpuPeriod: 5000 }, 'Conflicting options: Nano CPUs and CPU Period cannot both be set'],
      [{ NanoCpus: 9e9 }, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'],
      [{ CapAdd: ['FOO'] }, 'invalid CapAdd: unknown capability: "CAP_FOO"'],
      [{ OomScoreAdj: 2000 }, 'Invalid value 2000, range for oom score adj is [-1000, 1000]'],
    ];
    for (const [hc, message] of cases) throwsInvalid(() => validateHostConfig(hc, 2), message);
    // What dockerd takes at create and refuses at start: the spec's generation refuses it.
    const atStart: [SpecInput['hostConfig'], string][] = [
      [{ Ulimits: [{ Name: 'nofile', Soft: 3, Hard: 2 }] }, 'ulimit soft limit must be less than or equal to hard limit: 3 > 2'],
      [{ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }, 'invalid ulimit type: bogus'],
      [{ DeviceCgroupRules: ['c 1:3 rwm', 'x 1:3 rwm'] }, "invalid device cgroup rule format: 'x 1:3 rwm'"],
    ];
    for (const [hc, message] of atStart) {
      assert.doesNotThrow(() => validateHostConfig(hc, 2), message);
      throwsInvalid(() => generateSpec(input({ hostConfig: hc })), message);
    }
    assert.doesNotThrow(() => validateHostConfig({ SecurityOpt: ['seccomp={bad json'] }, 2));
    assert.throws(() => generateSpec(input({ hostConfig: { SecurityOpt: ['seccomp={bad json'] } })), /Decoding seccomp profile failed/);
    validateHostConfig({ Memory: 6 << 20, NanoCpus: 2e9 }, 2);
  });
});

describe('devices', () => {
  const NULL_DEV = { type: 'c' as const, path: '/dev/xnull', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 };

  test('--device: the node in linux.devices and an allow rule with its permissions, after the defaults', () => {
    const s = generateSpec(input({ devices: [{ device: NULL_DEV, permissions: 'r' }, { device: { ...NULL_DEV, type: 'b', path: '/dev/vda', major: 254, minor: 0 }, permissions: '' }] }));
    assert.deepEqual(s.linux.devices, [NULL_DEV, { ...NULL_DEV, type: 'b', path: '/dev/vda', major: 254, minor: 0 }]);
    assert.deepEqual(s.linux.resources?.devices?.slice(-2), [
      { allow: true, type: 'c', major: 1, minor: 3, access: 'r' },
      { allow: true, type: 'b', major: 254, minor: 0, access: 'rwm' },
    ]);
    assert.equal(s.linux.resources?.devices?.[0]?.allow, false);
  });

  test('--device-cgroup-rule: allow rules after the devices, * as -1', () => {
    const s = generateSpec(input({ hostConfig: { DeviceCgroupRules: ['c 1:3 rwm', 'b *:* r', 'a 7:* mw'] }, devices: [{ device: NULL_DEV, permissions: 'rw' }] }));
    assert.deepEqual(s.linux.resources?.devices?.slice(-4), [
      { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' },
      { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
      { allow: true, type: 'b', major: -1, minor: -1, access: 'r' },
      { allow: true, type: 'a', major: 7, minor: -1, access: 'mw' },
    ]);
  });

  test('privileged: cgroup rules ignored, a --device under a new path added to the host devices', () => {
    const host = { type: 'c' as const, path: '/dev/null', major: 1, minor: 3 };
    const s = generateSpec(input({ hostConfig: { Privileged: true, DeviceCgroupRules: ['c 1:3 rwm'] }, hostDevices: [host], devices: [{ device: NULL_DEV, permissions: 'r' }, { device: { ...host }, permissions: 'r' }] }));
    assert.deepEqual(s.linux.resources?.devices, [{ allow: true, access: 'rwm' }]);
    assert.deepEqual(s.linux.devices, [host, NULL_DEV]);
  });

  test('device rule and mode parsing', () => {
    const rules: [string, ReturnType<typeof parseDeviceCgroupRule> | undefined][] = [
      ['c 1:3 rwm', { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }],
      ['b 254:* w', { allow: true, type: 'b', major: 254, minor: -1, access: 'w' }],
      ['x 1:3 rwm', undefined],
      ['c 1:3', undefined],
      ['c 1:3 rwmx', undefined],
      [' c 1:3 rwm', undefined],
      ['c  1:3 rwm', undefined],
      ['c a:3 rwm', undefined],
      ['', undefined],
    ];
    for (const [rule, want] of rules) {
      if (want) assert.deepEqual(parseDeviceCgroupRule(rule), want);
      else throwsInvalid(() => parseDeviceCgroupRule(rule), `invalid device cgroup rule format: '${rule}'`);
    }
    for (const mode of ['r', 'w', 'm', 'rw', 'mwr', 'rwm']) assert.equal(isValidDeviceMode(mode), true, mode);
    for (const mode of ['', 'rz', 'rr', 'rwmr', 'R']) assert.equal(isValidDeviceMode(mode), false, mode);
  });

  test('validation at create: tmpfs destinations; device permissions as given', () => {
    // --tmpfs destinations, in dockerd's words.
    throwsInvalid(() => validateHostConfig({ Tmpfs: { rel: '' } }, 2), "invalid mount path: 'rel' mount path must be absolute");
    throwsInvalid(() => validateHostConfig({ Tmpfs: { '//': '' } }, 2), "invalid specification: destination can't be '/'");
    assert.doesNotThrow(() => validateHostConfig({ Tmpfs: { '/run': '' } }, 2));
    throwsInvalid(() => validateHostConfig({ KernelMemory: 4194304 }, 2), 'Minimum kernel memory limit allowed is 6MB');
    assert.doesNotThrow(() => validateHostConfig({ KernelMemory: -1 }, 2));
    // The storage driver names an unknown option before it says quotas are missing.
    assert.throws(() => validateHostConfig({ StorageOpt: { size: '1G', bogus: 'x' } }, 2), { message: 'Unknown option bogus' });
    // dockerd's API takes any device permissions (only its CLI checks them).
    assert.doesNotThrow(() => validateHostConfig({ Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rz' }] }, 2));
    validateHostConfig({ Devices: [{ PathOnHost: '/dev/null', CgroupPermissions: '' }, { PathOnHost: '/dev/zero', CgroupPermissions: 'mr' }], DeviceCgroupRules: ['a *:* rwm'] }, 2);
  });
});

describe('blkio devices', () => {
  const numbers = new Map([
    ['/dev/vda', { major: 254, minor: 0 }],
    ['/dev/sdb', { major: 8, minor: 16 }],
  ]);
  const hc = {
    BlkioWeight: 500,
    BlkioWeightDevice: [{ Path: '/dev/vda', Weight: 300 }],
    BlkioDeviceReadBps: [{ Path: '/dev/vda', Rate: 1048576 }],
    BlkioDeviceWriteBps: [{ Path: '/dev/sdb', Rate: 2048 }],
    BlkioDeviceReadIOps: [{ Path: '/dev/vda', Rate: 100 }],
    BlkioDeviceWriteIOps: [{ Path: '/dev/sdb', Rate: 50 }, { Path: '/dev/vda', Rate: 60 }],
  };

  test('the paths to stat, each once', () => {
    assert.deepEqual(blkioDevicePaths(hc), ['/dev/vda', '/dev/sdb']);
    assert.deepEqual(blkioDevicePaths({}), []);
  });

  test('each list becomes major:minor entries in linux.resources.blockIO, beside the weight', () => {
    const s = generateSpec(input({ hostConfig: hc, blockDevices: numbers }));
    assert.deepEqual(s.linux.resources?.blockIO, {
      weight: 500,
      weightDevice: [{ major: 254, minor: 0, weight: 300 }],
      throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 1048576 }],
      throttleWriteBpsDevice: [{ major: 8, minor: 16, rate: 2048 }],
      throttleReadIOPSDevice: [{ major: 254, minor: 0, rate: 100 }],
      throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 50 }, { major: 254, minor: 0, rate: 60 }],
    });
    assert.equal(generateSpec(input()).linux.resources?.blockIO, undefined);
    assert.deepEqual(toOciBlockDevices({ BlkioDeviceReadBps: [] }, numbers), {});
  });

  test('a path the caller did not resolve is an engine error', () => {
    assert.throws(() => toOciBlockDevices({ BlkioDeviceReadBps: [{ Path: '/dev/nope', Rate: 1 }] }, numbers), /no device number resolved for blkio device \/dev\/nope/);
  });
});

describe('entrypoint and cmd merge', () => {
  const cases: [string, Parameters<typeof mergeCommand>[0], Parameters<typeof mergeCommand>[1], string[] | string][] = [
    ['image cmd', {}, { Cmd: ['sh'] }, ['sh']],
    ['image entrypoint + image cmd', {}, { Entrypoint: ['/ep'], Cmd: ['a'] }, ['/ep', 'a']],
    ['container cmd replaces image cmd', { Cmd: ['b'] }, { Entrypoint: ['/ep'], Cmd: ['a'] }, ['/ep', 'b']],
    ['container entrypoint drops image cmd', { Entrypoint: ['/x'] }, { Entrypoint: ['/ep'], Cmd: ['a'] }, ['/x']],
    ['container entrypoint + container cmd', { Entrypoint: ['/x'], Cmd: ['c'] }, { Cmd: ['a'] }, ['/x', 'c']],
    ['--entrypoint "" with cmd', { Entrypoint: [''], Cmd: ['echo'] }, { Entrypoint: ['/ep'] }, ['echo']],
    ['--entrypoint "" alone', { Entrypoint: [''] }, { Cmd: ['sh'] }, 'No command specified'],
    ['nothing', {}, {}, 'No command specified'],
  ];
  for (const [name, c, i, want] of cases) {
    test(name, () => {
      if (typeof want === 'string') throwsInvalid(() => mergeCommand(c, i), want);
      else assert.deepEqual(mergeCommand(c, i), want);
    });
  }
});

describe('env', () => {
  test('image env, container overrides, default PATH', () => {
    assert.deepEqual(buildEnv({ imageEnv: ['A=1', 'B=2'], containerEnv: ['B=3', 'C=4'], hostname: 'h', tty: false, home: '/' }), [
      `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, 'HOSTNAME=h', 'A=1', 'B=3', 'C=4', 'HOME=/',
    ]);
    assert.deepEqual(buildEnv({ containerEnv: ['PATH=/x', 'HOME=/h'], hostname: 'h', tty: true, home: '/root' }), ['PATH=/x', 'HOSTNAME=h', 'TERM=xterm', 'HOME=/h']);
  });
});

describe('user resolution', () => {
  const cases: [string, { uid: number; gid: number; additionalGids: number[]; home: string } | string][] = [
    ['', { uid: 0, gid: 0, additionalGids: [0], home: '/root' }],
    ['www', { uid: 33, gid: 33, additionalGids: [33, 50, 44], home: '/var/www' }],
    ['33', { uid: 33, gid: 33, additionalGids: [33, 50, 44], home: '/var/www' }],
    ['1000', { uid: 1000, gid: 0, additionalGids: [0], home: '/' }],
    ['www:staff', { uid: 33, gid: 50, additionalGids: [50], home: '/var/www' }],
    ['1000:1000', { uid: 1000, gid: 1000, additionalGids: [1000], home: '/' }],
    ['nosuch', 'unable to find user nosuch: no matching entries in passwd file'],
    ['1:nogrp', 'unable to find group nogrp: no matching entries in group file'],
  ];
  for (const [spec, want] of cases) {
    test(`"${spec}"`, () => {
      if (typeof want === 'string') throwsInvalid(() => resolveUser(spec, PASSWD, GROUP), want);
      else assert.deepEqual(resolveUser(spec, PASSWD, GROUP), want);
    });
  }
  test('no passwd file: names fail, numbers pass; GroupAdd appends', () => {
    throwsInvalid(() => resolveUser('www'), 'unable to find user www: no matching entries in passwd file');
    assert.deepEqual(resolveUser('5', undefined, GROUP, ['staff', '99']), { uid: 5, gid: 0, additionalGids: [0, 50, 99], home: '/' });
  });
});

describe('capabilities and seccomp', () => {
  test('cap add/drop', () => {
    assert.deepEqual(resolveCapabilities({ capDrop: ['ALL'], capAdd: ['net_admin'] }), ['CAP_NET_ADMIN']);
    assert.ok(!resolveCapabilities({ capDrop: ['CAP_CHOWN'] }).includes('CAP_CHOWN'));
    assert.equal(resolveCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'] }).includes('CAP_SYS_ADMIN'), false);
  });
  test('seccomp rules follow granted caps and arch', () => {
    const def = toOciSeccomp(defaultSeccompProfile(), DEFAULT_CAPABILITIES, { arch: 'x64', kernel: '6.1.0' });
    assert.deepEqual(def.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    const names = (s: typeof def) => new Set(s.syscalls!.filter((c) => c.action === 'SCMP_ACT_ALLOW').flatMap((c) => c.names));
    assert.ok(names(def).has('arch_prctl'));
    assert.ok(!names(def).has('s390_pci_mmio_read'));
    assert.ok(!names(def).has('mount'));
    assert.ok(def.syscalls!.some((c) => c.names.includes('clone3') && c.action === 'SCMP_ACT_ERRNO'));
    const admin = toOciSeccomp(defaultSeccompProfile(), [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], { arch: 'x64' });
    assert.ok(names(admin).has('mount'));
    assert.ok(!admin.syscalls!.some((c) => c.names.includes('clone3') && c.action === 'SCMP_ACT_ERRNO'));
  });
  test('a sub-architecture the kernel cannot run is left out of the archMap, never out of explicit architectures', () => {
    const host = { arch: 'x64', kernel: '6.1.0', missingArches: ['SCMP_ARCH_X32'] };
    const def = toOciSeccomp(defaultSeccompProfile(), DEFAULT_CAPABILITIES, host);
    assert.deepEqual(def.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    const explicit = toOciSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32'] }, [], host);
    assert.deepEqual(explicit.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32']);
  });
  test('tmpfs option merge keeps the last of each family', () => {
    assert.deepEqual(mergeTmpfsOptions(['noexec', 'nosuid', 'size=1m', 'exec', 'size=2m']), ['nosuid', 'exec', 'size=2m']);
  });
});
