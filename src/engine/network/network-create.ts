/**
 * `POST /networks/create` as a pure plan: the request checked in dockerd
 * 20.10's order and words, and the record it makes (subnets settled,
 * gateways filled in, the bridge named). The host is passed in (its routes,
 * which links exist), so the rules are tested without one.
 */
import { NotImplementedError } from '../../util/errors.ts';
import type { IPAMConfigRequest, NetworkCreateRequest } from '../../wire/network.ts';
import * as E from './errors.ts';
import { pickSubnet, type AddressPool } from './ipam.ts';
import type { IpamConfigEntry, NetworkDriver, NetworkRecord, SubnetRecord } from './network-record.ts';
import type { StoredNetwork } from './network-store.ts';
import { cidrContains, cidrsOverlap, formatCidr, ipFamily, nthAddress, parseCidr } from './subnets.ts';

export const PREDEFINED_NAMES: readonly string[] = ['bridge', 'host', 'none'];

/**
 * Docker's own default bridge (docker0). Automatic subnets never take it, so
 * Berth and a Docker engine on the same host (started before or after) do
 * not collide.
 */
export const DOCKER_BRIDGE_SUBNET = '172.17.0.0/16';

export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';
const MTU_OPTION = 'com.docker.network.driver.mtu';
const DRIVERS = new Set<string>(['bridge', 'macvlan', 'ipvlan', 'host', 'null']);
const MACVLAN_MODES = new Set(['bridge', 'private', 'vepa', 'passthru']);
const IPVLAN_MODES = new Set(['l2', 'l3', 'l3s']);

export interface CreateContext {
  existing: readonly NetworkRecord[];
  /** The host's IPv4 routes (CIDRs, the default route left out): automatic subnets avoid them. */
  hostRoutes: readonly string[];
  pools: readonly AddressPool[];
  newId(): string;
  now(): string;
  /** Whether a network link of that name exists on the host. */
  linkExists(name: string): boolean;
}

export interface CreatePlan {
  record: StoredNetwork;
  warning: string;
}

/** Every subnet a network holds in the address space (a disabled IPv6 subnet too, as dockerd's IPAM holds it). */
export function claimedSubnets(record: NetworkRecord): string[] {
  const out = record.subnets.map((s) => s.subnet);
  for (const c of record.ipam.config) {
    if (!c.Subnet) continue;
    try {
      const cidr = formatCidr(parseCidr(c.Subnet));
      if (!out.includes(cidr)) out.push(cidr);
    } catch {
      // A subnet dockerd would have refused cannot be in a stored record; nothing to claim.
    }
  }
  return out;
}

export function planNetwork(req: NetworkCreateRequest, ctx: CreateContext): CreatePlan {
  const name = req.Name ?? '';
  if (PREDEFINED_NAMES.includes(name)) throw E.predefinedName(name);
  const driverName = req.Driver || 'bridge';
  const scope = req.Scope ?? '';
  if (req.Ingress && scope !== 'global') throw E.ingressScope();
  if (scope === 'swarm') throw E.swarmScope();
  if (scope !== '' && scope !== 'local') throw E.notSwarmManager();
  if (req.ConfigOnly || req.ConfigFrom?.Network) throw new NotImplementedError('config-only networks are not supported');
  let warning = '';
  const same = ctx.existing.find((n) => n.name === name);
  if (same) {
    if (req.CheckDuplicate) throw E.duplicateName(name);
    warning = E.duplicateNameWarning(name, same.id);
  }
  if (name === '') throw E.invalidName(name);
  if (driverName === 'overlay') throw E.notSwarmManager();
  if (!DRIVERS.has(driverName)) throw E.pluginNotFound(driverName);
  const driver = driverName as NetworkDriver;
  if (driver === 'host' || driver === 'null') throw E.onlyOneInstance(driver);
  const ipamDriver = req.IPAM?.Driver || 'default';
  if (ipamDriver !== 'default') throw E.pluginNotFound(ipamDriver);

  const id = ctx.newId();
  const enableIPv6 = req.EnableIPv6 ?? false;
  const { subnets, config } = planSubnets(name, req.IPAM?.Config ?? [], enableIPv6, driver, ctx);
  const options = { ...(req.Options ?? {}) };
  const interfaceName = checkDriverOptions(driver, options, id, subnets, ctx);
  const record: StoredNetwork = {
    id,
    name,
    created: ctx.now(),
    driver,
    interfaceName,
    subnets,
    ipam: { driver: 'default', options: req.IPAM?.Options ?? null, config },
    enableIPv6,
    internal: req.Internal ?? false,
    attachable: req.Attachable ?? false,
    ingress: false,
    options,
    labels: { ...(req.Labels ?? {}) },
    // aardvark-dns serves bridge networks; netavark has no DNS for macvlan/ipvlan.
    dns: driver === 'bridge',
    predefined: false,
  };
  if (driver === 'bridge' && options[BRIDGE_NAME_OPTION] && ctx.linkExists(interfaceName)) record.deviceExisted = true;
  return { record, warning };
}

