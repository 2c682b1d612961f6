import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { formatLink, linkEnv, linkErrors, linkHostsEntries, parseLink, type LinkTarget } from './links.ts';

const DB: LinkTarget = {
  name: '/pure-db',
  hostname: '8872b44e13f4',
  ip: '172.17.0.4',
  env: ['FOO=bar', 'EMPTY=', 'HOME=/x', 'PATH=/bin:/sbin', 'NOVALUE'],
  exposedPorts: { '5432/tcp': {}, '80/udp': {}, '7000/tcp': {}, '7001/tcp': {}, '7002/tcp': {} },
};

test('link specs as dockerd parses them', () => {
  const ok: [string, { name: string; alias: string }][] = [
    ['db:my-db', { name: 'db', alias: 'my-db' }],
    ['db', { name: 'db', alias: 'db' }],
    ['/pure-db:/pure-web2/db', { name: 'pure-db', alias: 'db' }],
  ];
  for (const [spec, want] of ok) assert.deepEqual(parseLink(spec), want, spec);
  assert.throws(() => parseLink('a:b:c'), (e: unknown) => e instanceof SystemError && (e as Error).message === 'bad format for links: a:b:c');
  assert.throws(() => parseLink(''), { message: 'empty string specified for links' });
  assert.equal(formatLink('/pure-db', '/pure-web2', 'db'), '/pure-db:/pure-web2/db');
});

test('link environment as the reference engine gives it for --link pure-db:my-db', () => {
  // The reference's `env` output of the linking container, in dockerd's emission order.
  const want = [
    'MY_DB_PORT=udp://172.17.0.4:80',
    'MY_DB_PORT_7000_TCP_START=tcp://172.17.0.4:7000',
    'MY_DB_PORT_7000_TCP_ADDR=172.17.0.4',
    'MY_DB_PORT_7000_TCP_PROTO=tcp',
    'MY_DB_PORT_7000_TCP_PORT_START=7000',
    'MY_DB_PORT_7000_TCP_END=tcp://172.17.0.4:7002',
    'MY_DB_PORT_7000_TCP_PORT_END=7002',
    'MY_DB_PORT_80_UDP=udp://172.17.0.4:80',
    'MY_DB_PORT_80_UDP_ADDR=172.17.0.4',
    'MY_DB_PORT_80_UDP_PORT=80',
    'MY_DB_PORT_80_UDP_PROTO=udp',
    'MY_DB_PORT_5432_TCP=tcp://172.17.0.4:5432',
    'MY_DB_PORT_5432_TCP_ADDR=172.17.0.4',
    'MY_DB_PORT_5432_TCP_PORT=5432',
    'MY_DB_PORT_5432_TCP_PROTO=tcp',
    'MY_DB_PORT_7000_TCP=tcp://172.17.0.4:7000',
    'MY_DB_PORT_7000_TCP_PORT=7000',
    'MY_DB_PORT_7001_TCP=tcp://172.17.0.4:7001',
    'MY_DB_PORT_7001_TCP_ADDR=172.17.0.4',
    'MY_DB_PORT_7001_TCP_PORT=7001',
    'MY_DB_PORT_7001_TCP_PROTO=tcp',
    'MY_DB_PORT_7002_TCP=tcp://172.17.0.4:7002',
    'MY_DB_PORT_7002_TCP_ADDR=172.17.0.4',
    'MY_DB_PORT_7002_TCP_PORT=7002',
    'MY_DB_PORT_7002_TCP_PROTO=tcp',
    'MY_DB_NAME=/pure-web/my-db',
    'MY_DB_ENV_FOO=bar',
    'MY_DB_ENV_EMPTY=',
  ];
  assert.deepEqual(linkEnv('my-db', DB, '/pure-web'), want);
  const cases: [string, LinkTarget, string, string[]][] = [
    ['no ports, no env', { name: '/a', hostname: 'h', ip: '10.0.0.2' }, '/p', ['A_NAME=/p/a']],
    ['tcp first among equal numbers', { name: '/a', hostname: 'h', ip: '10.0.0.2', exposedPorts: { '53/udp': {}, '53/tcp': {} } }, '/p', [
      'A_PORT=tcp://10.0.0.2:53',
      'A_PORT_53_TCP=tcp://10.0.0.2:53', 'A_PORT_53_TCP_ADDR=10.0.0.2', 'A_PORT_53_TCP_PORT=53', 'A_PORT_53_TCP_PROTO=tcp',
      'A_PORT_53_UDP=udp://10.0.0.2:53', 'A_PORT_53_UDP_ADDR=10.0.0.2', 'A_PORT_53_UDP_PORT=53', 'A_PORT_53_UDP_PROTO=udp',
      'A_NAME=/p/a']],
  ];
  for (const [name, target, parent, env] of cases) assert.deepEqual(linkEnv('a', target, parent), env, name);
});

test('/etc/hosts lines for links, as the reference writes them', () => {
  assert.deepEqual(linkHostsEntries([{ alias: 'my-db', target: DB }]), ['172.17.0.4\tmy-db 8872b44e13f4 pure-db']);
  assert.deepEqual(linkHostsEntries([{ alias: 'pure-db', target: DB }]), ['172.17.0.4\tpure-db 8872b44e13f4']);
  assert.deepEqual(linkHostsEntries([{ alias: 'x', target: { ...DB, ipv6: 'fd00:211::4' } }]), ['172.17.0.4\tx 8872b44e13f4 pure-db', 'fd00:211::4\tx 8872b44e13f4 pure-db']);
});

test('link errors carry dockerd statuses', () => {
  assert.ok(linkErrors.noSuchTarget('nonexist') instanceof InvalidParameterError);
  assert.equal(linkErrors.noSuchTarget('nonexist').message, 'could not get container for nonexist: No such container: nonexist');
  assert.equal(linkErrors.notRunning('/pure-tgt', '/pure-l2/x').message, 'Cannot link to a non running container: /pure-tgt AS /pure-l2/x');
});
