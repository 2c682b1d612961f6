/**
 * The container's network as a resource (see container-resources.ts).
 *
 * - create: the network mode is resolved to its network, the endpoint
 *   asked for in NetworkingConfig kept in `record.networks`, and the
 *   container's /etc/hostname, hosts and resolv.conf written. As dockerd
 *   20.10, an unknown network and a bad endpoint request (`--ip` on the
 *   default bridge…) are taken here and refused at start.
 * - spec: the namespace. A container on the default bridge or a user
 *   network gets a sandbox (network/sandboxes.ts): a namespace set up by
 *   netavark with its addresses and published ports; /etc/hosts then
 *   gains its address and its links; the legacy link variables join the
 *   process's environment.
 * - start: `network connect` events; exit: `network disconnect` events,
 *   and the sandbox released (torn down in the background); remove: the
 *   same for a sandbox made ahead of a start that never came.
 *
 * Without `networking` (unit tests over the fake runtime) a container on a
 * bridge gets a namespace of its own with loopback only.
 */
import { writeFileSync } from 'node:fs';
import type { HostConfig } from '../../wire/container-config.ts';
import type { NetworkNamespace } from '../../drivers/runtime/spec/generate.ts';
import { ConflictError, InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';
import { hostnameFile, hostsFile, resolvConfFile } from './etc-files.ts';
import { readSmallFile } from './container-layout.ts';
import type { ContainerResource, SpecContribution } from './container-resources.ts';
import type { ContainerPaths, ContainerRecord } from './record.ts';
import { emptyEndpoint, type EndpointRecord, type NetworkRecord, type PublishedPort } from '../network/network-record.ts';
import { isActive } from './state-machine.ts';
import type { NetworkService } from '../network/network-service.ts';
import type { EndpointRequest, Sandboxes } from '../network/sandboxes.ts';
import { portRequests, validatePortBindings } from '../network/ports.ts';
import { cidrContains } from '../network/subnets.ts';
import { notInNetworkSubnets } from '../network/ipam.ts';
import { linkEnv, linkHostsEntries, parseLink, type LinkTarget } from '../network/links.ts';

/** The network namespace a container gets, from HostConfig.NetworkMode. */
export type NetworkChoice = { kind: 'private' } | { kind: 'host' } | { kind: 'none' } | { kind: 'container'; ref: string };

export function networkChoice(hostConfig: Pick<HostConfig, 'NetworkMode'>): NetworkChoice {
  const mode = hostConfig.NetworkMode ?? 'default';
  if (mode === 'host') return { kind: 'host' };
  if (mode === 'none') return { kind: 'none' };
  if (mode.startsWith('container:')) return { kind: 'container', ref: mode.slice('container:'.length) };
  // default, bridge and user networks: a namespace of its own, attached by a sandbox.
  return { kind: 'private' };
}

/** Whether the container joins another's network namespace (it can only be set up once that one runs). */
export function joinsOtherNetwork(hostConfig: Pick<HostConfig, 'NetworkMode'>): boolean {
  return networkChoice(hostConfig).kind === 'container';
}

/** The daemon's networking, when it has one. */
export interface Networking {
  networks: NetworkService;
  sandboxes: Sandboxes;
  /** dockerd's host-gateway-ip (default: the default bridge's gateway). */
  hostGatewayIp?: string;
  /** daemon.json dns / dns-search / dns-opts. */
  dns?: { servers: string[]; search: string[]; options: string[] };
}

export interface NetworkResourceOptions {
  paths(id: string): ContainerPaths;
  /** Another container by name or ID (throws dockerd's 404 when there is none). */
  resolveContainer(ref: string): ContainerRecord;
  networking?: Networking;
}

export class NetworkResource implements ContainerResource {
  readonly name = 'network';
  /** Containers whose `network connect` events were sent (at their start). */
  private readonly announced = new Set<string>();
  /** Sandboxes released and still being torn down, by container ID. */
  private readonly releasing = new Map<string, string>();

  constructor(private readonly o: NetworkResourceOptions) {}

  /** The network a private-namespace container is on (the default bridge for `default`). */
  private networkOf(record: ContainerRecord): NetworkRecord | undefined {
    const n = this.o.networking?.networks;
    if (!n || networkChoice(record.hostConfig).kind !== 'private') return undefined;
    const mode = record.hostConfig.NetworkMode || 'default';
    return mode === 'default' ? n.defaultBridge() : n.resolve(mode);
  }

  /**
   * The endpoint asked for at create, checked as dockerd checks it, and the
   * container's /etc/hostname, hosts and resolv.conf. Like the other small
   * files of the start path, these are written with synchronous calls: each
   * takes microseconds. A host-network container takes the host's files and hostname.
   */
  create(record: ContainerRecord): void {
    validatePortBindings(record.hostConfig.PortBindings);
    let network: NetworkRecord | undefined;
    try {
      network = this.networkOf(record);
    } catch (err) {
      // dockerd takes an unknown network at create and refuses it at start (404 there).
      if (!(err instanceof NotFoundError)) throw err;
      const mode = record.hostConfig.NetworkMode!;
      record.networks = { [mode]: { ...emptyEndpoint(''), ...Object.values(record.networks ?? {})[0] } };
    }
    if (network) record.networks = { [network.name]: this.requestedEndpoint(record, network) };
    else if (this.o.networking && ['host', 'none'].includes(networkChoice(record.hostConfig).kind)) {
      const predefined = this.o.networking.networks.resolve(record.hostConfig.NetworkMode!);
      record.networks = { [predefined.name]: emptyEndpoint(predefined.id) };
    }
    this.writeEtcFiles(record, network);
  }

  private requestedEndpoint(record: ContainerRecord, network: NetworkRecord): EndpointRecord {
    const asked = Object.entries(record.networks ?? {}).find(([key]) => key === network.name || key === network.id || key === record.hostConfig.NetworkMode)?.[1];
    const endpoint: EndpointRecord = { ...emptyEndpoint(''), ...asked, networkId: '' };
    endpoint.requestedMac = record.config.MacAddress || asked?.requestedMac || '';
    return endpoint;
  }

  private writeEtcFiles(record: ContainerRecord, network: NetworkRecord | undefined): void {
    const p = this.o.paths(record.id);
    const host = networkChoice(record.hostConfig).kind === 'host';
    const h = record.hostConfig;
    const hostResolv = readSmallFile('/etc/resolv.conf') ?? '';
    const hostname = host ? (readSmallFile('/etc/hostname') ?? 'localhost').trim() : record.config.Hostname!;
    if (host) record.config.Hostname = hostname;
    writeFileSync(p.hostname, hostnameFile(hostname));
    writeFileSync(p.hosts, host ? (readSmallFile('/etc/hosts') ?? '') : hostsFile({ hostname, domainname: record.config.Domainname, extraHosts: this.extraHosts(record) }));
    const dns = this.o.networking?.dns;
    const overrides = { dns: h.Dns?.length ? h.Dns : (dns?.servers ?? []), search: h.DnsSearch?.length ? h.DnsSearch : (dns?.search ?? []), options: h.DnsOptions?.length ? h.DnsOptions : (dns?.options ?? []) };
    // On a network with name resolution the container asks aardvark-dns on the gateway, which forwards the rest upstream.
    if (network?.dns) overrides.dns = network.subnets.filter((s) => s.gateway).map((s) => s.gateway);
    writeFileSync(p.resolvConf, host ? hostResolv : resolvConfFile(hostResolv, overrides));
  }

  /** The namespace for the spec; the mode is checked here, at start, as dockerd checks it. */
  async spec(record: ContainerRecord): Promise<SpecContribution> {
    const mode = record.hostConfig.NetworkMode || 'default';
    const choice = networkChoice(record.hostConfig);
    if (!this.o.networking && !['default', 'bridge', 'host', 'none'].includes(mode) && choice.kind !== 'container') throw new NotFoundError(`network ${mode} not found`);
    if (choice.kind === 'container') {
      const other = this.o.resolveContainer(choice.ref);
      if (other.state.status !== 'running') throw new ConflictError(`cannot join network of a non running container: ${other.id}`);
      // dockerd (initializeNetworkingPaths): the joined container's hostname, /etc/hosts and /etc/resolv.conf, so its
      // --add-host entries and its networks' name resolution (docker-compose's `network_mode: service:x`) hold here too.
      record.config.Hostname = other.config.Hostname;
      record.config.Domainname = other.config.Domainname ?? '';
      const op = this.o.paths(other.id);
      return { network: { kind: 'path', path: `/proc/${other.state.pid}/ns/net` }, etcFiles: { hostname: op.hostname, hosts: op.hosts, resolvConf: op.resolvConf } };
    }
    if (choice.kind !== 'private' || !this.o.networking || !record.networks || Object.keys(record.networks).length === 0) return { network: choice };
    const key = await this.attach(record);
    return { network: { kind: 'path', path: key, own: true }, env: this.linkEnvironment(record) };
  }

  /** Give the container a sandbox with its networks and ports (once: a prepared container keeps the one it got). */
  private async attach(record: ContainerRecord): Promise<string> {
    if (record.sandbox) return record.sandbox.key;
    const { networks, sandboxes } = this.o.networking!;
    const previous = this.releasing.get(record.id);
    if (previous) await sandboxes.whenReleased(previous);
    const entries = Object.entries(record.networks!);
    const endpoints: EndpointRequest[] = entries.map(([name, e], i) => {
      const network = e.networkId ? networks.get(e.networkId) : networks.resolve(name);
      if (!network) throw new NotFoundError(`network ${name} not found`);
      // dockerd 20.10 takes any endpoint request at create and checks it here, at start (checked on the reference).
      checkEndpoint(network, e);
      return {
        network,
        interfaceName: `eth${i}`,
        ipv4: e.ipamConfig?.IPv4Address || undefined,
        ipv6: e.ipamConfig?.IPv6Address || undefined,
        mac: e.requestedMac || undefined,
        aliases: network.dns ? dnsNames(record, e) : [],
      };
    });
    let result;
    try {
      result = await sandboxes.setup({
        name: record.name.replace(/^\//, ''),
        endpoints,
        ports: portRequests(record.config, record.hostConfig),
        dnsServers: record.hostConfig.Dns?.length ? record.hostConfig.Dns : this.o.networking!.dns?.servers,
      });
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError) throw new SystemError(err.message, { cause: err });
      throw err;
    }
    record.sandbox = { id: result.id, key: result.key, ports: result.ports };
    entries.forEach(([name], i) => {
      const got = result.endpoints[i]!;
      // dockerd lists the names a container answers to on the network: the aliases asked for, then its short ID.
      if (endpoints[i]!.aliases.length) record.networks![name]!.aliases = endpoints[i]!.aliases;
      Object.assign(record.networks![name]!, {
        networkId: got.networkId, endpointId: got.endpointId, ipAddress: got.ipv4, ipPrefixLen: got.ipv4PrefixLen, gateway: got.gatewayV4,
        globalIPv6Address: got.ipv6, globalIPv6PrefixLen: got.ipv6PrefixLen, ipv6Gateway: got.gatewayV6, macAddress: got.mac,
      });
    });
    this.writeHosts(record);
    return result.key;
  }

  /**
   * Links on a user-defined network (the endpoint's Links: `--link target:alias`, Compose's
   * `links:`): dockerd's embedded DNS answers the alias with the target's address there. Here
   * aardvark-dns does, for the whole network (it cannot scope a name to one container).
   */
  private async linkNames(record: ContainerRecord, sandboxId: string): Promise<void> {
    const { networks, sandboxes } = this.o.networking!;
    for (const [name, e] of Object.entries(record.networks ?? {})) {
      if (!e.links?.length) continue;
      const network = e.networkId ? networks.get(e.networkId) : undefined;
      if (!network?.dns) continue;
      const records: { names: string[]; ipv4?: string; ipv6?: string }[] = [];
      for (const link of e.links) {
        let target: ContainerRecord;
        let alias: string;
        try {
          const parsed = parseLink(link);
          alias = parsed.alias;
          target = this.o.resolveContainer(parsed.name);
        } catch {
          continue;
        }
        const te = target.networks?.[name] ?? Object.values(target.networks ?? {}).find((x) => x.networkId === network.id);
        if (!te?.ipAddress && !te?.globalIPv6Address) continue;
        records.push({ names: [alias], ipv4: te.ipAddress || undefined, ipv6: te.globalIPv6Address || undefined });
      }
      // Name resolution of a link is a convenience: the container starts without it rather than not at all.
      await sandboxes.addDnsNames(sandboxId, network, records).catch(() => undefined);
    }
  }

  /** /etc/hosts with the container's own addresses and its links' (rewritten at each start: the addresses change). */
  private writeHosts(record: ContainerRecord): void {
    const first = Object.values(record.networks ?? {})[0];
    const addresses = [first?.ipAddress, first?.globalIPv6Address].filter((a): a is string => Boolean(a));
    const linkLines = linkHostsEntries(this.linkedContainers(record).map(({ alias, target }) => ({ alias, target: linkTarget(target) })));
    writeFileSync(this.o.paths(record.id).hosts, hostsFile({ hostname: record.config.Hostname!, domainname: record.config.Domainname, extraHosts: this.extraHosts(record), linkLines, addresses }));
  }

  /**
   * --add-host entries, `host-gateway` read as the default bridge's gateway
   * (or the daemon's host-gateway-ip), as dockerd does; and, beyond dockerd,
   * `host.docker.internal` naming the host in every container on a bridge
   * unless the user mapped that name (docker/for-linux#264).
   */
  private extraHosts(record: ContainerRecord): string[] {
    const gateway = this.hostGateway();
    const entries = (record.hostConfig.ExtraHosts ?? []).map((e) => {
      const i = e.lastIndexOf(':');
      return i > 0 && e.slice(i + 1) === 'host-gateway' && gateway ? `${e.slice(0, i)}:${gateway}` : e;
    });
    const mapped = entries.some((e) => e.split(':')[0] === 'host.docker.internal');
    if (gateway && !mapped && networkChoice(record.hostConfig).kind === 'private') entries.push(`host.docker.internal:${gateway}`);
    return entries;
  }

  private hostGateway(): string | undefined {
    const n = this.o.networking;
    if (!n) return undefined;
    if (n.hostGatewayIp) return n.hostGatewayIp;
    try {
      return n.networks.defaultBridge().subnets.find((s) => !s.subnet.includes(':'))?.gateway;
    } catch {
      return undefined;
    }
  }

  private linkedContainers(record: ContainerRecord): { alias: string; target: ContainerRecord }[] {
    // Legacy links (hosts lines, environment) are the default bridge's, as in dockerd; on a user network a link is a DNS name (linkNames).
    if (!record.hostConfig.Links?.length || !this.onDefaultBridge(record)) return [];
    const out: { alias: string; target: ContainerRecord }[] = [];
    for (const link of record.hostConfig.Links ?? []) {
      const { name, alias } = parseLink(link);
      let target: ContainerRecord;
      try {
        target = this.o.resolveContainer(name);
      } catch {
        continue;
      }
      if (target.state.status !== 'running') throw new InvalidParameterError(`Cannot link to a non running container: ${target.name} AS ${record.name}/${alias}`);
      out.push({ alias, target });
    }
    return out;
  }

  private onDefaultBridge(record: ContainerRecord): boolean {
    try {
      const network = this.networkOf(record);
      return network !== undefined && network.id === this.o.networking?.networks.defaultBridge()?.id;
    } catch {
      return false;
    }
  }

  private linkEnvironment(record: ContainerRecord): string[] {
    return this.linkedContainers(record).flatMap(({ alias, target }) => linkEnv(alias, linkTarget(target), record.name));
  }

  /**
   * At daemon start: the sandboxes of running containers stay (their
   * addresses and ports held again); a container that does not run loses
   * the one its record may name (a crash between its exit and the save).
   */
  async recover(records: readonly ContainerRecord[], save: (record: ContainerRecord) => Promise<void>): Promise<void> {
    if (!this.o.networking) return;
    const live: { id: string; ports: PublishedPort[] }[] = [];
    for (const record of records) {
      if (!record.sandbox) continue;
      if (isActive(record.state.status)) {
        live.push({ id: record.sandbox.id, ports: record.sandbox.ports });
        continue;
      }
      record.sandbox = undefined;
      for (const e of Object.values(record.networks ?? {})) clearRuntime(e);
      await save(record).catch(() => undefined);
    }
    await this.o.networking.sandboxes.recover(live);
  }

  /** The container is on its networks from here: dockerd's `network connect` events, one per network. */
  async start(record: ContainerRecord): Promise<void> {
    if (!record.sandbox || !this.o.networking) return;
    // At start, not when the sandbox is made: a prepared container gets its sandbox at create, before its links' targets run.
    await this.linkNames(record, record.sandbox.id);
    for (const e of Object.values(record.networks ?? {})) {
      const network = e.networkId ? this.o.networking.networks.get(e.networkId) : undefined;
      if (network) this.o.networking.networks.connected(network, record.id);
    }
    this.announced.add(record.id);
  }

  /** After a daemon restart: a running container was announced on its networks by the daemon before. */
  async readopt(record: ContainerRecord): Promise<void> {
    if (record.sandbox) this.announced.add(record.id);
  }

  /** A container removed without a start may hold a sandbox made ahead of its start (prepared-pool.ts): it goes too. */
  remove(record: ContainerRecord): Promise<void> {
    return this.exit(record);
  }

  /** The sandbox goes (in the background); the endpoints keep what was asked and lose what was got. */
  async exit(record: ContainerRecord): Promise<void> {
    const sandbox = record.sandbox;
    if (!sandbox || !this.o.networking) return;
    // The `network disconnect` events of a container that was announced on its networks.
    if (this.announced.delete(record.id)) {
      for (const e of Object.values(record.networks ?? {})) {
        const network = e.networkId ? this.o.networking.networks.get(e.networkId) : undefined;
        if (network) this.o.networking.networks.disconnected(network, record.id);
      }
    }
    record.sandbox = undefined;
    for (const e of Object.values(record.networks ?? {})) clearRuntime(e);
    this.releasing.set(record.id, sandbox.id);
    this.o.networking.sandboxes.release(sandbox.id);
    void this.o.networking.sandboxes.whenReleased(sandbox.id).then(() => {
      if (this.releasing.get(record.id) === sandbox.id) this.releasing.delete(record.id);
    });
  }
}

/** The names a container answers to on a network with name resolution: its aliases, then its short ID (appended unless asked for). */
export function dnsNames(record: ContainerRecord, e: EndpointRecord): string[] {
  return withShortId(record.id, e.aliases);
}

/** dockerd's updateNetworkConfig: the short ID appended to the aliases unless already there (checked on 20.10: ["a1","b1","<id>"]). */
export function withShortId(id: string, aliases: readonly string[] | null | undefined): string[] {
  return [...new Set([...(aliases ?? []), id.slice(0, 12)])];
}

function linkTarget(target: ContainerRecord): LinkTarget {
  const bridge = target.networks?.['bridge'] ?? Object.values(target.networks ?? {})[0];
  return {
    name: target.name, hostname: target.config.Hostname ?? target.id.slice(0, 12), ip: bridge?.ipAddress ?? '',
    ipv6: bridge?.globalIPv6Address || undefined, env: target.config.Env, exposedPorts: target.config.ExposedPorts,
  };
}

export function clearRuntime(e: EndpointRecord): void {
  Object.assign(e, { endpointId: '', ipAddress: '', ipPrefixLen: 0, gateway: '', globalIPv6Address: '', globalIPv6PrefixLen: 0, ipv6Gateway: '', macAddress: '' });
}

/**
 * An endpoint request dockerd refuses as the user's mistake even at start
 * (400, where every other start failure is a 500): its runconfig checks.
 */
export class EndpointRequestError extends InvalidParameterError {}

/** dockerd's checks of an endpoint request (at start, and at connect). */
export function checkEndpoint(network: NetworkRecord, e: EndpointRecord): void {
  const user = !network.predefined;
  const ipv4 = e.ipamConfig?.IPv4Address;
  const ipv6 = e.ipamConfig?.IPv6Address;
  if (!user && (ipv4 || ipv6)) throw new EndpointRequestError('user specified IP address is supported on user defined networks only');
  if (!user && e.aliases?.length) throw new EndpointRequestError('network-scoped alias is supported only for containers in user defined networks');
  if ((ipv4 || ipv6) && network.ipam.config.every((c) => !c.Subnet)) {
    throw new EndpointRequestError('user specified IP address is supported only when connecting to networks with user configured subnets');
  }
  for (const ip of [ipv4, ipv6]) {
    if (ip && !network.subnets.some((s) => cidrContains(s.subnet, ip))) throw notInNetworkSubnets(ip);
  }
}
