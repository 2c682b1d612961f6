/**
 * The endpoint record a client's request starts: from
 * `NetworkingConfig.EndpointsConfig[name]` at create, and from
 * `EndpointConfig` of `POST /networks/{id}/connect` (the wire's
 * EndpointSettingsRequest).
 */
import type { EndpointSettingsRequest } from '../../wire/network.ts';
import { emptyEndpoint, type EndpointRecord } from './network-record.ts';

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
