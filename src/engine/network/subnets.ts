/**
 * Address arithmetic for IPv4 and IPv6 (pure). Addresses are bigints so one
 * code path serves both families; texts are read as Go's net.ParseIP and
 * net.ParseCIDR read them (dockerd's parser), so what dockerd refuses we
 * refuse, with its words: no IPv4 octets with leading zeros, no zones, a
 * prefix of decimal digits only.
 */
import { InvalidParameterError } from '../../util/errors.ts';

export interface Cidr {
  family: 4 | 6;
  /** The network address as a number (host bits cleared). */
  network: bigint;
  prefix: number;
}

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export function familyBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // Go 1.17+ refuses leading zeros ("010.0.0.1"), as dockerd 20.10 does.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 address may end the text (::ffff:10.0.0.1).
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = tail4 === undefined ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const readGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = readGroups(halves[0]!);
  const right = halves.length === 2 ? readGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = groupsWanted - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== groupsWanted) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  if (tail4 !== undefined) v = (v << 32n) | tail4;
  return v;
}

/** An address text as Go's net.ParseIP reads it; undefined when it is none. */
export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** 4 or 6 for a valid address text, 0 otherwise. */
export function ipFamily(text: string): 0 | 4 | 6 {
  return parseIp(text)?.family ?? 0;
}

/** The normal text of an address: dotted IPv4, RFC 5952 IPv6 (as Go prints them). */
export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = [...Array(8).keys()].map((i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equals) becomes "::".
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestAt < 0) return hex(groups);
  return `${hex(groups.slice(0, bestAt))}::${hex(groups.slice(bestAt + bestLen))}`;
}

/** The address's normal text, or undefined when the text is no address. */
export function normalizeIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && formatIp(ip.family, ip.value);
}

function hostMask(family: 4 | 6, prefix: number): bigint {
  return (1n << BigInt(familyBits(family) - prefix)) - 1n;
}

/** The address and prefix of a CIDR text without clearing host bits; undefined when invalid. */
export function parseIpPrefix(text: string): { ip: IpAddress; prefix: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  // Go's dtoi: decimal digits, leading zeros allowed ("/016").
  if (!ip || !/^\d{1,8}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > familyBits(ip.family)) return undefined;
  return { ip, prefix };
}

/** A CIDR; throws InvalidParameterError("invalid CIDR address: X") as dockerd. Host bits are cleared. */
export function parseCidr(text: string): Cidr {
  const p = parseIpPrefix(text);
  if (!p) throw new InvalidParameterError(`invalid CIDR address: ${text}`);
  return { family: p.ip.family, prefix: p.prefix, network: p.ip.value & ~hostMask(p.ip.family, p.prefix) };
}

/** "10.1.0.0/16", "fd00::/64": the normal text of a CIDR. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.family, cidr.network)}/${cidr.prefix}`;
}

/** The CIDR's highest address (IPv4's broadcast address). */
export function lastAddressOf(cidr: Cidr): bigint {
  return cidr.network | hostMask(cidr.family, cidr.prefix);
}

/** How many addresses the CIDR spans. */
export function cidrSize(cidr: Cidr): bigint {
  return hostMask(cidr.family, cidr.prefix) + 1n;
}

export function containsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && ip.value >= cidr.network && ip.value <= lastAddressOf(cidr);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const addr = parseIp(ip);
  return addr !== undefined && containsIp(parseCidr(cidr), addr);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.network <= lastAddressOf(b) && b.network <= lastAddressOf(a);
}

export function cidrsOverlap(a: string, b: string): boolean {
  return overlaps(parseCidr(a), parseCidr(b));
}

/** The n-th address of the CIDR as text (n = 1 is the first host, the default gateway). */
export function nthAddress(cidr: string, n: bigint): string {
  const c = parseCidr(cidr);
  if (n < 0n || n >= cidrSize(c)) throw new InvalidParameterError(`address ${n} is outside ${formatCidr(c)}`);
  return formatIp(c.family, c.network + n);
}