interface SubnetPlan {
  subnets: SubnetRecord[];
  config: IpamConfigEntry[];
}

/** IPAM: the user's entries checked (v4 first, as dockerd orders them), automatic ones picked where none was given. */
function planSubnets(name: string, entries: readonly (IPAMConfigRequest | null)[], enableIPv6: boolean, driver: NetworkDriver, ctx: CreateContext): SubnetPlan {
  // A null entry is Go's zero IPAMConfig: a missing subnet.
  const given = entries.map((e) => e ?? {});
  // dockerd's order: every subnet parses, then every gateway, then each entry in turn.
  const parsed = given.map((e) => {
    const text = e.Subnet ?? '';
    try {
      return { entry: e, cidr: parseCidr(text) };
    } catch {
      throw E.invalidSubnet(text);
    }
  });
  for (const e of given) if (e.Gateway && ipFamily(e.Gateway) === 0) throw E.invalidGateway(e.Gateway);
  const taken = ctx.existing.flatMap(claimedSubnets);
  const mine: string[] = [];
  for (const { entry, cidr } of [...parsed.filter((p) => p.cidr.family === 4), ...parsed.filter((p) => p.cidr.family === 6)]) {
    const text = formatCidr(cidr);
    // An entry with an IPRange skips the check, as dockerd's IPAM does (two macvlan networks sharing a LAN's subnet).
    if (!entry.IPRange && [...taken, ...mine].some((t) => cidrsOverlap(t, text))) throw E.poolOverlaps();
    mine.push(text);
  }
  const v4 = parsed.filter((p) => p.cidr.family === 4);
  const v6 = parsed.filter((p) => p.cidr.family === 6);
  if (driver === 'bridge' && (v4.length > 1 || v6.length > 1)) throw E.multipleSubnets(driver);

  const subnets: SubnetRecord[] = [];
  const config: IpamConfigEntry[] = [];
  if (v4.length === 0) {
    const picked = pickSubnet(ctx.pools.filter((p) => ipFamily(p.base.split('/')[0]!) === 4), [...taken, ...ctx.hostRoutes, DOCKER_BRIDGE_SUBNET]);
    if (picked === undefined) throw E.noPool(4);
    const gateway = nthAddress(picked, 1n);
    subnets.push({ subnet: picked, gateway });
    config.push({ Subnet: picked, Gateway: gateway });
  }
  for (const { entry, cidr } of [...v4, ...v6]) {
    const subnet = formatCidr(cidr);
    const record = subnetRecord(entry, subnet, cidr.family, cidr.prefix, name);
    if (cidr.family === 4 || enableIPv6) subnets.push(record);
    config.push(userConfig(entry));
  }
  if (enableIPv6 && v6.length === 0) throw E.noPool(6);
  // The user's v4 subnet comes before an automatic one only if they gave one; keep v4 entries first.
  subnets.sort((a, b) => familyOf(a.subnet) - familyOf(b.subnet));
  config.sort((a, b) => familyOf(a.Subnet ?? '') - familyOf(b.Subnet ?? ''));
  return { subnets, config };
}

const familyOf = (cidr: string) => ipFamily(cidr.split('/')[0]!);

function firstHost(range: string, subnet: string): string {
  const first = nthAddress(range, 0n);
  return isNetworkAddress(subnet, first) ? nthAddress(range, 1n) : first;
}

