/**
 * A network record as dockerd 20.10 shows it (`GET /networks/{id}`, and each
 * entry of `GET /networks`, whose `Containers` is always empty since API
 * 1.28). Field order as dockerd writes them.
 */
import type { NetworkContainer, NetworkResource } from '../../wire/network.ts';
import type { EndpointRecord, NetworkRecord } from './network-record.ts';

export interface AttachedContainer {
  containerId: string;
  name: string;
  endpoint: EndpointRecord;
}

/** An endpoint counts (inspect's Containers, rm's check, prune, dangling) while it is set up: a created container holds none. */
export function isActiveEndpoint(e: EndpointRecord): boolean {
  return e.endpointId !== '';
}

function toWireEndpoint(a: AttachedContainer): NetworkContainer {
  const e = a.endpoint;
  return {
    Name: a.name.replace(/^\//, ''),
    EndpointID: e.endpointId,
    MacAddress: e.macAddress,
    IPv4Address: e.ipAddress ? `${e.ipAddress}/${e.ipPrefixLen}` : '',
    IPv6Address: e.globalIPv6Address ? `${e.globalIPv6Address}/${e.globalIPv6PrefixLen}` : '',
  };
}

export function toWireNetwork(record: NetworkRecord, attached: readonly AttachedContainer[] = []): NetworkResource {
  const containers: Record<string, NetworkContainer> = {};
  for (const a of attached) if (isActiveEndpoint(a.endpoint)) containers[a.containerId] = toWireEndpoint(a);
  return {
    Name: record.name,
    Id: record.id,
    Created: record.created,
    Scope: 'local',
    Driver: record.driver,
    EnableIPv6: record.enableIPv6,
    IPAM: {
      Driver: record.ipam.driver,
      Options: record.ipam.options,
      Config: record.ipam.config.map((c) => ({ ...c })),
    },
    Internal: record.internal,
    Attachable: record.attachable,
    Ingress: record.ingress,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: { ...record.options },
    Labels: { ...record.labels },
  };
}
