/**
 * Connecting a container to a network and disconnecting it: the verbs of
 * `POST /networks/{id}/connect|disconnect` (and `docker network
 * connect|disconnect`). They change a container, so the container side
 * implements them and the Engine wiring passes its implementation in; the
 * network routes only forward to it.
 */
import type { EndpointSettingsRequest } from '../../wire/network.ts';

export interface ContainerNetworking {
  /** Attaches the container (running: at once; stopped: at its next start); emits `network connect`. */
  connect(networkRef: string, containerRef: string, endpointConfig: EndpointSettingsRequest | undefined): Promise<void>;
  /** Detaches it; `force` as dockerd's (the container need not be known to the network). Emits `network disconnect`. */
  disconnect(networkRef: string, containerRef: string, force: boolean): Promise<void>;
}

