/**
 * The network side of `create`/`run` and `network connect`, as docker CLI 28
 * builds it: `--network` in its plain or advanced form (`name=x,alias=y,
 * ip=…`), the older per-container flags (--network-alias, --link, --ip,
 * --ip6, --link-local-ip, --mac-address) folded into the first network, and
 * each endpoint as docker's full EndpointSettings JSON. Pure.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { readCsvRecord } from './csv-record.ts';
import { isMacAddress } from './go-net.ts';

/** One `--network` value (docker's opts.NetworkAttachmentOpts). */
export interface NetworkAttachment {
  target: string;
  aliases: string[];
  driverOpts?: Record<string, string>;
  links: string[];
  ipv4: string;
  ipv6: string;
  linkLocalIps: string[];
  mac: string;
  gwPriority: number;
}

const attachment = (target: string): NetworkAttachment => ({ target, aliases: [], links: [], ipv4: '', ipv6: '', linkLocalIps: [], mac: '', gwPriority: 0 });

/** Go's strconv.Atoi error words, without the "strconv.Atoi: parsing …" prefix (docker strips it). */
function atoi(val: string): number {
  if (!/^[+-]?\d+$/.test(val)) throw new Error(`invalid gw-priority (${val}): invalid syntax`);
  const n = Number(val);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) throw new Error(`invalid gw-priority (${val}): value out of range`);
  return n;
}

/**
 * The `--network` flag's parse. The advanced form is recognised as docker
 * does (any `word=word` inside); docker lowercases each whole field, values too.
 */
export function parseNetworkAttachment(raw: string): NetworkAttachment {
  if (!/\w+=\w+(,\w+=\w+)*/.test(raw)) return attachment(raw);
  const n = attachment('');
  for (const field of readCsvRecord(raw)) {
    const lower = field.toLowerCase();
    const eq = lower.indexOf('=');
    const key = (eq < 0 ? lower : lower.slice(0, eq)).trim();
    if (eq < 0 || lower.slice(0, eq) === '') throw new Error(`invalid field ${field}`);
    const val = lower.slice(eq + 1).trim();
    switch (key) {
      case 'name': n.target = val; break;
      case 'alias': n.aliases.push(val); break;
      case 'ip': n.ipv4 = val; break;
      case 'ip6': n.ipv6 = val; break;
      case 'mac-address': n.mac = val; break;
      case 'link-local-ip': n.linkLocalIps.push(val); break;
      case 'driver-opt': {
        const i = val.indexOf('=');
        if (i <= 0) throw new Error('invalid key value pair format in driver options');
        (n.driverOpts ??= {})[val.slice(0, i).trim()] = val.slice(i + 1).trim();
        break;
      }
      case 'gw-priority': n.gwPriority = atoi(val); break;
      default: throw new Error(`invalid field key ${key}`);
    }
  }
  if (n.target === '') throw new Error('network name/id is not specified');
  return n;
}

/** container.NetworkMode.IsUserDefined: anything but the default/bridge/host/none modes and container:<id>. */
export function isUserDefinedNetwork(mode: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:');
}

/** EndpointSettings as docker's CLI marshals it: every field, zero values included. */
export function endpointSettings(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', DriverOpts: null, GwPriority: 0, NetworkID: '', EndpointID: '',
    Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
    ...fields,
  };
}

/** EndpointIPAMConfig with docker's omitempty fields. */
export function endpointIpam(ipv4: string, ipv6: string, linkLocal: string[]): Record<string, unknown> {
  const ipam: Record<string, unknown> = {};
  if (ipv4) ipam['IPv4Address'] = ipv4;
  if (ipv6) ipam['IPv6Address'] = ipv6;
  if (linkLocal.length) ipam['LinkLocalIPs'] = linkLocal;
  return ipam;
}

function toEndpoint(n: NetworkAttachment): Record<string, unknown> {
  if (n.target.trim() === '') throw new InvalidParameterError('no name set for network');
  if (!isUserDefinedNetwork(n.target)) {
    if (n.aliases.length) throw new InvalidParameterError('network-scoped aliases are only supported for user-defined networks');
    if (n.links.length) throw new InvalidParameterError('links are only supported for user-defined networks');
  }
  const fields: Record<string, unknown> = { GwPriority: n.gwPriority };
  if (n.aliases.length) fields['Aliases'] = [...n.aliases];
  if (n.driverOpts && Object.keys(n.driverOpts).length) fields['DriverOpts'] = n.driverOpts;
  if (n.links.length) fields['Links'] = n.links;
  if (n.ipv4 || n.ipv6 || n.linkLocalIps.length) fields['IPAMConfig'] = endpointIpam(n.ipv4, n.ipv6, n.linkLocalIps);
  if (n.mac) {
    if (!isMacAddress(n.mac)) throw new InvalidParameterError(`${n.mac} is not a valid mac address`);
    fields['MacAddress'] = n.mac;
  }
  return endpointSettings(fields);
}

