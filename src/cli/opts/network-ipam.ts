/**
 * `network create`'s --subnet/--ip-range/--gateway/--aux-address into the
 * IPAM.Config entries, paired as the docker CLI pairs them: each range,
 * gateway and auxiliary address goes to the one subnet that holds it, with
 * docker's client-side errors. Pure. Unlike docker (which walks a Go map)
 * the entries keep the order the subnets were given in.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { parseCIDR, parseIP, netContains, type IpBytes } from './go-net.ts';

export interface IpamConfigEntry {
  Subnet: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface IpamInputs {
  subnets: string[];
  ipRanges: string[];
  gateways: string[];
  /** --aux-address name=address, in the order given. */
  auxAddresses: Array<[string, string]>;
}

/** Whether `data` (an address or a CIDR) lies in `subnet`, with docker's error texts. */
function subnetMatches(subnet: string, data: string): boolean {
  let net;
  try {
    net = parseCIDR(subnet).net;
  } catch (err) {
    throw new InvalidParameterError(`invalid subnet: ${(err as Error).message}`);
  }
  let ip: IpBytes | undefined;
  if (data.includes('/')) ip = parseCIDR(data).ip;
  else ip = parseIP(data);
  return ip !== undefined && netContains(net, ip);
}

export function buildIpamConfig(o: IpamInputs): IpamConfigEntry[] {
  if (o.subnets.length < o.ipRanges.length || o.subnets.length < o.gateways.length) {
    throw new InvalidParameterError('every ip-range or gateway must have a corresponding subnet');
  }
  const entries = new Map<string, IpamConfigEntry & { AuxiliaryAddresses: Record<string, string> }>();
  for (const s of o.subnets) {
    for (const k of entries.keys()) {
      if (subnetMatches(s, k) || subnetMatches(k, s)) throw new InvalidParameterError('multiple overlapping subnet configuration is not supported');
    }
    entries.set(s, { Subnet: s, AuxiliaryAddresses: {} });
  }
  for (const r of o.ipRanges) {
    let match = false;
    for (const s of o.subnets) {
      parseCIDR(r);
      if (!subnetMatches(s, r)) continue;
      const e = entries.get(s)!;
      if (e.IPRange) throw new InvalidParameterError(`cannot configure multiple ranges (${r}, ${e.IPRange}) on the same subnet (${s})`);
      e.IPRange = r;
      match = true;
    }
    if (!match) throw new InvalidParameterError(`no matching subnet for range ${r}`);
  }
  for (const g of o.gateways) {
    let match = false;
    for (const s of o.subnets) {
      if (!subnetMatches(s, g)) continue;
      const e = entries.get(s)!;
      if (e.Gateway) throw new InvalidParameterError(`cannot configure multiple gateways (${g}, ${e.Gateway}) for the same subnet (${s})`);
      e.Gateway = g;
      match = true;
    }
    if (!match) throw new InvalidParameterError(`no matching subnet for gateway ${g}`);
  }
  for (const [key, aa] of o.auxAddresses) {
    let match = false;
    for (const s of o.subnets) {
      if (!subnetMatches(s, aa)) continue;
      entries.get(s)!.AuxiliaryAddresses[key] = aa;
      match = true;
    }
    if (!match) throw new InvalidParameterError(`no matching subnet for aux-address ${aa}`);
  }
  // AuxiliaryAddresses is omitempty on the wire: an empty map is left out.
  return [...entries.values()].map((e) => {
    const out: IpamConfigEntry = { Subnet: e.Subnet };
    if (e.IPRange) out.IPRange = e.IPRange;
    if (e.Gateway) out.Gateway = e.Gateway;
    if (Object.keys(e.AuxiliaryAddresses).length) out.AuxiliaryAddresses = e.AuxiliaryAddresses;
    return out;
  });
}
