/**
 * Engine API v1.43 network types, named and shaped as the swagger's
 * `Network`, `IPAM`, `IPAMConfig`, `NetworkContainer` and the bodies of
 * `NetworkCreate`, `NetworkConnect` and `NetworkDisconnect` (Docker's
 * PascalCase). Types only.
 */

export interface IPAMConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface IPAM {
  Driver: string;
  Options: Record<string, string> | null;
  Config: IPAMConfig[] | null;
}

/** An endpoint in a network's `Containers` (inspect). */
export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  /** "address/prefix", or "" */
  IPv4Address: string;
  IPv6Address: string;
}

/** `GET /networks/{id}` and each entry of `GET /networks`. */
export interface NetworkResource {
  Name: string;
  Id: string;
  /** RFC 3339 with nanoseconds. */
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  IPAM: IPAM;
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** The body of `POST /networks/create`, after decoding (every field may be absent or null). */
export interface NetworkCreateRequest {
  Name?: string | null;
  CheckDuplicate?: boolean | null;
  Driver?: string | null;
  Scope?: string | null;
  Internal?: boolean | null;
  Attachable?: boolean | null;
  Ingress?: boolean | null;
  ConfigOnly?: boolean | null;
  ConfigFrom?: { Network?: string | null } | null;
  IPAM?: { Driver?: string | null; Config?: (IPAMConfigRequest | null)[] | null; Options?: Record<string, string> | null } | null;
  EnableIPv6?: boolean | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface IPAMConfigRequest {
  Subnet?: string | null;
  IPRange?: string | null;
  Gateway?: string | null;
  AuxiliaryAddresses?: Record<string, string> | null;
}

export interface NetworkCreateResponse {
  Id: string;
  Warning: string;
}

export interface NetworkPruneResponse {
  NetworksDeleted: string[] | null;
}

/** An endpoint as `POST /networks/{id}/connect` asks for it (the part of the swagger's `EndpointSettings` a client sets), nulls left out. */
export interface EndpointSettingsRequest {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
}
