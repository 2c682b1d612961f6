/**
 * Docker's NetworkSettings of a container (inspect) and the network parts of
 * a list entry, from its record: the endpoints it asked for and, while it
 * runs, what its sandbox got. The top-level IPAddress, Gateway, MacAddress
 * … are the default bridge's endpoint only, as dockerd fills them.
 */
import { emptyEndpoint, type EndpointRecord } from '../network/network-record.ts';
import { inspectPorts, summaryPorts } from '../network/ports.ts';
import { ZERO_TIME, type ContainerRecord } from './record.ts';
import { isActive } from './state-machine.ts';

/** One entry of NetworkSettings.Networks, in dockerd 20.10's field order. */
export function endpointSettings(e: EndpointRecord): Record<string, unknown> {
  return {
    IPAMConfig: e.ipamConfig,
    Links: e.links,
    Aliases: e.aliases,
    NetworkID: e.networkId,
    EndpointID: e.endpointId,
    Gateway: e.gateway,
    IPAddress: e.ipAddress,
    IPPrefixLen: e.ipPrefixLen,
    IPv6Gateway: e.ipv6Gateway,
    GlobalIPv6Address: e.globalIPv6Address,
    GlobalIPv6PrefixLen: e.globalIPv6PrefixLen,
    MacAddress: e.macAddress,
    DriverOpts: e.driverOpts,
  };
}

const EMPTY_ENDPOINT: EndpointRecord = emptyEndpoint('');

/** The container's endpoints by network name (a record made before networks were kept gets its mode's network). */
export function endpointsOf(record: ContainerRecord): Record<string, EndpointRecord> {
  if (record.networks) return record.networks;
  const mode = record.hostConfig.NetworkMode || 'default';
  if (mode.startsWith('container:')) return {};
  return { [mode === 'default' ? 'bridge' : mode]: EMPTY_ENDPOINT };
}

/**
 * What a client sees of an endpoint: the addresses only while the container
 * runs (one prepared ahead of its start may hold a sandbox already), the
 * network's ID once it has run, as dockerd shows them.
 */
function visible(record: ContainerRecord, e: EndpointRecord): EndpointRecord {
  if (isActive(record.state.status)) return e;
  const started = record.state.startedAt !== ZERO_TIME;
  return { ...EMPTY_ENDPOINT, ipamConfig: e.ipamConfig, aliases: e.aliases, links: e.links, driverOpts: e.driverOpts, networkId: started ? e.networkId : '' };
}

export function networkSettings(record: ContainerRecord): Record<string, unknown> {
  const endpoints = Object.fromEntries(Object.entries(endpointsOf(record)).map(([name, e]) => [name, visible(record, e)]));
  const networks = Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, endpointSettings(e)]));
  const running = isActive(record.state.status);
  const mode = record.hostConfig.NetworkMode || 'default';
  const bridge = endpoints['bridge'] ?? EMPTY_ENDPOINT;
  const sandbox = running ? record.sandbox : undefined;
  const sandboxKey = sandbox?.key ?? (running && mode !== 'host' ? `/proc/${record.state.pid}/ns/net` : '');
  return {
    Bridge: '', SandboxID: sandbox?.id ?? '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
    Ports: running && sandbox ? inspectPorts(record.config, sandbox.ports) : running && mode !== 'host' && mode !== 'none' && !mode.startsWith('container:') ? inspectPorts(record.config, []) : {},
    SandboxKey: sandboxKey,
    SecondaryIPAddresses: null, SecondaryIPv6Addresses: null,
    EndpointID: bridge.endpointId, Gateway: bridge.gateway, GlobalIPv6Address: bridge.globalIPv6Address, GlobalIPv6PrefixLen: bridge.globalIPv6PrefixLen,
    IPAddress: bridge.ipAddress, IPPrefixLen: bridge.ipPrefixLen, IPv6Gateway: bridge.ipv6Gateway, MacAddress: bridge.macAddress,
    Networks: networks,
  };
}

/**
 * A list entry's Ports and NetworkSettings.Networks. dockerd's list view
 * (container/view.go) copies the addresses, IDs and IPAMConfig of each
 * endpoint only: Links, Aliases and DriverOpts are null there.
 */
export function summaryNetworks(record: ContainerRecord): { ports: ReturnType<typeof summaryPorts>; networks: Record<string, unknown> } {
  const running = isActive(record.state.status);
  const networks = Object.fromEntries(
    Object.entries(endpointsOf(record)).map(([name, e]) => [name, endpointSettings({ ...visible(record, e), links: null, aliases: null, driverOpts: null })]),
  );
  return { ports: running && record.sandbox ? summaryPorts(record.config, record.sandbox.ports) : [], networks };
}
