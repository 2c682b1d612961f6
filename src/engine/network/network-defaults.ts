/**
 * The daemon's network settings (dockerd's `bridge`/`-b`, `bip`,
 * `default-address-pools`, `ip-forward`, `iptables`, `dns`, `dns-search`,
 * `dns-opts`, `host-gateway-ip`), checked once at start. The network service
 * makes the default bridge from them; the container side reads the DNS
 * settings, `hostGatewayIp` and `iptables` (false: netavark is told to leave
 * the firewall alone).
 *
 * One deliberate difference from dockerd: `-b` and `--bip` go together.
 * dockerd's `-b` names a bridge the administrator made (so an address on it
 * would conflict); Berth's bridges are made by netavark, so `-b` only names
 * the device the default network gets, and `--bip` its address.
 */
import { checkAddressPools, DEFAULT_ADDRESS_POOLS, type AddressPool } from './ipam.ts';
import { formatCidr, ipFamily, parseCidr } from './subnets.ts';

export const DEFAULT_BRIDGE_NAME = 'berth0';

/** The settings as daemon.json names them (flags are merged in first). */
export interface NetworkSettings {
  bridge?: string;
  bip?: string;
  'default-address-pools'?: { base?: unknown; size?: unknown }[];
  'ip-forward'?: boolean;
  iptables?: boolean;
  dns?: string[];
  'dns-search'?: string[];
  'dns-opts'?: string[];
  'host-gateway-ip'?: string;
}

export interface NetworkDefaults {
  /** The default bridge network's device. */
  bridgeName: string;
  /** `-b none`: no default bridge network at all. */
  bridgeDisabled: boolean;
  /** `--bip`: the default bridge's gateway and its subnet (normalised CIDR). */
  bip?: { gateway: string; subnet: string };
  /** Where automatic subnets come from (default bridge without --bip, user networks without --subnet). */
  addressPools: readonly AddressPool[];
  /** Set net.ipv4.ip_forward=1 at start (dockerd's default). */
  ipForward: boolean;
  /** Let netavark manage iptables (false: it is told not to touch the firewall). */
  iptables: boolean;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** The address `host-gateway` in --add-host stands for; undefined: the default bridge's gateway. */
  hostGatewayIp?: string;
}

/** Linux limits interface names to 15 bytes (IFNAMSIZ - 1). */
const IFNAME = /^[^\s/:]{1,15}$/;

/** dockerd's opts.ValidateDNSSearch: a domain of labels, or "." */
const DOMAIN = /^\.?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/;

/** The settings checked, with dockerd's words for what is wrong (berthd prints them and exits). */
export function networkDefaults(settings: NetworkSettings): NetworkDefaults {
  checkTypes(settings);
  const bridge = settings.bridge ?? '';
  const bridgeDisabled = bridge === 'none';
  if (bridge !== '' && !bridgeDisabled && !IFNAME.test(bridge)) {
    throw new Error(`Error initializing network controller: failed to check bridge interface existence: invalid bridge name "${bridge}"`);
  }
  const defaults: NetworkDefaults = {
    bridgeName: bridge === '' || bridgeDisabled ? DEFAULT_BRIDGE_NAME : bridge,
    bridgeDisabled,
    addressPools: settings['default-address-pools']?.length ? parsePools(settings['default-address-pools']) : DEFAULT_ADDRESS_POOLS,
    ipForward: settings['ip-forward'] ?? true,
    iptables: settings.iptables ?? true,
    dns: [...(settings.dns ?? [])],
    dnsSearch: [...(settings['dns-search'] ?? [])],
    dnsOptions: [...(settings['dns-opts'] ?? [])],
  };
  if (settings.bip) defaults.bip = parseBip(settings.bip);
  for (const ip of defaults.dns) if (ipFamily(ip) === 0) throw new Error(`${ip} is not an ip address`);
  for (const domain of defaults.dnsSearch) if (!DOMAIN.test(domain) || domain.length > 255) throw new Error(`${domain} is not a valid domain`);
  const gatewayIp = settings['host-gateway-ip'];
  if (gatewayIp !== undefined && gatewayIp !== '') {
    if (ipFamily(gatewayIp) === 0) throw new Error(`invalid argument "${gatewayIp}" for "--host-gateway-ip" flag: invalid string being converted to IP address: ${gatewayIp}`);
    defaults.hostGatewayIp = gatewayIp;
  }
  return defaults;
}

