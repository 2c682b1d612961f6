/**
 * The networks: the predefined `bridge`, `host` and `none`, and the ones
 * users create. Owns their records (network-store.ts) and the invariants
 * between them (unique bridge names and parents, non-overlapping subnets);
 * knows containers only through `ContainerEndpoints`, which the container
 * side provides.
 *
 * Lifecycle: `load()` at daemon start loads the records and makes (or
 * updates, after `-b`/`--bip` changed) the predefined ones. create, remove
 * and prune run one at a time (one lock), so two creates can never take the
 * same name-with-CheckDuplicate, bridge name or automatic subnet. Events:
 * `network create|destroy|prune` here; `connect|disconnect` through
 * `connected`/`disconnected`, which the container side calls.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { linkExists } from '../../drivers/network/host-network.ts';
import { KeyedLock } from '../../store/lock.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';
import { log } from '../../util/log.ts';
import { failpoint } from '../../util/failpoint.ts';
import type { NetworkCreateRequest, NetworkCreateResponse, NetworkPruneResponse, NetworkResource } from '../../wire/network.ts';
import type { EventsService } from '../events/events-service.ts';
import * as E from './errors.ts';
import { planNetwork } from './network-create.ts';
import type { NetworkDefaults } from './network-defaults.ts';
import { createNetworkDevices, enableIpForward, hostRoutes, removeNetworkDevices } from './network-devices.ts';
import { filterNetworks, networkPruneMatcher, type NetworkFilters } from './network-filters.ts';
import type { EndpointRecord, NetworkRecord } from './network-record.ts';
import { NetworkStore, type StoredNetwork } from './network-store.ts';
import { planPredefined } from './predefined.ts';
import { isActiveEndpoint, toWireNetwork } from './to-wire.ts';

/** What the network service needs to know of containers (the container side provides it). */
export interface ContainerEndpoints {
  /** Containers with an endpoint on the network: inspect's Containers, rm's active-endpoint check, prune. */
  endpointsOn(networkId: string): { containerId: string; name: string; endpoint: EndpointRecord }[];
  /**
   * Settles once the network's endpoints that were released but not yet torn
   * down (teardown runs after the reply) are gone, so `rm` finds the bridge
   * idle. Optional: without it, a bridge with a port left is not removed.
   */
  settle?(networkId: string): Promise<void>;
}

/** The host as the network service touches it; replaceable for tests and by the container side. */
export interface NetworkHost {
  linkExists(name: string): boolean;
  /** IPv4 routes as CIDRs, the default route and `ignoreDevice`'s routes left out. */
  hostRoutes(ignoreDevice?: string): string[];
  enableIpForward(): void;
  /** Makes a new network's devices (a bridge network's bridge, unless the administrator's). */
  createNetworkDevices(record: StoredNetwork): Promise<void>;
  /** Removes a removed network's devices (its bridge, when ours and idle). */
  removeNetworkDevices(record: StoredNetwork): Promise<void>;
}

export const REAL_HOST: NetworkHost = { linkExists, hostRoutes, enableIpForward, createNetworkDevices, removeNetworkDevices };

export interface NetworkServiceOptions {
  dataRoot: string;
  defaults: NetworkDefaults;
  events: EventsService;
  host?: NetworkHost;
  newId?: () => string;
  now?: () => string;
}

const NO_CONTAINERS: ContainerEndpoints = { endpointsOn: () => [] };

type Lookup = { found: StoredNetwork } | { ambiguous: number; basis: 'name' | 'ID prefix' } | { missing: true };

export class NetworkService {
  readonly store: NetworkStore;
  readonly defaults: NetworkDefaults;
  private readonly host: NetworkHost;
  private readonly lock = new KeyedLock();
  private readonly newId: () => string;
  private readonly now: () => string;
  private containers: ContainerEndpoints = NO_CONTAINERS;

  constructor(private readonly o: NetworkServiceOptions) {
    this.store = new NetworkStore(path.join(o.dataRoot, 'networks'));
    this.defaults = o.defaults;
    this.host = o.host ?? REAL_HOST;
    this.newId = o.newId ?? (() => randomBytes(32).toString('hex'));
    this.now = o.now ?? nowRfc3339Nano;
  }

  /** The container side, once it exists (the two services are built in turn). */
  useContainers(containers: ContainerEndpoints): void {
    this.containers = containers;
  }

  /** Loads the records and makes sure the predefined networks are there and match the settings. */
  async load(): Promise<void> {
    await this.store.load();
    if (this.defaults.ipForward) this.host.enableIpForward();
    const plan = planPredefined({
      existing: this.store.all(),
      defaults: this.defaults,
      // Routes through our own bridge are the default network's (a restart finds its bridge up).
      hostRoutes: this.host.hostRoutes(this.defaults.bridgeName),
      newId: this.newId,
      now: this.now,
    });
    for (const id of plan.remove) await this.store.delete(id);
    for (const record of plan.save) await this.store.save(record);
  }

  /** By name, full ID or unique ID prefix; NotFoundError "network X not found" otherwise. */
  resolve(ref: string): NetworkRecord {
    const hit = this.lookup(ref);
    if ('found' in hit) return hit.found;
    if ('ambiguous' in hit) throw E.ambiguousNetwork(ref, hit.ambiguous, hit.basis);
    throw E.noSuchNetwork(ref);
  }

  /** By full ID; undefined when there is none. */
  get(id: string): NetworkRecord | undefined {
    return this.store.get(id);
  }

  /** The predefined `bridge` network (the default of containers without --network). */
  defaultBridge(): NetworkRecord {
    const bridge = this.store.all().find((n) => n.predefined && n.name === 'bridge');
    if (!bridge) throw E.noSuchNetwork('bridge');
    return bridge;
  }

