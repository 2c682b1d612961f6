/**
 * Address arithmetic for IPv4 and IPv6 (pure). STUB: signatures agreed; the
 * helper owning the network pure logic fills the bodies in.
 */

export interface Cidr {
  family: 4 | 6;
  /** The network address as a number (host bits cleared). */
  network: bigint;
  prefix: number;
}

/** 4 or 6 for a valid address text, 0 otherwise. */
export function ipFamily(text: string): 0 | 4 | 6 {
  void text;
  throw new Error('todo');
}

/** A CIDR; throws InvalidParameterError("invalid CIDR address: X") as dockerd. Host bits are cleared. */
export function parseCidr(text: string): Cidr {
  void text;
  throw new Error('todo');
}

/** "10.1.0.0/16", "fd00::/64": the normal text of a CIDR. */
export function formatCidr(cidr: Cidr): string {
  void cidr;
  throw new Error('todo');
}

export function cidrContains(cidr: string, ip: string): boolean {
  void cidr; void ip;
  throw new Error('todo');
}

export function cidrsOverlap(a: string, b: string): boolean {
  void a; void b;
  throw new Error('todo');
}

/** The n-th address of the CIDR as text (n = 1 is the first host, the default gateway). */
export function nthAddress(cidr: string, n: bigint): string {
  void cidr; void n;
  throw new Error('todo');
}
