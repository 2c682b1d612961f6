/**
 * The networks: the predefined bridge, host and none, and user-defined ones.
 * STUB: the surface the container side uses is agreed; the rest comes with
 * the /networks API.
 */
import type { EndpointRecord, NetworkRecord } from './network-record.ts';

/** What the network service needs to know of containers (the container side provides it). */
export interface ContainerEndpoints {
  /** Containers with an endpoint on the network: inspect's Containers, rm's active-endpoint check, prune. */
  endpointsOn(networkId: string): { containerId: string; name: string; endpoint: EndpointRecord }[];
}

export class NetworkService {
  /** Read the records; make the predefined networks (bridge from the daemon's options). */
  async load(): Promise<void> {
    throw new Error('todo');
  }

  /** By name, full ID or unique ID prefix; NotFoundError "network X not found" otherwise. */
  resolve(ref: string): NetworkRecord {
    void ref;
    throw new Error('todo');
  }

  /** By full ID; undefined when there is none. */
  get(id: string): NetworkRecord | undefined {
    void id;
    throw new Error('todo');
  }

  /** The predefined `bridge` network (the default of containers without --network). */
  defaultBridge(): NetworkRecord {
    throw new Error('todo');
  }

  list(): NetworkRecord[] {
    throw new Error('todo');
  }
}
