/**
 * IP address management (pure). STUB: signatures agreed; bodies to come.
 *
 * One AddressBook per subnet of a network, rebuilt at daemon start from the
 * running containers' records; allocation is synchronous on the one event
 * loop, so two starts can never get the same address.
 */
import type { SubnetRecord } from './network-record.ts';

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
 * used up (the caller answers dockerd's "could not find an available,
 * non-overlapping IPv4 address pool among the defaults to assign to the network").
 */
export function pickSubnet(pools: readonly AddressPool[], taken: readonly string[]): string | undefined {
  void pools; void taken;
  throw new Error('todo');
}

export class AddressBook {
  constructor(readonly subnet: SubnetRecord) {}

  /** Takes a given address for `owner`; throws ConflictError / InvalidParameterError in dockerd's words when taken or outside the subnet. */
  reserve(ip: string, owner: string): void {
    void ip; void owner;
    throw new Error('todo');
  }

  /** The next free address (within ipRange if any, never the network, gateway, broadcast or an auxiliary address); undefined when full. */
  allocate(owner: string): string | undefined {
    void owner;
    throw new Error('todo');
  }

  /** Gives back every address `owner` holds. */
  release(owner: string): void {
    void owner;
    throw new Error('todo');
  }

  /** Who holds the address, if anyone. */
  holder(ip: string): string | undefined {
    void ip;
    throw new Error('todo');
  }
}
