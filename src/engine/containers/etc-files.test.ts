import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConfFile } from './etc-files.ts';

test('resolv.conf drops loopback nameservers and falls back to public ones', () => {
  assert.equal(resolvConfFile('nameserver 127.0.0.53\nsearch lan\n'), 'search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.equal(resolvConfFile('nameserver 10.0.0.2\noptions ndots:2\n'), 'nameserver 10.0.0.2\noptions ndots:2\n');
  assert.equal(resolvConfFile('nameserver 10.0.0.2\n', { dns: ['1.1.1.1'] }), 'nameserver 1.1.1.1\n');
});

test('hosts file has localhost entries, extra hosts and the container address', () => {
  const text = hostsFile({ hostname: 'box', extraHosts: ['db:10.1.2.3'], addresses: ['172.30.0.2'] });
  assert.match(text, /^127\.0\.0\.1\tlocalhost\n/);
  assert.match(text, /10\.1\.2\.3\tdb\n/);
  assert.match(text, /172\.30\.0\.2\tbox\n$/);
});