function isEmptyEndpoint(n: NetworkAttachment): boolean {
  return !n.aliases.length && !n.driverOpts && !n.links.length && !n.ipv4 && !n.ipv6 && !n.linkLocalIps.length && !n.mac && !n.gwPriority;
}

/** --mac-address's check, which docker makes before any other of create's. */
export function checkMacAddress(mac: string): void {
  if (mac && !isMacAddress(mac)) throw new InvalidParameterError(`${mac} is not a valid mac address`);
}

/** The per-container flags that apply to the first network. */
export interface ContainerNetworkFlags {
  aliases: string[];
  links: string[];
  ipv4: string;
  ipv6: string;
  mac: string;
  linkLocalIps: string[];
}

function applyContainerFlags(n: NetworkAttachment, c: ContainerNetworkFlags): NetworkAttachment {
  const conflict = (what: string) => new InvalidParameterError(`conflicting options: cannot specify both ${what}`);
  if (n.aliases.length && c.aliases.length) throw conflict('--network-alias and per-network alias');
  if (n.links.length && c.links.length) throw conflict('--link and per-network links');
  if (n.ipv4 && c.ipv4) throw conflict('--ip and per-network IPv4 address');
  if (n.ipv6 && c.ipv6) throw conflict('--ip6 and per-network IPv6 address');
  if (n.mac && c.mac) throw conflict('--mac-address and per-network MAC address');
  if (n.linkLocalIps.length && c.linkLocalIps.length) throw conflict('--link-local-ip and per-network link-local IP addresses');
  const out = { ...n };
  if (c.aliases.length) out.aliases = [...c.aliases];
  // On a user-defined network --link is an endpoint option (an alias); on the default bridge a legacy link (HostConfig.Links only).
  if (isUserDefinedNetwork(n.target) && c.links.length) out.links = [...c.links];
  if (c.ipv4) out.ipv4 = c.ipv4;
  if (c.ipv6) out.ipv6 = c.ipv6;
  if (c.mac) out.mac = c.mac;
  if (c.linkLocalIps.length) out.linkLocalIps = [...c.linkLocalIps];
  return out;
}

/**
 * HostConfig.NetworkMode and NetworkingConfig.EndpointsConfig from the
 * flags (docker's parseNetworkOpts). Several networks are sent as given;
 * whether the daemon takes more than one at create is the daemon's to say.
 */
export function buildNetworking(networks: NetworkAttachment[], c: ContainerNetworkFlags): { mode: string; endpoints: Record<string, Record<string, unknown>> } {
  const endpoints: Record<string, Record<string, unknown>> = {};
  checkMacAddress(c.mac);
  if (networks.length === 0) {
    endpoints['default'] = toEndpoint(applyContainerFlags(attachment('default'), c));
    return { mode: 'default', endpoints };
  }
  let userDefined = false;
  let other = false;
  networks.forEach((given, i) => {
    if (isUserDefinedNetwork(given.target)) userDefined = true;
    else other = true;
    const n = i === 0 ? applyContainerFlags(given, c) : given;
    const ep = toEndpoint(n);
    if (endpoints[n.target]) throw new InvalidParameterError(`network ${JSON.stringify(n.target)} is specified multiple times`);
    // One network and nothing asked of it: no endpoint sent (the daemon makes it anyway), as docker does.
    if (i === 0 && networks.length === 1 && isEmptyEndpoint(n)) return;
    endpoints[n.target] = ep;
  });
  if (userDefined && other) throw new InvalidParameterError('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  return { mode: networks[0]?.target ?? 'default', endpoints };
}

/** `network connect`'s EndpointConfig as docker sends it: IPAMConfig and DriverOpts always present, Aliases a list, Links null when none. */
export function connectEndpoint(o: { ipv4: string; ipv6: string; linkLocalIps: string[]; links: string[]; aliases: string[]; driverOpts: string[]; gwPriority: number }): Record<string, unknown> {
  const driverOpts: Record<string, string> = {};
  for (const opt of o.driverOpts) {
    const i = opt.indexOf('=');
    const key = (i < 0 ? '' : opt.slice(0, i)).trim();
    if (key === '') throw new InvalidParameterError('invalid key/value pair format in driver options');
    driverOpts[key] = opt.slice(i + 1).trim();
  }
  return endpointSettings({
    IPAMConfig: endpointIpam(o.ipv4, o.ipv6, o.linkLocalIps),
    Links: o.links.length ? o.links : null,
    Aliases: o.aliases,
    DriverOpts: driverOpts,
    GwPriority: o.gwPriority,
  });
}
