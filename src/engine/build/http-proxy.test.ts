import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noProxyMatches, proxyFor } from './http-proxy.ts';

test('proxyFor reads HTTP_PROXY/HTTPS_PROXY by scheme, never for loopback, scheme-less as http', () => {
  const env = { HTTP_PROXY: 'proxy:3128', https_proxy: 'https://secure:443', NO_PROXY: '' };
  assert.equal(proxyFor(new URL('http://example.com/x'), env)?.href, 'http://proxy:3128/');
  assert.equal(proxyFor(new URL('https://example.com/x'), env)?.href, 'https://secure/');
  assert.equal(proxyFor(new URL('http://localhost:8080/x'), env), undefined);
  assert.equal(proxyFor(new URL('http://127.0.0.1/x'), env), undefined);
  assert.equal(proxyFor(new URL('http://[::1]/x'), env), undefined);
  assert.equal(proxyFor(new URL('http://example.com/x'), {}), undefined);
  assert.equal(proxyFor(new URL('http://example.com/x'), { HTTP_PROXY: 'http://p:1', no_proxy: 'example.com' }), undefined);
});

test('NO_PROXY: *, IPs, CIDR prefixes, domains with their subdomains, .domains, ports', () => {
  const cases: [string, string, string, boolean][] = [
    ['*', 'any.host', '80', true],
    ['foo.com', 'foo.com', '80', true],
    ['foo.com', 'bar.foo.com', '80', true],
    ['foo.com', 'barfoo.com', '80', false],
    ['.y.com', 'x.y.com', '80', true],
    ['.y.com', 'y.com', '80', false],
    ['*.y.com', 'x.y.com', '80', true],
    ['foo.com:8080', 'foo.com', '80', false],
    ['foo.com:8080', 'foo.com', '8080', true],
    ['10.0.0.0/8', '10.1.2.3', '80', true],
    ['10.0.0.0/8', '11.1.2.3', '80', false],
    ['192.168.1.5', '192.168.1.5', '80', true],
    ['192.168.1.5:81', '192.168.1.5', '80', false],
    [' a.com , b.com ', 'b.com', '80', true],
  ];
  for (const [noProxy, host, port, want] of cases) assert.equal(noProxyMatches(noProxy, host, port), want, `${noProxy} ~ ${host}:${port}`);
});
