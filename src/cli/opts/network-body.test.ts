/**
 * The network part of the create body, checked against what docker CLI 28
 * sends (captured from `docker create` against a socket that echoes the
 * request, API 1.43): ports, --expose/-P, --network in both forms, and the
 * per-container network flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../flags.ts';
import { RUN_FLAGS } from './container-flags.ts';
import { buildCreateConfig } from './container-config.ts';
import { connectEndpoint, endpointSettings } from './network-opts.ts';
import { parseExpose, parsePortSpec } from './specs.ts';

function body(argv: string[]) {
  const flags = parseFlags(RUN_FLAGS, [...argv, 'busybox'], { interspersed: false });
  const b = buildCreateConfig(flags, { image: 'busybox', args: [], env: {}, readFile: () => '', detach: false });
  return {
    ExposedPorts: b.Config['ExposedPorts'],
    MacAddress: b.Config['MacAddress'],
    NetworkMode: b.HostConfig['NetworkMode'],
    PortBindings: b.HostConfig['PortBindings'],
    PublishAllPorts: b.HostConfig['PublishAllPorts'],
    Links: b.HostConfig['Links'],
    EndpointsConfig: b.NetworkingConfig.EndpointsConfig,
  };
}
const DEFAULT_EP = { default: endpointSettings() };

test('-p and --expose bodies equal docker CLI 28\'s', () => {
  const cases: Array<[string[], Record<string, object>, Record<string, { HostIp: string; HostPort: string }[]>]> = [
    [['-p', '8080:80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }],
    [['-p', '127.0.0.1::80/udp'], { '80/udp': {} }, { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] }],
    [['-p', '8000-8001:80-81'], { '80/tcp': {}, '81/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }] }],
    [['-p', '80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '' }] }],
    [['-p', '8000-8001:80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8000-8001' }] }],
    [['-p', '[::1]:8080:80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }],
    [['-p', '::1:8080:80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }],
    [['-p', '80/UDP'], { '80/udp': {} }, { '80/udp': [{ HostIp: '', HostPort: '' }] }],
    [['-p', 'published=8080,target=80'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }],
    [['-p', '8080:80/tcp', '-p', '8081:80/tcp'], { '80/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }] }],
  ];
  for (const [argv, exposed, bindings] of cases) {
    const b = body(argv);
    assert.deepEqual(b.ExposedPorts, exposed, argv.join(' '));
    assert.deepEqual(b.PortBindings, bindings, argv.join(' '));
    assert.equal(b.PublishAllPorts, false);
    assert.equal(b.NetworkMode, 'default');
    assert.deepEqual(b.EndpointsConfig, DEFAULT_EP);
  }
  const p = body(['--expose', '90-91', '-P']);
  assert.deepEqual(p.ExposedPorts, { '90/tcp': {}, '91/tcp': {} });
  assert.deepEqual(p.PortBindings, {});
  assert.equal(p.PublishAllPorts, true);
});

test('-p and --expose errors are docker\'s', () => {
  const errs: Array<[string, RegExp]> = [
    ['8000:80-81', /invalid ranges specified for container and host Ports: 80-81 and 8000$/],
    ['99999:80', /invalid hostPort: 99999$/],
    ['80/xyz', /invalid proto: xyz$/],
    ['1.2.3.4:80', /invalid hostPort: 1.2.3.4$/],
    ['1.2.3:80:80', /invalid IP address: 1.2.3$/],
    ['[::1:80:80', /invalid IP address \[::1: address \[::1:: missing '\]' in address$/],
    ['/80', /no port specified: \/80<empty>$/],
    ['80-79', /invalid containerPort: 80-79$/],
    ['published', /invalid containerPort: published$/],
    ['published=1,x', /invalid publish opts format \(should be name=value but got 'x'\)$/],
  ];
  for (const [spec, re] of errs) assert.throws(() => parsePortSpec(spec), re, spec);
  assert.throws(() => parseExpose('80:90'), /invalid port format for --expose: 80:90$/);
  assert.throws(() => parseExpose('99999'), /invalid range format for --expose: 99999, error: strconv.ParseUint: parsing "99999": value out of range$/);
  assert.throws(() => parseExpose('9-8'), /invalid range format for --expose: 9-8, error: invalid range specified for port: 9-8$/);
  assert.throws(() => parseExpose('a-b'), /invalid range format for --expose: a-b, error: strconv.ParseUint: parsing "a": invalid syntax$/);
  assert.deepEqual(parseExpose('90/udp'), ['90/udp']);
});

test('network flags fold into the first network as docker does', () => {
  const b = body(['--network', 'foo', '--ip', '10.1.1.1', '--ip6', 'fd00::1', '--network-alias', 'a', '--network-alias', 'b', '--link', 'x:y', '--link', 'z', '--link-local-ip', '169.254.1.1']);
  assert.equal(b.NetworkMode, 'foo');
  assert.deepEqual(b.Links, ['x:y', 'z']);
  assert.deepEqual(b.EndpointsConfig, {
    foo: endpointSettings({ IPAMConfig: { IPv4Address: '10.1.1.1', IPv6Address: 'fd00::1', LinkLocalIPs: ['169.254.1.1'] }, Links: ['x:y', 'z'], Aliases: ['a', 'b'] }),
  });
  // On the default network --ip is an endpoint setting, --link only a legacy link.
  assert.deepEqual(body(['--ip', '10.1.1.1']).EndpointsConfig, { default: endpointSettings({ IPAMConfig: { IPv4Address: '10.1.1.1' } }) });
  const legacy = body(['--link', 'x:y']);
  assert.deepEqual(legacy.Links, ['x:y']);
  assert.deepEqual(legacy.EndpointsConfig, DEFAULT_EP);
  assert.equal(body([]).Links, null);
});

test('--network: one plain network sends no endpoint; several, or the advanced form, do', () => {
  assert.deepEqual(body(['--network', 'foo']).EndpointsConfig, {});
  assert.deepEqual(body(['--network', 'host', '--link', 'x']).EndpointsConfig, {});
  assert.deepEqual(body(['--network', 'container:abc']).NetworkMode, 'container:abc');
  assert.deepEqual(body(['--network', 'foo', '--network', 'bar']).EndpointsConfig, { foo: endpointSettings(), bar: endpointSettings() });
  const adv = body(['--network', 'name=Foo,alias=A,ip=10.1.1.2,driver-opt=k=v,link-local-ip=169.254.2.2,ip6=fd00::2', '--network', 'bar']);
  assert.equal(adv.NetworkMode, 'foo');
  assert.deepEqual(adv.EndpointsConfig, {
    foo: endpointSettings({ Aliases: ['a'], DriverOpts: { k: 'v' }, IPAMConfig: { IPv4Address: '10.1.1.2', IPv6Address: 'fd00::2', LinkLocalIPs: ['169.254.2.2'] } }),
    bar: endpointSettings(),
  });
  assert.equal(body(['--net', 'foo', '--net-alias', 'a']).NetworkMode, 'foo');
});

test('--mac-address goes to Config.MacAddress and the main endpoint', () => {
  const b = body(['--mac-address', '92:d0:c6:0a:29:33']);
  assert.equal(b.MacAddress, '92:d0:c6:0a:29:33');
  assert.deepEqual(b.EndpointsConfig, { default: endpointSettings({ MacAddress: '92:d0:c6:0a:29:33' }) });
  assert.throws(() => body(['--mac-address', 'zz']), /zz is not a valid mac address$/);
});

test('network flag errors are docker\'s', () => {
  const errs: Array<[string[], RegExp]> = [
    [['--network-alias', 'a'], /network-scoped aliases are only supported for user-defined networks$/],
    [['--network', 'none', '--network-alias', 'x'], /network-scoped aliases are only supported for user-defined networks$/],
    [['--network', 'foo', '--network', 'foo'], /network "foo" is specified multiple times$/],
    [['--network', 'foo', '--network', 'host'], /conflicting options: cannot attach both user-defined and non-user-defined network-modes$/],
    [['--network', 'name=foo,alias=a', '--network-alias', 'b'], /conflicting options: cannot specify both --network-alias and per-network alias$/],
    [['--network', 'name=foo,ip=10.0.0.2', '--ip', '10.0.0.3'], /conflicting options: cannot specify both --ip and per-network IPv4 address$/],
  ];
  for (const [argv, re] of errs) assert.throws(() => body(argv), re, argv.join(' '));
  const flagErrs: Array<[string[], RegExp]> = [
    [['--network', 'name=foo,bogus=1'], /invalid argument "name=foo,bogus=1" for "--network" flag: invalid field key bogus/],
    [['--network', 'name=foo,alias'], /invalid argument "name=foo,alias" for "--network" flag: invalid field alias/],
    [['--network', 'alias=a'], /for "--network" flag: network name\/id is not specified/],
    [['--network', 'name=foo,gw-priority=x'], /for "--network" flag: invalid gw-priority \(x\): invalid syntax/],
    [['--link', 'a:b:c'], /invalid argument "a:b:c" for "--link" flag: bad format for links: a:b:c/],
    [['--link='], /invalid argument "" for "--link" flag: empty string specified for links/],
    [['-l', 'a b'], /invalid argument "a b" for "-l, --label" flag: label 'a b' contains whitespaces/],
  ];
  for (const [argv, re] of flagErrs) assert.throws(() => body(argv), re, argv.join(' '));
});

test('network connect sends docker\'s EndpointConfig', () => {
  const none = { ipv4: '', ipv6: '', linkLocalIps: [], links: [], aliases: [], driverOpts: [], gwPriority: 0 };
  assert.deepEqual(connectEndpoint(none), endpointSettings({ IPAMConfig: {}, Aliases: [], DriverOpts: {} }));
  assert.deepEqual(
    connectEndpoint({ ipv4: '10.1.1.1', ipv6: 'fd00::1', linkLocalIps: ['169.254.1.1'], links: ['x:y'], aliases: ['a', 'b'], driverOpts: ['k=v'], gwPriority: 5 }),
    endpointSettings({ IPAMConfig: { IPv4Address: '10.1.1.1', IPv6Address: 'fd00::1', LinkLocalIPs: ['169.254.1.1'] }, Links: ['x:y'], Aliases: ['a', 'b'], DriverOpts: { k: 'v' }, GwPriority: 5 }),
  );
  assert.throws(() => connectEndpoint({ ...none, driverOpts: ['x'] }), /invalid key\/value pair format in driver options$/);
});
