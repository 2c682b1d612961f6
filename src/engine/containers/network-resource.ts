/**
 * The container's network as a resource (see container-resources.ts): the
 * namespace it gets from `HostConfig.NetworkMode` and its generated
 * /etc/hostname, /etc/hosts and /etc/resolv.conf. The modes Berth has
 * today: the default bridge (a namespace of its own with loopback only,
 * until the networking issue attaches it to a bridge), host, none, and
 * another container's namespace.
 */
import { writeFileSync } from 'node:fs';
import type { HostConfig } from '../../wire/container-config.ts';
import type { NetworkNamespace } from '../../drivers/runtime/spec/generate.ts';
import { ConflictError, NotFoundError } from '../../util/errors.ts';
import { hostnameFile, hostsFile, resolvConfFile } from './etc-files.ts';
import { readSmallFile } from './container-layout.ts';
import type { ContainerResource } from './container-resources.ts';
import type { ContainerPaths, ContainerRecord } from './record.ts';

/** The network namespace a container gets, from HostConfig.NetworkMode. */
export type NetworkChoice = { kind: 'private' } | { kind: 'host' } | { kind: 'none' } | { kind: 'container'; ref: string };

export function networkChoice(hostConfig: Pick<HostConfig, 'NetworkMode'>): NetworkChoice {
  const mode = hostConfig.NetworkMode ?? 'default';
  if (mode === 'host') return { kind: 'host' };
  if (mode === 'none') return { kind: 'none' };
  if (mode.startsWith('container:')) return { kind: 'container', ref: mode.slice('container:'.length) };
  // default, bridge and user networks: a namespace of its own (the network
  // service attaches it to a bridge; until then only loopback is up).
  return { kind: 'private' };
}

/** Whether the container joins another's network namespace (it can only be set up once that one runs). */
export function joinsOtherNetwork(hostConfig: Pick<HostConfig, 'NetworkMode'>): boolean {
  return networkChoice(hostConfig).kind === 'container';
}

export interface NetworkResourceOptions {
  paths(id: string): ContainerPaths;
  /** Another container by name or ID (throws dockerd's 404 when there is none). */
  resolveContainer(ref: string): ContainerRecord;
}

export class NetworkResource implements ContainerResource {
  readonly name = 'network';

  constructor(private readonly o: NetworkResourceOptions) {}

  /**
   * The container's /etc/hostname, hosts and resolv.conf. Like the other
   * small files of the start path, these are read and written with
   * synchronous calls: each takes microseconds, where the thread pool's
   * open/read/close round trips add up to milliseconds while a start keeps
   * it busy. A host-network container takes the host's files and hostname.
   */
  create(record: ContainerRecord): void {
    const p = this.o.paths(record.id);
    const host = networkChoice(record.hostConfig).kind === 'host';
    const h = record.hostConfig;
    const hostResolv = readSmallFile('/etc/resolv.conf') ?? '';
    const hostname = host ? (readSmallFile('/etc/hostname') ?? 'localhost').trim() : record.config.Hostname!;
    if (host) record.config.Hostname = hostname;
    writeFileSync(p.hostname, hostnameFile(hostname));
    writeFileSync(p.hosts, host ? (readSmallFile('/etc/hosts') ?? '') : hostsFile({ hostname, domainname: record.config.Domainname, extraHosts: h.ExtraHosts ?? [] }));
    writeFileSync(p.resolvConf, host ? hostResolv : resolvConfFile(hostResolv, { dns: h.Dns ?? [], search: h.DnsSearch ?? [], options: h.DnsOptions ?? [] }));
  }

  /** The namespace for the spec; the mode is checked here, at start, as dockerd checks it. */
  spec(record: ContainerRecord): { network: NetworkNamespace } {
    const mode = record.hostConfig.NetworkMode || 'default';
    if (!['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:')) throw new NotFoundError(`network ${mode} not found`);
    const choice = networkChoice(record.hostConfig);
    if (choice.kind !== 'container') return { network: choice };
    const other = this.o.resolveContainer(choice.ref);
    if (other.state.status !== 'running') throw new ConflictError(`cannot join network of a non running container: ${other.id}`);
    return { network: { kind: 'path', path: `/proc/${other.state.pid}/ns/net` } };
  }
}
