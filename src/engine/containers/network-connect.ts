/**
 * `docker network connect|disconnect`: a container gains or loses an
 * endpoint. A running container's sandbox gets the new interface (eth1, …)
 * or loses it at once; a stopped one's record changes and its next start
 * sets it up. Also the list of a network's endpoints the network service
 * reads (inspect's Containers, rm's check, prune).
 *
 * Locks: connect takes the network service's lock (`exclusive()`), then the
 * container's; nothing takes them the other way round.
 */
import { ForbiddenError, InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { EndpointSettingsRequest } from '../../wire/network.ts';
import { requestedEndpoint } from '../network/endpoint-request.ts';
import type { EndpointRecord, NetworkRecord } from '../network/network-record.ts';
import type { ContainerEndpoints } from '../network/network-service.ts';
import type { KeyedLock } from '../../store/lock.ts';
import type { ContainerStore } from './container-store.ts';
import { checkEndpoint, networkChoice, withShortId, type Networking } from './network-resource.ts';
import type { ContainerRecord } from './record.ts';
import { isActive } from './state-machine.ts';

export interface NetworkConnectOptions {
  store: ContainerStore;
  lock: KeyedLock;
  /** The networks (which also send the `network connect|disconnect` events) and the sandboxes. */
  networking: Networking;
  /**
   * Give up the runtime container made ahead of the start (prepared-pool.ts),
   * with the sandbox it holds; called under the container's lock.
   */
  discardPrepared?: (id: string) => Promise<void>;
}

export class NetworkConnect implements ContainerEndpoints {
  constructor(private readonly o: NetworkConnectOptions) {}

  endpointsOn(networkId: string): { containerId: string; name: string; endpoint: EndpointRecord }[] {
    const out: { containerId: string; name: string; endpoint: EndpointRecord }[] = [];
    for (const record of this.o.store.all()) {
      // A sandbox made ahead of a start (prepared-pool.ts) is no endpoint yet: dockerd's created containers have none.
      if (record.state.status === 'created') continue;
      for (const e of Object.values(record.networks ?? {})) {
        if (e.networkId === networkId && e.endpointId) out.push({ containerId: record.id, name: record.name.replace(/^\//, ''), endpoint: e });
      }
    }
    return out;
  }

  /** Created containers holding a sandbox made ahead of their start on the network (given up before the network goes). */
  preparedOn(networkId: string): string[] {
    return this.o.store.all()
      .filter((r) => r.state.status === 'created' && r.sandbox && Object.values(r.networks ?? {}).some((e) => e.networkId === networkId))
      .map((r) => r.id);
  }

  /**
   * dockerd's checks and words; a running container gets the interface at
   * once. Under the network service's lock: a `network rm` either finishes
   * first (the network is then not found) or waits until the endpoint is
   * there (and refuses: active endpoints), never removes the network under
   * a connect.
   */
  async connect(networkRef: string, containerRef: string, request: EndpointSettingsRequest | undefined): Promise<void> {
    const record = this.o.store.resolve(containerRef);
    const networks = this.o.networking.networks;
    await networks.exclusive(() => this.attach(networks.resolve(networkRef), record, request));
  }

  private async attach(network: NetworkRecord, record: ContainerRecord, request: EndpointSettingsRequest | undefined): Promise<void> {
    await this.o.lock.run(record.id, async () => {
      // A created container's sandbox made ahead of its start has the old endpoints (docker-compose disconnects and connects again before it starts).
      if (!isActive(record.state.status)) await this.o.discardPrepared?.(record.id);
      const choice = networkChoice(record.hostConfig);
      if (network.driver === 'host' || choice.kind === 'host') throw new InvalidParameterError('container cannot be disconnected from host network or connected to host network');
      if (network.driver === 'null' || choice.kind === 'none') {
        throw new InvalidParameterError('container cannot be connected to multiple networks with one of the networks in private (none) mode');
      }
      if (choice.kind === 'container') throw new InvalidParameterError('container sharing network namespace with another container or host cannot be connected to any other network');
      const networks = (record.networks ??= {});
      if (networks[network.name]) throw new ForbiddenError(`endpoint with name ${record.name.replace(/^\//, '')} already exists in network ${network.name}`);
      const endpoint = requestedEndpoint(request);
      checkEndpoint(network, endpoint);
      endpoint.networkId = network.id;
      if (network.dns) endpoint.aliases = withShortId(record.id, endpoint.aliases);
      if (isActive(record.state.status) && record.sandbox) {
        const got = await this.o.networking.sandboxes.connect(record.sandbox.id, {
          name: record.name.replace(/^\//, ''),
          endpoints: [{
            network, interfaceName: '', aliases: network.dns ? endpoint.aliases ?? [] : [],
            ipv4: endpoint.ipamConfig?.IPv4Address || undefined, ipv6: endpoint.ipamConfig?.IPv6Address || undefined, mac: endpoint.requestedMac || undefined,
          }],
          ports: [],
        }).catch((err: unknown) => {
          throw err instanceof SystemError ? err : new SystemError(err instanceof Error ? err.message : String(err), { cause: err });
        });
        Object.assign(endpoint, {
          endpointId: got.endpointId, ipAddress: got.ipv4, ipPrefixLen: got.ipv4PrefixLen, gateway: got.gatewayV4,
          globalIPv6Address: got.ipv6, globalIPv6PrefixLen: got.ipv6PrefixLen, ipv6Gateway: got.gatewayV6, macAddress: got.mac,
        });
      }
      networks[network.name] = endpoint;
      await this.o.store.save(record);
      // dockerd announces a connect when the container is on the network: now if it runs, else at its start.
      if (endpoint.endpointId) this.o.networking.networks.connected(network, record.id);
    });
  }

  async disconnect(networkRef: string, containerRef: string, force: boolean): Promise<void> {
    const network = this.o.networking.networks.resolve(networkRef);
    let record: ContainerRecord;
    try {
      record = this.o.store.resolve(containerRef);
    } catch (err) {
      // dockerd's -f clears what a container that is gone left on the network.
      if (force) return;
      throw err;
    }
    await this.o.lock.run(record.id, async () => {
      if (network.driver === 'host' || networkChoice(record.hostConfig).kind === 'host') {
        throw new InvalidParameterError('container cannot be disconnected from host network or connected to host network');
      }
      if (!isActive(record.state.status)) await this.o.discardPrepared?.(record.id);
      const networks = record.networks ?? {};
      const endpoint = networks[network.name];
      if (!endpoint) throw new SystemError(`container ${record.id} is not connected to network ${network.name}`);
      if (isActive(record.state.status) && record.sandbox && endpoint.endpointId) {
        await this.o.networking.sandboxes.disconnect(record.sandbox.id, network.id);
      }
      delete networks[network.name];
      await this.o.store.save(record);
      this.o.networking.networks.disconnected(network, record.id);
    });
  }
}
