/**
 * An endpoint as clients ask for it: `NetworkingConfig.EndpointsConfig[name]`
 * at create, and `EndpointConfig` of `POST /networks/{id}/connect`.
 */
import { emptyEndpoint, type EndpointIpamConfig, type EndpointRecord } from './network-record.ts';

export interface EndpointSettingsRequest {
  IPAMConfig?: EndpointIpamConfig | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
}

/** The asked-for part of an endpoint record. */
export function requestedEndpoint(e: EndpointSettingsRequest | null | undefined): EndpointRecord {
  const ipam = e?.IPAMConfig;
  const hasIpam = Boolean(ipam && (ipam.IPv4Address || ipam.IPv6Address || ipam.LinkLocalIPs?.length));
  return {
    ...emptyEndpoint(''),
    ipamConfig: hasIpam ? { ...ipam } : null,
    aliases: e?.Aliases?.length ? [...e.Aliases] : null,
    links: e?.Links?.length ? [...e.Links] : null,
    requestedMac: e?.MacAddress ?? '',
    driverOpts: e?.DriverOpts ?? null,
  };
}
