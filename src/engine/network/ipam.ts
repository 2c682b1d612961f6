/**
 * IP address management (pure).
 *
 * One AddressBook per subnet of a network, rebuilt at daemon start from the
 * running containers' records; allocation is synchronous on the one event
 * loop, so two starts can never get the same address.
 *
 * The book behaves as dockerd's bitmap allocator (libnetwork ipam + bitseq)
 * without holding a bitmap: an address is an ordinal (its offset in the
 * subnet); the network address (ordinal 0) and, on IPv4, the broadcast
 * address are never handed out. Automatic allocation is serial by default
 * (bitseq's serial mode): it starts after the last address handed out and
 * wraps to the start of the range, so a released address is not reused at
 * once (its old container's teardown may still be running). dockerd 20.10
 * uses that mode only for swarm; its local networks hand out the lowest
 * free address (the reference engine gives a new container the .2 that a
 * removed one had): `{ serial: false }` does that. Only taken ordinals are
 * kept (a map) and the search steps over them, so an IPv6 /64 costs no more
 * than an IPv4 /24.
 */
import { ForbiddenError, InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { SubnetRecord } from './network-record.ts';
import { cidrSize, formatCidr, formatIp, overlaps, parseCidr, parseIp, parseIpPrefix, type Cidr } from './subnets.ts';

/** A `default-address-pools` entry: a base CIDR cut into subnets of `size` bits. */
export interface AddressPool {
  base: string;
  size: number;
}

/** dockerd's defaults: 172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16 cut into /20s. */
export const DEFAULT_ADDRESS_POOLS: readonly AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/**
 * The first subnet of the pools that overlaps none of `taken` (other
 * networks' subnets and the host's routes); undefined when the pools are
 * used up (the caller answers dockerd's 404, errors.ts's noPool).
 * Candidates that overlap something are stepped over in one jump past it,
 * so huge IPv6 pools cost no more than their number of taken subnets.
 */
export function pickSubnet(pools: readonly AddressPool[], taken: readonly string[]): string | undefined {
  const used = taken.map((t) => parseCidr(t));
  for (const pool of pools) {
    const base = parseCidr(pool.base);
    if (pool.size < base.prefix || pool.size > (base.family === 4 ? 32 : 128)) continue;
    const block = 1n << BigInt((base.family === 4 ? 32 : 128) - pool.size);
    const end = base.network + cidrSize(base);
    let at = base.network;
    while (at < end) {
      const candidate: Cidr = { family: base.family, network: at, prefix: pool.size };
      const hits = used.filter((u) => overlaps(u, candidate));
      if (hits.length === 0) return formatCidr(candidate);
      const past = hits.reduce((m, u) => { const e = u.network + cidrSize(u); return e > m ? e : m; }, at + block);
      at = ((past + block - 1n) / block) * block;
    }
  }
  return undefined;
}

/** dockerd's words for an address the book cannot take (ipamapi's errors). */
export const IPAM_ERRORS = {
  outOfRange: 'Requested address is out of range',
  inUse: 'Address already in use',
  noneLeft: 'No available addresses on this pool',
  /** bitseq's, for an IPv6 address past its 2^64-1 ordinals (the last of a /64). */
  notInSequence: 'bit does not belong to the sequence',
} as const;

/** A static address in none of the network's subnets (libnetwork's endpoint check; the reference answers 500 at start). */
export function notInNetworkSubnets(ip: string): SystemError {
  return new SystemError(`Invalid address ${ip}: It does not belong to any of this network's subnets`);
}

/** Every subnet of the family is full (libnetwork's endpoint error, 500). */
export function noAvailableAddresses(family: 4 | 6, networkName: string, networkId: string): SystemError {
  return new SystemError(`no available IPv${family} addresses on this network's address pools: ${networkName} (${networkId})`);
}

export class AddressBook {
  readonly cidr: Cidr;
  /** Ordinals never handed out: network, broadcast, gateway, auxiliary addresses. */
  private readonly reserved = new Set<bigint>();
  private readonly owners = new Map<bigint, string>();
  private readonly byOwner = new Map<string, Set<bigint>>();
  /** How many ordinals exist: dockerd caps an IPv6 subnet at 2^64-1 (its bitmap's limit). */
  private readonly size: bigint;
  /** Automatic allocation stays within [rangeStart, rangeEnd]. */
  private readonly rangeStart: bigint;
  private readonly rangeEnd: bigint;
  /** The ordinal after the last one handed out automatically. */
  private cursor = 0n;

  private readonly serial: boolean;

  constructor(readonly subnet: SubnetRecord, options: { serial?: boolean } = {}) {
    this.serial = options.serial ?? true;
    this.cidr = parseCidr(subnet.subnet);
    const full = cidrSize(this.cidr);
    this.size = this.cidr.family === 6 && full > (1n << 64n) - 1n ? (1n << 64n) - 1n : full;
    this.reserved.add(0n);
    if (this.cidr.family === 4) this.reserved.add(this.size - 1n);
    [this.rangeStart, this.rangeEnd] = this.rangeOf(subnet.ipRange);
    for (const ip of [subnet.gateway, ...Object.values(subnet.auxAddresses ?? {})]) {
      const o = ip ? this.ordinalOf(ip) : undefined;
      if (o !== undefined) this.reserved.add(o);
    }
  }

  /**
   * The ordinals of an IPRange, as dockerd computes them: the host part of
   * its first and last address relative to the subnet's mask (a range that
   * is wider than the subnet, or outside it, is thereby folded into it).
   */
  private rangeOf(ipRange: string | undefined): [bigint, bigint] {
    if (!ipRange) return [0n, this.size - 1n];
    const r = parseCidr(ipRange);
    const host = cidrSize(this.cidr) - 1n;
    const start = r.network & host;
    const end = (r.network + cidrSize(r) - 1n) & host;
    return [start, end < this.size ? end : this.size - 1n];
  }

  /** The address's ordinal in the subnet, undefined when outside it (or no address). */
  private ordinalOf(ip: string): bigint | undefined {
    const a = parseIp(ip);
    if (!a || a.family !== this.cidr.family) return undefined;
    const o = a.value - this.cidr.network;
    return o >= 0n && o < cidrSize(this.cidr) ? o : undefined;
  }

  private take(o: bigint, owner: string): string {
    this.owners.set(o, owner);
    let set = this.byOwner.get(owner);
    if (!set) this.byOwner.set(owner, (set = new Set()));
    set.add(o);
    return formatIp(this.cidr.family, this.cidr.network + o);
  }

  private isFree(o: bigint): boolean {
    return !this.reserved.has(o) && !this.owners.has(o);
  }

  /** Takes a given address for `owner`; throws ForbiddenError("Address already in use") / InvalidParameterError("Requested address is out of range") as dockerd's IPAM. */
  reserve(ip: string, owner: string): void {
    const o = this.ordinalOf(ip);
    if (o === undefined) throw new InvalidParameterError(IPAM_ERRORS.outOfRange);
    if (o >= this.size) throw new SystemError(IPAM_ERRORS.notInSequence);
    if (this.owners.get(o) === owner) return;
    if (!this.isFree(o)) throw new ForbiddenError(IPAM_ERRORS.inUse);
    this.take(o, owner);
  }

  /** The next free address (within ipRange if any, never the network, gateway, broadcast or an auxiliary address); undefined when full. */
  allocate(owner: string): string | undefined {
    // From the cursor to the range's end, then from the range's start: each
    // step lands on a free ordinal or on one of the (few) taken ones.
    const scan = (from: bigint, to: bigint): bigint | undefined => {
      for (let o = from; o <= to; o++) if (this.isFree(o)) return o;
      return undefined;
    };
    const found = (this.serial && this.cursor > this.rangeStart ? scan(this.cursor, this.rangeEnd) : undefined) ?? scan(this.rangeStart, this.rangeEnd);
    if (found === undefined) return undefined;
    this.cursor = found + 1n;
    return this.take(found, owner);
  }

  /** Gives back every address `owner` holds. */
  release(owner: string): void {
    for (const o of this.byOwner.get(owner) ?? []) this.owners.delete(o);
    this.byOwner.delete(owner);
  }

  /** Who holds the address, if anyone. */
  holder(ip: string): string | undefined {
    const o = this.ordinalOf(ip);
    return o === undefined ? undefined : this.owners.get(o);
  }
}

/**
 * The checks dockerd makes when it takes the pools in (ipamutils.splitNetworks),
 * in its words; the bases normalised. daemon.json's and the flags' pools
 * (network-defaults.ts) come through here.
 */
export function checkAddressPools(pools: readonly AddressPool[]): AddressPool[] {
  return pools.map((p) => {
    const at = parseIpPrefix(p.base);
    if (!at) throw new InvalidParameterError(`invalid base pool "${p.base}": invalid CIDR address: ${p.base}`);
    if (!Number.isInteger(p.size) || p.size <= 0 || p.size < at.prefix || p.size > (at.ip.family === 4 ? 32 : 128)) throw new InvalidParameterError(`invalid pools size: ${p.size}`);
    return { base: formatCidr(parseCidr(p.base)), size: p.size };
  });
}