  /** Every network (creation order), or those the filters select (list's rules). */
  list(filters?: NetworkFilters): NetworkRecord[] {
    const all = this.store.all();
    return filters ? filterNetworks(this.withUse(all), filters).map((n) => n.record) : all;
  }

  /** `GET /networks`: as dockerd lists them, `Containers` left empty (API 1.28 and later). */
  listWire(filters: NetworkFilters): NetworkResource[] {
    return this.list(filters).map((n) => toWireNetwork(n));
  }

  /** `GET /networks/{id}`; a `scope` other than local finds nothing (there is no swarm). `verbose` adds nothing to a local network. */
  inspect(ref: string, options: { scope?: string; verbose?: boolean } = {}): NetworkResource {
    const hit = this.lookup(ref);
    if ('ambiguous' in hit) throw E.ambiguousNetworkInspect(ref, hit.ambiguous, hit.basis);
    if ('missing' in hit || (options.scope && options.scope !== 'local')) throw E.noSuchNetwork(ref);
    return toWireNetwork(hit.found, this.containers.endpointsOn(hit.found.id));
  }

  async create(request: NetworkCreateRequest): Promise<NetworkCreateResponse> {
    return this.lock.run('networks', async () => {
      const { record, warning } = planNetwork(request, {
        existing: this.store.all(),
        hostRoutes: this.host.hostRoutes(),
        pools: this.defaults.addressPools,
        newId: this.newId,
        now: this.now,
        linkExists: (name) => this.host.linkExists(name),
      });
      // The record first: a crash before the device leaves a network netavark completes at its first container.
      await this.store.save(record);
      failpoint('network-recorded');
      try {
        await this.host.createNetworkDevices(record);
      } catch (err) {
        await this.store.delete(record.id);
        throw err;
      }
      this.publish('create', record);
      return { Id: record.id, Warning: warning };
    });
  }

  async remove(ref: string): Promise<void> {
    await this.lock.run('networks', async () => {
      const record = this.resolve(ref) as StoredNetwork;
      if (record.predefined) throw E.predefinedNotRemovable(record.name);
      if (this.inUse(record)) throw E.activeEndpoints(record.name, record.id);
      await this.destroy(record);
    });
  }

  /** Removes unused user networks; answers their names, as dockerd does. */
  async prune(filters: NetworkFilters): Promise<NetworkPruneResponse> {
    return this.lock.run('networks', async () => {
      const deleted: string[] = [];
      const prunable = networkPruneMatcher(filters, Date.now());
      for (const { record } of this.withUse(this.store.all()).filter(prunable)) {
        try {
          await this.destroy(record);
          deleted.push(record.name);
        } catch (err) {
          log.warn('prune could not remove a network', { network: record.name, err: (err as Error).message });
        }
      }
      this.o.events.publish('network', 'prune', '', { reclaimed: '0' });
      return { NetworksDeleted: deleted.length > 0 ? deleted : null };
    });
  }

  /**
   * Runs `fn` while no network is created, removed or pruned: the container
   * side's connect can check that a network exists and attach to it without
   * a concurrent `rm` slipping in between. `fn` must not call create,
   * remove or prune (they wait for the same lock).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run('networks', fn);
  }

  /** The `network connect` event (the container side calls it once the endpoint is set up, or recorded for a stopped container). */
  connected(network: NetworkRecord, containerId: string): void {
    this.publish('connect', network, containerId);
  }

  /** The `network disconnect` event (a container left the network: disconnect, stop, removal). */
  disconnected(network: NetworkRecord, containerId: string): void {
    this.publish('disconnect', network, containerId);
  }

  /** Devices first, record last: a crash in between leaves a whole record, and `rm` again finishes. */
  private async destroy(record: StoredNetwork): Promise<void> {
    await this.containers.settle?.(record.id);
    await this.host.removeNetworkDevices(record);
    failpoint('network-removing');
    await this.store.delete(record.id);
    this.publish('destroy', record);
  }

  /** Each network with whether it is in use, as the filters take them. */
  private withUse(records: readonly StoredNetwork[]): { record: StoredNetwork; hasEndpoints: boolean }[] {
    return records.map((record) => ({ record, hasEndpoints: this.inUse(record) }));
  }

  private inUse(record: NetworkRecord): boolean {
    return this.containers.endpointsOn(record.id).some((c) => isActiveEndpoint(c.endpoint));
  }

  /** Attributes as dockerd sends them, in Go's sorted-key order: container (connect/disconnect), name, type. */
  private publish(action: string, record: NetworkRecord, containerId?: string): void {
    const attributes: Record<string, string> = {};
    if (containerId !== undefined) attributes.container = containerId;
    attributes.name = record.name;
    attributes.type = record.driver;
    this.o.events.publish('network', action, record.id, attributes);
  }

  /** dockerd's order: full ID, then exact name, then ID prefix. */
  private lookup(ref: string): Lookup {
    const all = this.store.all();
    const byId = all.find((n) => n.id === ref);
    if (byId) return { found: byId };
    const byName = all.filter((n) => n.name === ref);
    if (byName.length === 1) return { found: byName[0]! };
    if (byName.length > 1) return { ambiguous: byName.length, basis: 'name' };
    const byPrefix = ref === '' ? [] : all.filter((n) => n.id.startsWith(ref));
    if (byPrefix.length === 1) return { found: byPrefix[0]! };
    if (byPrefix.length > 1) return { ambiguous: byPrefix.length, basis: 'ID prefix' };
    return { missing: true };
  }
}
