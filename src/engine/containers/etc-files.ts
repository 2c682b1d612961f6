/**
 * The generated /etc/hostname, /etc/hosts and /etc/resolv.conf of a
 * container (pure text; the service writes them into the container dir and
 * the spec bind-mounts them).
 */

export function hostnameFile(hostname: string): string {
  return `${hostname}\n`;
}

/**
 * Docker's default /etc/hosts for a container, then its --add-host entries,
 * lines for its links (`linkLines`), and its own address lines, in dockerd's order.
 */
export function hostsFile(options: { hostname: string; domainname?: string; addresses?: string[]; extraHosts?: string[]; linkLines?: string[] }): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of options.extraHosts ?? []) {
    const i = entry.lastIndexOf(':');
    if (i > 0) lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  lines.push(...(options.linkLines ?? []));
  const fqdn = options.domainname ? `${options.hostname}.${options.domainname} ${options.hostname}` : options.hostname;
  for (const address of options.addresses ?? []) lines.push(`${address}\t${fqdn}`);
  return lines.join('\n') + '\n';
}

const LOCAL_NS = /^(127\.|::1$|0\.0\.0\.0$)/;
const DEFAULT_NS = ['8.8.8.8', '8.8.4.4'];

/**
 * Docker's resolv.conf for a container on a private network: the host's file
 * without loopback nameservers (they would point into the container itself),
 * Google's public resolvers when none is left; DNS/DnsSearch/DnsOptions override.
 */
export function resolvConfFile(hostResolvConf: string, overrides: { dns?: string[]; search?: string[]; options?: string[] } = {}): string {
  const nameservers: string[] = [];
  const search: string[] = [];
  const options: string[] = [];
  for (const raw of hostResolvConf.split('\n')) {
    const line = raw.trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0] && !LOCAL_NS.test(rest[0])) nameservers.push(rest[0]);
    else if ((key === 'search' || key === 'domain') && rest.length) search.splice(0, search.length, ...rest);
    else if (key === 'options') options.push(...rest);
  }
  const ns = overrides.dns?.length ? overrides.dns : nameservers.length ? nameservers : DEFAULT_NS;
  const s = overrides.search?.length ? overrides.search : search;
  const o = overrides.options?.length ? overrides.options : options;
  let out = '';
  if (s.length) out += `search ${s.join(' ')}\n`;
  for (const n of ns) out += `nameserver ${n}\n`;
  if (o.length) out += `options ${o.join(' ')}\n`;
  return out;
}
