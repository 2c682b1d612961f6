/**
 * The daemon's proxy settings for ADD's downloads, as Go's
 * http.ProxyFromEnvironment reads them (golang.org/x/net/http/httpproxy):
 * HTTP_PROXY / HTTPS_PROXY by the URL's scheme (upper case first), a
 * scheme-less proxy taken as http://, never for localhost or a loopback
 * address, and NO_PROXY listing exceptions: `*` for all, IP addresses,
 * CIDR prefixes, domains (`foo.com` matches it and its subdomains,
 * `.foo.com` subdomains only), each optionally with a port. Pure.
 */
import net from 'node:net';

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

function parseProxy(text: string): URL | undefined {
  try {
    const u = new URL(text);
    if (['http:', 'https:', 'socks5:'].includes(u.protocol)) return u;
  } catch {
    // Not a URL with a scheme: read as host[:port], as Go does.
  }
  try {
    return new URL(`http://${text}`);
  } catch {
    return undefined;
  }
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || Number.isNaN(bits)) return false;
  const family = net.isIPv4(base) ? 'ipv4' : net.isIPv6(base) ? 'ipv6' : undefined;
  if (!family || (family === 'ipv4') !== net.isIPv4(ip)) return false;
  const list = new net.BlockList();
  list.addSubnet(base, bits, family);
  return list.check(ip, family);
}

/** Whether NO_PROXY exempts `host` (a hostname or IP, brackets removed) on `port`. */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  const name = host.toLowerCase();
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (net.isIP(name) && ipInCidr(name, entry)) return true;
      continue;
    }
    let entryPort = '';
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !net.isIPv6(entry)) {
      entry = m[1]!;
      entryPort = m[2]!;
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort !== '' && entryPort !== port) continue;
    if (net.isIP(entry)) {
      if (entry === name) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (name.endsWith(entry)) return true;
    } else if (name === entry || name.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

/** The proxy to reach `url` through, or undefined to connect directly. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const text = url.protocol === 'https:' ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (text === '') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLoopback(host)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (noProxyMatches(envAny(env, 'NO_PROXY', 'no_proxy'), host, port)) return undefined;
  return parseProxy(text);
}
