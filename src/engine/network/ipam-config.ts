/**
 * A network's IPAM.Config as the user gave it → the subnets it will use
 * (pure), checked in the order dockerd 20.10 checks them, with its words and
 * statuses (asked of the reference engine through POST /networks/create):
 *
 *   1. every entry's Subnet parses (Go's net.ParseCIDR), else 500
 *      "Invalid subnet X : invalid CIDR address: X" (also for a missing one);
 *      network-create.ts makes that pass over every entry, IPv6 ones of a
 *      network without IPv6 included;
 *   2. IPv4 entries, then IPv6 ones, each in turn (libnetwork's
 *      ipamAllocate): the Gateway parses, else 500 "invalid gateway address X
 *      in Ipam configuration"; the IPRange parses, else 500 `failed to parse
 *      pool request for address space "LocalDefault" pool "S" subpool "R":
 *      Invalid Address SubPool` (a range outside the subnet is taken, as the
 *      reference takes it); the subnet overlaps no other network's nor an
 *      earlier entry, else 403 "Pool overlaps with other one on this address
 *      space" (an entry with an IPRange skips that check, as dockerd's IPAM
 *      does: it is how two macvlan networks share a subnet); the gateway is
 *      taken (the user's, else the first free address of the range), else
 *      500 "failed to allocate gateway (G): …"; each auxiliary address parses
 *      (500), lies in the subnet (403) and is free (500).
 *
 * The reference checks IPv6 entries only when the network has IPv6 enabled
 * (the caller leaves them out otherwise). dockerd's CLI refuses some of these
 * earlier in its own words ("no matching subnet for gateway X"); those are
 * the CLI's, not the daemon's.
 */
import { BerthError } from '../../util/errors.ts';
import * as E from './errors.ts';
import { AddressBook } from './ipam.ts';
import type { IpamConfigEntry, SubnetRecord } from './network-record.ts';
import { containsIp, formatCidr, formatIp, overlaps, parseCidr, parseIp, parseIpPrefix, type Cidr } from './subnets.ts';

export interface IpamCheckOptions {
  /** Subnets of the other networks (their pools), for the overlap check. */
  taken?: readonly string[];
  /** The network's name, for dockerd's auxiliary-address message. */
  networkName?: string;
}

/**
 * Turns the user's IPAM.Config entries into SubnetRecords (IPv4 first, each
 * with its gateway filled in: the user's, else the first host address of
 * the range), or throws dockerd's error for the first bad entry.
 */
export function validateIpamConfig(entries: readonly IpamConfigEntry[], options: IpamCheckOptions = {}): SubnetRecord[] {
  const parsed = entries.map((e) => {
    const text = e.Subnet ?? '';
    if (!parseIpPrefix(text)) throw E.invalidSubnet(text);
    return { entry: e, cidr: parseCidr(text) };
  });
  const taken: Cidr[] = (options.taken ?? []).map((t) => parseCidr(t));
  const ordered = [...parsed.filter((p) => p.cidr.family === 4), ...parsed.filter((p) => p.cidr.family === 6)];
  const out: SubnetRecord[] = [];
  for (const { entry, cidr } of ordered) {
    if (entry.Gateway && !parseIp(entry.Gateway)) throw E.invalidGateway(entry.Gateway);
    const subnet = formatCidr(cidr);
    if (entry.IPRange && !parseIpPrefix(entry.IPRange)) throw E.invalidIpRange(entry.Subnet ?? '', entry.IPRange);
    if (!entry.IPRange && taken.some((t) => overlaps(t, cidr))) throw E.poolOverlaps();
    taken.push(cidr);
    const record: SubnetRecord = { subnet, gateway: '' };
    if (entry.IPRange) record.ipRange = formatCidr(parseCidr(entry.IPRange));
    const book = new AddressBook(record);
    record.gateway = takeGateway(book, entry.Gateway ?? '');
    const aux = Object.entries(entry.AuxiliaryAddresses ?? {});
    for (const [name, ip] of aux) {
      const addr = parseIp(ip);
      if (!addr) throw E.badAuxAddress(name, ip, options.networkName ?? '');
      if (!containsIp(cidr, addr)) throw E.auxOutsidePool(name, ip, subnet);
      try {
        book.reserve(ip, `aux:${name}`);
      } catch (err) {
        throw E.auxNotAllocated(name, ip, (err as Error).message, err);
      }
    }
    if (aux.length) record.auxAddresses = Object.fromEntries(aux.map(([k, v]) => [k, formatIp(cidr.family, parseIp(v)!.value)]));
    out.push(record);
  }
  return out;
}

/** The gateway dockerd's IPAM gives the network: the asked one if free, else the first free address of the range. */
function takeGateway(book: AddressBook, asked: string): string {
  if (!asked) {
    const ip = book.allocate('gateway');
    if (ip === undefined) throw E.gatewayNotAllocated(asked, 'No available addresses on this pool');
    return ip;
  }
  try {
    book.reserve(asked, 'gateway');
  } catch (err) {
    throw E.gatewayNotAllocated(asked, err instanceof BerthError ? err.message : String(err), err);
  }
  const a = parseIp(asked)!;
  return formatIp(a.family, a.value);
}

/**
 * IPAM.Config as inspect shows it (dockerd's buildIpamResources): the
 * user's IPv4 entries verbatim, or else the subnets the daemon chose with
 * their gateways; then the same for IPv6. Empty fields are left out, as
 * Go's omitempty does.
 */
export function inspectIpamConfig(userConfig: readonly IpamConfigEntry[], subnets: readonly SubnetRecord[]): IpamConfigEntry[] {
  const out: IpamConfigEntry[] = [];
  for (const family of [4, 6] as const) {
    const given = userConfig.filter((e) => e.Subnet && parseIpPrefix(e.Subnet)?.ip.family === family);
    if (given.length > 0) {
      for (const e of given) {
        const entry: IpamConfigEntry = { Subnet: e.Subnet };
        if (e.IPRange) entry.IPRange = e.IPRange;
        if (e.Gateway) entry.Gateway = e.Gateway;
        if (e.AuxiliaryAddresses && Object.keys(e.AuxiliaryAddresses).length > 0) entry.AuxiliaryAddresses = e.AuxiliaryAddresses;
        out.push(entry);
      }
      continue;
    }
    for (const s of subnets.filter((r) => parseCidr(r.subnet).family === family)) {
      out.push(s.gateway ? { Subnet: s.subnet, Gateway: s.gateway } : { Subnet: s.subnet });
    }
  }
  return out;
}
