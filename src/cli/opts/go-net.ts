/**
 * Address parsing as the docker CLI does it with Go's `net` package
 * (ParseIP, ParseCIDR, IPNet.Contains, SplitHostPort's bracket rules), so
 * that client-side checks of `network create` and `-p` accept, refuse and
 * word errors as docker's. Pure. Addresses are 16-byte arrays (IPv4 mapped
 * into ::ffff:0:0/96, as Go keeps them).
 */

export type IpBytes = number[];

function parseIPv4(s: string): IpBytes | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Go rejects leading zeros (ambiguous octal) and anything but digits.
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...out];
}

function parseIPv6(s: string): IpBytes | undefined {
  let text = s;
  let tail: number[] = [];
  // An embedded IPv4 address in the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4.slice(12);
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Go's net.ParseIP: the address, or undefined for anything else (zones and prefixes included). */
export function parseIP(s: string): IpBytes | undefined {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}

export function isIPv4(ip: IpBytes): boolean {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

export interface IPNet {
  /** The network address, 16 bytes. */
  network: IpBytes;
  /** Prefix length counted on the 16-byte form (an IPv4 /24 is 96 + 24). */
  bits: number;
}

/** Go's net.ParseCIDR; throws Go's "invalid CIDR address: X". */
export function parseCIDR(s: string): { ip: IpBytes; net: IPNet } {
  const slash = s.indexOf('/');
  const fail = () => new Error(`invalid CIDR address: ${s}`);
  if (slash < 0) throw fail();
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const ip = parseIP(addr);
  const v4 = !addr.includes(':');
  const max = v4 ? 32 : 128;
  if (!ip || !/^\d+$/.test(mask) || Number(mask) > max) throw fail();
  const bits = Number(mask) + (v4 ? 96 : 0);
  const network = ip.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { ip, net: { network, bits } };
}

/** IPNet.Contains: an IPv4 network holds only IPv4 addresses, an IPv6 one only IPv6 ones. */
export function netContains(n: IPNet, ip: IpBytes): boolean {
  const v4net = n.bits >= 96 && isIPv4(n.network);
  if (v4net !== isIPv4(ip)) return false;
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, n.bits - i * 8));
    const m = (0xff << (8 - keep)) & 0xff;
    if (((ip[i] ?? 0) & m) !== (n.network[i] ?? 0)) return false;
  }
  return true;
}

/** The host part of net.SplitHostPort(hostport): brackets stripped, Go's errors ("address X: missing ']' in address"). */
export function splitHost(hostport: string): string {
  const err = (why: string) => new Error(`address ${hostport}: ${why}`);
  const i = hostport.lastIndexOf(':');
  if (i < 0) throw err('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) throw err("missing ']' in address");
    if (end + 1 === hostport.length) throw err('missing port in address');
    if (end + 1 !== i) throw err(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) throw err('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) throw err("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) throw err("unexpected ']' in address");
  return host;
}

/** Go's net.ParseMAC: 6, 8 or 20 octets as xx:xx…, xx-xx… or xxxx.xxxx…; true when it parses. */
export function isMacAddress(s: string): boolean {
  const colon = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})*$/;
  if (colon.test(s)) {
    const sep = s[2];
    if (s.length > 2 && s.split(sep ?? ':').some((p) => p.length !== 2)) return false;
    const n = (s.length + 1) / 3;
    return n === 6 || n === 8 || n === 20;
  }
  if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})*$/.test(s)) {
    const n = ((s.length + 1) / 5) * 2;
    return n === 6 || n === 8 || n === 20;
  }
  return false;
}
