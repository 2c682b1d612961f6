/**
 * Published ports (pure, but for `HostPortReservations`, which binds
 * sockets). STUB: signatures agreed; bodies to come.
 *
 * Berth publishes through netavark's iptables DNAT, with no userland proxy,
 * so nothing would hold the host port: the daemon holds a bound socket on
 * each published host port (TCP: listening; UDP: bound) for as long as the
 * container runs. A port taken by anyone else fails the start with dockerd's
 * message; traffic never reaches our socket (DNAT happens first).
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import type { PublishedPort } from './network-record.ts';

/** One `-p` / `-P` wish, host port not chosen yet (0 = any free port). */
export interface PortRequest {
  containerPort: number;
  proto: 'tcp' | 'udp' | 'sctp';
  hostIp: string;
  hostPort: number;
}

/**
 * The container's port wishes from HostConfig.PortBindings (ranges already
 * expanded by the client), plus, with PublishAllPorts, every ExposedPorts
 * entry without a binding on a random port. Throws InvalidParameterError in
 * dockerd's words for a bad port or address ("invalid port specification: \"99999\"").
 */
export function portRequests(config: Pick<ContainerConfig, 'ExposedPorts'>, hostConfig: Pick<HostConfig, 'PortBindings' | 'PublishAllPorts'>): PortRequest[] {
  void config; void hostConfig;
  throw new Error('todo');
}

/** The sockets that hold published host ports. */
export class HostPortReservations {
  /**
   * Binds every request (random ones from the kernel's ephemeral range, as
   * dockerd picks them), all or nothing; on a taken port throws ConflictError
   * with dockerd's text ("… Bind for 0.0.0.0:8080 failed: port is already allocated").
   */
  async reserve(owner: string, requests: readonly PortRequest[]): Promise<PublishedPort[]> {
    void owner; void requests;
    throw new Error('todo');
  }

  /** Binds ports already chosen (after a daemon restart); best effort. */
  async readopt(owner: string, ports: readonly PublishedPort[]): Promise<void> {
    void owner; void ports;
    throw new Error('todo');
  }

  release(owner: string): void {
    void owner;
    throw new Error('todo');
  }
}

/** netavark's `port_mappings` entries. */
export interface NetavarkPortMapping {
  host_ip: string;
  container_port: number;
  host_port: number;
  range: number;
  protocol: string;
}

export function netavarkPortMappings(ports: readonly PublishedPort[]): NetavarkPortMapping[] {
  void ports;
  throw new Error('todo');
}

/** NetworkSettings.Ports of inspect: every exposed port, null when unpublished; an any-address binding listed for 0.0.0.0 and :: as dockerd 20.10 does. */
export function inspectPorts(config: Pick<ContainerConfig, 'ExposedPorts'>, ports: readonly PublishedPort[]): Record<string, { HostIp: string; HostPort: string }[] | null> {
  void config; void ports;
  throw new Error('todo');
}

/** The `Ports` of a container list entry (what `docker ps` draws its PORTS column from). */
export function summaryPorts(config: Pick<ContainerConfig, 'ExposedPorts'>, ports: readonly PublishedPort[]): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  void config; void ports;
  throw new Error('todo');
}
