/**
 * Where a registry is reached, as dockerd decides it (registry/service_v2.go,
 * registry/config.go): for `docker.io`, the configured mirrors first, then
 * `https://registry-1.docker.io`; for any other host, `https://host`, followed
 * by `http://host` when the host is insecure. A host is insecure when it is
 * listed in `insecure-registries` (as `host[:port]`) or resolves to an
 * address inside one of its CIDRs; `127.0.0.0/8` and `::1/128` always are.
 * TLS to an insecure host is not verified, as dockerd.
 *
 * Beyond Docker, mirrors for any registry: an entry of `registry-mirrors`
 * written `HOST=URL` (`"ghcr.io=https://mirror.example:5000"`) mirrors HOST;
 * a bare URL mirrors docker.io as in dockerd. The same form works with the
 * `--registry-mirror` flag.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { InvalidParameterError } from '../../util/errors.ts';

export const DOCKER_IO = 'docker.io';
export const DOCKER_IO_ENDPOINT = 'https://registry-1.docker.io';
/** The index dockerd names in auth (the `serveraddress` of `docker login` with no server). */
export const DOCKER_IO_INDEX = 'https://index.docker.io/v1/';

export interface RegistryHostsConfig {
  /** daemon.json `insecure-registries`: CIDRs and `host[:port]`. */
  insecureRegistries?: readonly string[];
  /** daemon.json `registry-mirrors`: URLs (docker.io) and `HOST=URL`. */
  registryMirrors?: readonly string[];
}

export interface Endpoint {
  /** Base URL without a trailing slash: `https://127.0.0.1:5000`. */
  url: string;
  /** The registry host of the reference (`docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** A mirror (pull only; never pushed to). */
  mirror: boolean;
  /** Skip TLS verification (an insecure host, or plain HTTP). */
  insecureTls: boolean;
}

/** Parse the mirror entries; throws with dockerd's words on a bad URL. */
export function parseMirrors(entries: readonly string[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const scheme = entry.indexOf('://');
    const keyed = eq > 0 && (scheme === -1 || eq < scheme);
    const host = keyed ? entry.slice(0, eq) : DOCKER_IO;
    const url = normaliseMirrorUrl(keyed ? entry.slice(eq + 1) : entry);
    const list = out.get(host) ?? [];
    list.push(url);
    out.set(host, list);
  }
  return out;
}

/** dockerd's ValidateMirror: http(s) scheme, no credentials, no path other than `/`, no query. */
export function normaliseMirrorUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidParameterError(`invalid mirror: "${value}" is not a valid URI`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidParameterError(`invalid mirror: unsupported scheme "${u.protocol.slice(0, -1)}" in "${value}"`);
  if (u.username || u.password) throw new InvalidParameterError(`invalid mirror: username/password not allowed in URI "${value}"`);
  if ((u.pathname !== '' && u.pathname !== '/') || u.search || u.hash) throw new InvalidParameterError(`invalid mirror: path, query, or fragment at end of the URI "${value}"`);
  return `${u.protocol}//${u.host}`;
}

/** The host part of `host[:port]` / `[v6]:port`. */
export function hostOnly(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const parts = hostPort.split(':');
  return parts.length === 2 ? parts[0]! : hostPort;
}

/** Insecure-registry rules as data: the names given and the CIDRs (loopback always). */
export class InsecureRules {
  private readonly names = new Set<string>();
  private readonly nets = new BlockList();

  constructor(entries: readonly string[] = []) {
    this.nets.addSubnet('127.0.0.0', 8, 'ipv4');
    this.nets.addSubnet('::1', 128, 'ipv6');
    for (const raw of entries) {
      const entry = raw.replace(/^https?:\/\//, '').replace(/\/$/, '');
      const slash = entry.indexOf('/');
      if (slash > 0 && isIP(entry.slice(0, slash))) {
        const prefix = Number(entry.slice(slash + 1));
        const addr = entry.slice(0, slash);
        const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv6' ? 128 : 32)) throw new InvalidParameterError(`invalid CIDR ${entry}`);
        this.nets.addSubnet(addr, prefix, family);
      } else {
        this.names.add(entry.toLowerCase());
      }
    }
  }

  /** Named insecure (exactly as `host[:port]`, or by host alone)? */
  namedInsecure(hostPort: string): boolean {
    return this.names.has(hostPort.toLowerCase());
  }

  addressInsecure(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.nets.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

export type Resolver = (host: string) => Promise<string[]>;

const defaultResolver: Resolver = async (host) => {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
};

/** dockerd's isSecureIndex: insecure by name, else by any of the host's addresses (an unresolvable host is secure). */
export async function isInsecureHost(hostPort: string, rules: InsecureRules, resolve: Resolver = defaultResolver): Promise<boolean> {
  if (rules.namedInsecure(hostPort)) return true;
  const host = hostOnly(hostPort);
  if (isIP(host)) return rules.addressInsecure(host);
  const addrs = host === 'localhost' ? ['127.0.0.1'] : await resolve(host);
  return addrs.some((a) => rules.addressInsecure(a));
}

/** The ordered endpoints to try for `registry` (`push` leaves mirrors out). */
export async function resolveEndpoints(
  registry: string,
  config: RegistryHostsConfig,
  opts: { push?: boolean; resolve?: Resolver } = {},
): Promise<Endpoint[]> {
  const rules = new InsecureRules(config.insecureRegistries);
  const out: Endpoint[] = [];
  if (!opts.push) {
    for (const url of parseMirrors(config.registryMirrors).get(registry) ?? []) {
      const mirrorHost = new URL(url).host;
      out.push({ url, registry, mirror: true, insecureTls: url.startsWith('http:') || (await isInsecureHost(mirrorHost, rules, opts.resolve)) });
    }
  }
  if (registry === DOCKER_IO) {
    out.push({ url: DOCKER_IO_ENDPOINT, registry, mirror: false, insecureTls: false });
    return out;
  }
  const insecure = await isInsecureHost(registry, rules, opts.resolve);
  out.push({ url: `https://${registry}`, registry, mirror: false, insecureTls: insecure });
  if (insecure) out.push({ url: `http://${registry}`, registry, mirror: false, insecureTls: true });
  return out;
}