function subnetRecord(entry: IPAMConfigRequest, subnet: string, family: 4 | 6, prefix: number, networkName: string): SubnetRecord {
  const record: SubnetRecord = { subnet, gateway: '' };
  if (entry.IPRange) {
    let range: string;
    try {
      range = formatCidr(parseCidr(entry.IPRange));
    } catch {
      throw E.invalidIpRange(entry.Subnet ?? '', entry.IPRange);
    }
    const [rangeBase, rangePrefix] = range.split('/');
    if (Number(rangePrefix) < prefix || !cidrContains(subnet, rangeBase!)) throw E.invalidIpRange(entry.Subnet ?? '', entry.IPRange);
    record.ipRange = range;
  }
  // Without one, dockerd's IPAM gives the first free address of the range (the subnet's first host without a range).
  const noHosts = family === 4 ? prefix >= 31 : prefix === 128;
  if (!entry.Gateway && noHosts) throw E.noGatewayAddress();
  const gateway = entry.Gateway || firstHost(record.ipRange ?? subnet, subnet);
  if (!cidrContains(subnet, gateway)) throw E.gatewayOutOfRange(gateway);
  const reserved = (ip: string) => isNetworkAddress(subnet, ip) || (family === 4 && prefix < 31 && isBroadcast(subnet, ip, prefix));
  if (reserved(gateway)) throw E.gatewayInUse(gateway);
  // The auxiliary addresses come after the gateway, each held once: one on the gateway (or another) is taken.
  const held = [addressValue(gateway)];
  for (const [auxName, address] of Object.entries(entry.AuxiliaryAddresses ?? {})) {
    if (ipFamily(address) === 0) throw E.badAuxAddress(auxName, address, networkName);
    if (!cidrContains(subnet, address)) throw E.auxOutsidePool(auxName, address, subnet);
    if (reserved(address) || held.includes(addressValue(address))) throw E.auxInUse(auxName, address);
    held.push(addressValue(address));
  }
  if (entry.AuxiliaryAddresses && Object.keys(entry.AuxiliaryAddresses).length > 0) record.auxAddresses = { ...entry.AuxiliaryAddresses };
  record.gateway = gateway;
  return record;
}

const addressValue = (ip: string) => parseCidr(`${ip}/${ipFamily(ip) === 4 ? 32 : 128}`).network;

function isNetworkAddress(subnet: string, ip: string): boolean {
  return parseCidr(subnet).network === addressValue(ip);
}

function isBroadcast(subnet: string, ip: string, prefix: number): boolean {
  return addressValue(nthAddress(subnet, (1n << BigInt(32 - prefix)) - 1n)) === addressValue(ip);
}

/** The entry as the user gave it, empty fields left out (Go's omitempty), for inspect. */
function userConfig(entry: IPAMConfigRequest): IpamConfigEntry {
  const out: IpamConfigEntry = {};
  if (entry.Subnet) out.Subnet = entry.Subnet;
  if (entry.IPRange) out.IPRange = entry.IPRange;
  if (entry.Gateway) out.Gateway = entry.Gateway;
  if (entry.AuxiliaryAddresses && Object.keys(entry.AuxiliaryAddresses).length > 0) out.AuxiliaryAddresses = { ...entry.AuxiliaryAddresses };
  return out;
}

/** The driver's own options checked; returns the link the network works on. */
function checkDriverOptions(driver: NetworkDriver, options: Record<string, string>, id: string, subnets: readonly SubnetRecord[], ctx: CreateContext): string {
  const mtu = options[MTU_OPTION];
  if (mtu !== undefined && !/^[+-]?\d+$/.test(mtu)) throw E.badMtu(mtu);
  if (driver === 'bridge') {
    const bridge = options[BRIDGE_NAME_OPTION] || `br-${id.slice(0, 12)}`;
    if (bridge.length > 15) throw E.badBridgeName();
    // As the bridge driver checks each of its networks: the same device, or IPv4 subnets that overlap
    // (which IPRanges can let past the IPAM's own check).
    const mine = subnets.filter((s) => familyOf(s.subnet) === 4);
    for (const other of ctx.existing.filter((n) => n.driver === 'bridge')) {
      if (other.interfaceName === bridge) throw E.sameBridgeName(id, other.id, bridge);
      const theirs = other.subnets.filter((s) => familyOf(s.subnet) === 4);
      if (mine.some((a) => theirs.some((b) => cidrsOverlap(a.subnet, b.subnet)))) throw E.bridgeOverlap(id, bridge, other.id, other.interfaceName);
    }
    return bridge;
  }
  if (driver === 'macvlan') {
    const mode = options['macvlan_mode'];
    if (mode && !MACVLAN_MODES.has(mode)) throw E.badMacvlanMode(mode);
  } else {
    const mode = options['ipvlan_mode'];
    if (mode && !IPVLAN_MODES.has(mode)) throw E.badIpvlanMode(mode);
  }
  const parent = options['parent'] ?? '';
  if (parent === '') throw E.noParent();
  if (!ctx.linkExists(parent)) {
    if (!parent.includes('.')) throw E.missingParent(parent);
    // dockerd would make the VLAN sub-interface itself; netavark cannot.
    throw new NotImplementedError(`creating the VLAN sub-interface ${parent} is not supported: create it first (ip link add link ${parent.split('.')[0]} name ${parent} type vlan id ${parent.split('.').pop()})`);
  }
  const other = ctx.existing.find((n) => n.driver === driver && n.interfaceName === parent);
  if (other) throw E.parentInUse(other.id, parent);
  return parent;
}
