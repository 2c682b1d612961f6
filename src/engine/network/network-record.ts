/**
 * What berthd keeps about networks and a container's place on them.
 *
 * A network record lives in `<dataRoot>/networks/<id>.json` (written
 * atomically). The predefined `bridge`, `host` and `none` have records too,
 * so their IDs are stable across daemon restarts.
 *
 * A container's endpoints live in its own record (`ContainerRecord.networks`,
 * keyed by network name in connection order): what was asked at create or
 * connect (aliases, links, a static address or MAC) and, while the container
 * runs, what it got (address, gateway, MAC, endpoint ID). Address leases are
 * not stored anywhere else: the IPAM book is rebuilt from the records of
 * running containers, so a lease can never outlive its container.
 */

export type NetworkDriver = 'bridge' | 'macvlan' | 'ipvlan' | 'host' | 'null';

/** One subnet of a network, as it is used (the gateway filled in). */
export interface SubnetRecord {
  /** Normalised CIDR, e.g. "10.99.0.0/24" or "fd00:1::/64". */
  subnet: string;
  /** The gateway address (no prefix); for bridge networks it sits on the bridge device. */
  gateway: string;
  /** Where automatic addresses come from (a CIDR inside `subnet`), when the user narrowed it. */
  ipRange?: string;
  /** IPAM's AuxiliaryAddresses: names to addresses the allocator never hands out. */
  auxAddresses?: Record<string, string>;
}

/** Docker's IPAM.Config entry, as the user gave it (and as inspect shows it). */
export interface IpamConfigEntry {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface NetworkRecord {
  id: string;
  name: string;
  /** RFC 3339 with nanoseconds, as Docker prints it. */
  created: string;
  driver: NetworkDriver;
  /**
   * The link the driver works on: the bridge device of a bridge network
   * (`com.docker.network.bridge.name` or a generated `br-<id12>`), the parent
   * of a macvlan/ipvlan network; "" for host and null.
   */
  interfaceName: string;
  /** The effective subnets, IPv4 first. Empty for host and null. */
  subnets: SubnetRecord[];
  /** IPAM as inspect shows it. */
  ipam: { driver: string; options: Record<string, string> | null; config: IpamConfigEntry[] };
  enableIPv6: boolean;
  internal: boolean;
  attachable: boolean;
  ingress: boolean;
  options: Record<string, string>;
  labels: Record<string, string>;
  /** Containers resolve each other by name through aardvark-dns (user-defined bridge networks). */
  dns: boolean;
  /** bridge, host and none: made by the daemon, never removed or pruned. */
  predefined: boolean;
}

/** The `IPAMConfig` of an endpoint request (static addresses). */
export interface EndpointIpamConfig {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
}

/** A container's endpoint on one network. */
export interface EndpointRecord {
  networkId: string;
  // What was asked (create's NetworkingConfig, or connect):
  ipamConfig: EndpointIpamConfig | null;
  aliases: string[] | null;
  /** Legacy links on this network, "name:alias" (default bridge only). */
  links: string[] | null;
  /** A MAC the user asked for ("" for none). */
  requestedMac: string;
  driverOpts: Record<string, string> | null;
  // What the container got; "" / 0 while it does not run:
  endpointId: string;
  ipAddress: string;
  ipPrefixLen: number;
  gateway: string;
  globalIPv6Address: string;
  globalIPv6PrefixLen: number;
  ipv6Gateway: string;
  macAddress: string;
}

/** A port the container publishes, once its host port is settled. */
export interface PublishedPort {
  containerPort: number;
  proto: 'tcp' | 'udp' | 'sctp';
  /** "" means every address (0.0.0.0 and ::). */
  hostIp: string;
  hostPort: number;
}

/** A running container's network namespace and what was set up in it. */
export interface SandboxRecord {
  /** The sandbox ID (netavark's container_id, the namespace file's name). */
  id: string;
  /** The namespace file, bind-mounted under `<execRoot>/netns/`. */
  key: string;
  /** The ports it publishes, host ports chosen. */
  ports: PublishedPort[];
}

export function emptyEndpoint(networkId: string): EndpointRecord {
  return {
    networkId, ipamConfig: null, aliases: null, links: null, requestedMac: '', driverOpts: null,
    endpointId: '', ipAddress: '', ipPrefixLen: 0, gateway: '', globalIPv6Address: '', globalIPv6PrefixLen: 0, ipv6Gateway: '', macAddress: '',
  };
}
