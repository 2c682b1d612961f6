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
import { inspectIpamConfig, validateIpamConfig } from './ipam-config.ts';
import type { IpamConfigEntry, NetworkDriver, NetworkRecord, SubnetRecord } from './network-record.ts';
import type { StoredNetwork } from './network-store.ts';
import { cidrsOverlap, ipFamily, nthAddress, parseIpPrefix } from './subnets.ts';

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

/**
 * Every subnet a network holds in the address space: the subnets it uses.
 * An IPv6 subnet of a network without IPv6 is not among them: the
 * reference engine gives another network that same subnet.
 */
export function claimedSubnets(record: NetworkRecord): string[] {
  return record.subnets.map((s) => s.subnet);
}

export function planNetwork(req: NetworkCreateRequest, ctx: CreateContext): CreatePlan {
  const name = req.Name ?? '';
  // `default` is the network mode that stands for the default bridge: dockerd refuses it as a name too.
  if (PREDEFINED_NAMES.includes(name) || name === 'default') throw E.predefinedName(name);
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

/**
 * IPAM as dockerd's: every subnet parsed first (IPv6 ones of a network
 * without IPv6 too), then the IPv4 entries or an automatic subnet from the
 * pools, then the IPv6 entries when IPv6 is on (ipam-config.ts checks the
 * entries); the bridge driver's one-subnet rule after the IPAM's.
 */
function planSubnets(name: string, entries: readonly (IPAMConfigRequest | null)[], enableIPv6: boolean, driver: NetworkDriver, ctx: CreateContext): SubnetPlan {
  const given = entries.map(entryOf);
  for (const e of given) if (!parseIpPrefix(e.Subnet ?? '')) throw E.invalidSubnet(e.Subnet ?? '');
  const v4 = given.filter((e) => familyOf(e.Subnet!) === 4);
  const v6 = given.filter((e) => familyOf(e.Subnet!) === 6);
  const taken = ctx.existing.flatMap(claimedSubnets);
  const subnets: SubnetRecord[] = [];
  if (v4.length === 0) {
    const picked = pickSubnet(ctx.pools.filter((p) => familyOf(p.base) === 4), [...taken, ...ctx.hostRoutes, DOCKER_BRIDGE_SUBNET]);
    if (picked === undefined) throw E.noPool(4);
    subnets.push({ subnet: picked, gateway: nthAddress(picked, 1n) });
  }
  subnets.push(...validateIpamConfig([...v4, ...(enableIPv6 ? v6 : [])], { taken, networkName: name }));
  if (enableIPv6 && v6.length === 0) throw E.noPool(6);
  if (driver === 'bridge' && (v4.length > 1 || (enableIPv6 && v6.length > 1))) throw E.multipleSubnets(driver);
  return { subnets, config: inspectIpamConfig(given, subnets) };
}

const familyOf = (cidr: string) => ipFamily(cidr.split('/')[0]!);

/** An entry with Go's nulls and empty strings left out (a null entry is Go's zero IPAMConfig: a missing subnet). */
function entryOf(e: IPAMConfigRequest | null): IpamConfigEntry {
  const out: IpamConfigEntry = {};
  if (e?.Subnet) out.Subnet = e.Subnet;
  if (e?.IPRange) out.IPRange = e.IPRange;
  if (e?.Gateway) out.Gateway = e.Gateway;
  if (e?.AuxiliaryAddresses) out.AuxiliaryAddresses = e.AuxiliaryAddresses;
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