/** daemon.json's values have the types dockerd's Config struct gives them (Go's decoder words). */
function checkTypes(settings: NetworkSettings): void {
  const fail = (key: string, value: unknown, goType: string) => {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    return new Error(`json: cannot unmarshal ${kind} into Go struct field Config.${key} of type ${goType}`);
  };
  const s = settings as Record<string, unknown>;
  for (const key of ['bridge', 'bip', 'host-gateway-ip']) if (s[key] !== undefined && typeof s[key] !== 'string') throw fail(key, s[key], 'string');
  for (const key of ['ip-forward', 'iptables']) if (s[key] !== undefined && typeof s[key] !== 'boolean') throw fail(key, s[key], 'bool');
  for (const key of ['dns', 'dns-search', 'dns-opts']) {
    const v = s[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) throw fail(key, v, '[]string');
  }
  const pools = s['default-address-pools'];
  if (pools !== undefined && (!Array.isArray(pools) || pools.some((p) => typeof p !== 'object' || p === null))) throw fail('default-address-pools', pools, '[]*ipamutils.NetworkToSplit');
}

/** `--bip`: the gateway address with the subnet's prefix, e.g. 10.213.0.1/24 (an IPv4 host address, never the subnet's own address). */
function parseBip(text: string): { gateway: string; subnet: string } {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  if (slash < 0 || ipFamily(address) !== 4) throw new Error(`Error initializing network controller: invalid CIDR address: ${text}`);
  let subnet: string;
  try {
    subnet = formatCidr(parseCidr(text));
  } catch {
    throw new Error(`Error initializing network controller: invalid CIDR address: ${text}`);
  }
  if (subnet.split('/')[0] === address) {
    throw new Error(`Error creating default "bridge" network: failed to allocate gateway (${address}): Address already in use`);
  }
  return { gateway: address, subnet };
}

/**
 * daemon.json's `default-address-pools` (or the merged `--default-address-pool`
 * flags), checked by ipam.ts's checkAddressPools. A missing size is Go's
 * zero; a size that is not a number is refused with the same words.
 */
function parsePools(pools: readonly { base?: unknown; size?: unknown }[]): AddressPool[] {
  return checkAddressPools(pools.map((p) => {
    const size = p.size ?? 0;
    if (typeof size !== 'number') throw new Error(`invalid pools size: ${String(size)}`);
    return { base: typeof p.base === 'string' ? p.base : '', size };
  }));
}

/**
 * One `--default-address-pool base=10.10.0.0/16,size=24` flag, read as
 * dockerd's PoolsOpt reads it (CSV fields of key=value, keys and values
 * lower-cased).
 */
export function parsePoolFlag(value: string): { base?: string; size?: number } {
  const pool: { base?: string; size?: number } = {};
  const fail = (why: string) => new Error(`invalid argument "${value}" for "--default-address-pool" flag: ${why}`);
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw fail(`invalid field '${field}' must be a key=value pair`);
    const key = field.slice(0, eq).toLowerCase();
    const v = field.slice(eq + 1).toLowerCase();
    if (key === 'base') pool.base = v;
    else if (key === 'size') {
      if (!/^[+-]?\d+$/.test(v)) throw fail(`invalid size value: "${v}" (must be integer): strconv.Atoi: parsing "${v}": invalid syntax`);
      pool.size = Number(v);
    } else throw fail(`unexpected key '${key}' in '${field}'`);
  }
  return pool;
}
