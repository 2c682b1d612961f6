/**
 * Published ports (pure; the sockets that hold host ports are in
 * host-ports.ts, re-exported here).
 *
 * Berth publishes through netavark's iptables DNAT, with no userland proxy,
 * so nothing would hold the host port: the daemon holds a bound socket on
 * each published host port (TCP: listening; UDP: bound) for as long as the
 * container runs. A port taken by anyone else fails the start with dockerd's
 * message; traffic never reaches our socket (DNAT happens first).
 *
 * Where dockerd 20.10 checks what (asked of the reference engine):
 * - at create (`validatePortBindings`, 400): every PortBindings key's port
 *   and every HostPort parse ("invalid port specification: \"99999\"");
 * - at start (`portRequests`, 500 inside "driver failed programming external
 *   connectivity on endpoint NAME (ID): …"): an unknown protocol ("invalid
 *   transport protocol: 0"), a taken port, a full range. A HostIp that is no
 *   address is not refused anywhere: it means every address.
 * Only ports in Config.ExposedPorts are published (dockerd ignores bindings
 * of other ports; the CLI and compose always expose what they publish).
 */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { ContainerConfig, HostConfig, PortBinding } from '../../wire/container-config.ts';
import type { PublishedPort } from './network-record.ts';
import { normalizeIp } from './subnets.ts';

export { HostPortReservations, externalConnectivityError, hostHasIpv6, readEphemeralPortRange } from './host-ports.ts';
export type { PortRequest } from './host-ports.ts';
import type { PortRequest } from './host-ports.ts';

/** go-connections' nat.SplitProtoPort: "80/udp" → ["udp", "80"], "80" → ["tcp", "80"]. */
export function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]!];
  return [parts[1]!, parts[0]!];
}

/** strconv.ParseUint(s, 10, 16). */
function parseUint16(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** nat.ParsePortRangeToInt: "" → 0-0, "80" → 80-80, "80-90"; undefined when invalid. */
function parsePortRange(raw: string): [number, number] | undefined {
  if (raw === '') return [0, 0];
  if (!raw.includes('-')) {
    const p = parseUint16(raw);
    return p === undefined ? undefined : [p, p];
  }
  const parts = raw.split('-');
  const start = parseUint16(parts[0]!);
  const end = parseUint16(parts[1]!);
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

/** The create-time check of HostConfig.PortBindings, in dockerd's words (400). */
export function validatePortBindings(bindings: HostConfig['PortBindings']): void {
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const port = splitProtoPort(key)[1];
    if (port !== '' && parseUint16(port) === undefined) throw new InvalidParameterError(`invalid port specification: ${JSON.stringify(port)}`);
    for (const b of list ?? []) {
      const hostPort = b.HostPort ?? '';
      if (!parsePortRange(splitProtoPort(hostPort)[1])) throw new InvalidParameterError(`invalid port specification: ${JSON.stringify(hostPort)}`);
    }
  }
}

const PROTOS = ['tcp', 'udp', 'sctp'] as const;
type Proto = (typeof PROTOS)[number];

interface ExposedPort {
  port: number;
  proto: string;
}

/** The exposed ports, normalised ("80" is "80/tcp"), in port then protocol order. */
function exposedPorts(config: Pick<ContainerConfig, 'ExposedPorts'>): ExposedPort[] {
  const seen = new Map<string, ExposedPort>();
  for (const key of Object.keys(config.ExposedPorts ?? {})) {
    const [proto, port] = splitProtoPort(key);
    const n = parseUint16(port) ?? 0;
    seen.set(`${n}/${proto}`, { port: n, proto });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || protoRank(a.proto) - protoRank(b.proto));
}

function protoRank(p: string): number {
  const i = PROTOS.indexOf(p as Proto);
  return i < 0 ? PROTOS.length : i;
}

/**
 * The container's port wishes from HostConfig.PortBindings (ranges already
 * expanded by the client), plus, with PublishAllPorts, every ExposedPorts
 * entry without a binding on a random port. Throws InvalidParameterError in
 * dockerd's words for a bad port ("invalid port specification: \"99999\"",
 * the create-time check), and SystemError("invalid transport protocol: 0")
 * for a published port of an unknown protocol (dockerd's start-time error).
 */
export function portRequests(config: Pick<ContainerConfig, 'ExposedPorts'>, hostConfig: Pick<HostConfig, 'PortBindings' | 'PublishAllPorts'>): PortRequest[] {
  validatePortBindings(hostConfig.PortBindings);
  const bindings = new Map<string, PortBinding[]>();
  for (const [key, list] of Object.entries(hostConfig.PortBindings ?? {})) {
    const [proto, port] = splitProtoPort(key);
    const id = `${parseUint16(port) ?? 0}/${proto}`;
    bindings.set(id, [...(bindings.get(id) ?? []), ...(list ?? [])]);
  }
  const out: PortRequest[] = [];
  for (const { port, proto } of exposedPorts(config)) {
    const list = bindings.get(`${port}/${proto}`) ?? [];
    const wanted = list.length > 0 || hostConfig.PublishAllPorts === true;
    if (!wanted) continue;
    if (!PROTOS.includes(proto as Proto)) throw new SystemError('invalid transport protocol: 0');
    // dockerd's nat.SortPortMap puts higher host ports first (its inspect lists them so).
    const sorted = list.map((b) => ({ b, range: parsePortRange(splitProtoPort(b.HostPort ?? '')[1])! })).sort((x, y) => y.range[0] - x.range[0]);
    for (const { b, range } of sorted) {
      const [start, end] = range;
      // net.ParseIP: an unreadable HostIp is nil, which binds every address.
      const hostIp = normalizeIp(b.HostIp ?? '') ?? '';
      const req: PortRequest = { containerPort: port, proto: proto as Proto, hostIp, hostPort: start };
      if (end !== start) req.hostPortEnd = end;
      out.push(req);
    }
    if (list.length === 0) out.push({ containerPort: port, proto: proto as Proto, hostIp: '', hostPort: 0 });
  }
  return out;
}

/** netavark's `port_mappings` entries. */
export interface NetavarkPortMapping {
  host_ip: string;
  container_port: number;
  host_port: number;
  range: number;
  protocol: string;
}

/** The published ports as netavark takes them: consecutive container and host ports on one address and protocol merged into one range. */
export function netavarkPortMappings(ports: readonly PublishedPort[]): NetavarkPortMapping[] {
  const sorted = [...ports].sort((a, b) =>
    protoRank(a.proto) - protoRank(b.proto) || (a.hostIp < b.hostIp ? -1 : a.hostIp > b.hostIp ? 1 : 0) || a.containerPort - b.containerPort || a.hostPort - b.hostPort);
  const out: NetavarkPortMapping[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last.protocol === p.proto && last.host_ip === p.hostIp &&
      last.container_port + last.range === p.containerPort && last.host_port + last.range === p.hostPort) {
      last.range++;
      continue;
    }
    out.push({ host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: 1, protocol: p.proto });
  }
  return out;
}

/** The addresses a published port is bound on, as dockerd reports them: "" is 0.0.0.0 and (when the host has IPv6) ::. */
function boundAddresses(hostIp: string, hostHasIpv6: boolean): string[] {
  if (hostIp !== '') return [hostIp];
  return hostHasIpv6 ? ['0.0.0.0', '::'] : ['0.0.0.0'];
}

/** Go marshals a map with its keys sorted as strings ("443/tcp" < "53/udp" < "80/tcp"). */
function byGoKeyOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * NetworkSettings.Ports of inspect for a running container: every exposed
 * port, null when unpublished, else its bindings in the order they were
 * made, an any-address one listed for 0.0.0.0 and :: as dockerd 20.10 does.
 */
export function inspectPorts(config: Pick<ContainerConfig, 'ExposedPorts'>, ports: readonly PublishedPort[], hostHasIpv6 = true): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const map = new Map<string, { HostIp: string; HostPort: string }[] | null>();
  for (const e of exposedPorts(config)) map.set(`${e.port}/${e.proto}`, null);
  for (const p of ports) {
    const key = `${p.containerPort}/${p.proto}`;
    const list = map.get(key) ?? [];
    for (const ip of boundAddresses(p.hostIp, hostHasIpv6)) list.push({ HostIp: ip, HostPort: String(p.hostPort) });
    map.set(key, list);
  }
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => byGoKeyOrder(a, b)));
}

/**
 * The `Ports` of a container list entry (what `docker ps` draws its PORTS
 * column from): one entry per binding, one without IP/PublicPort per
 * unpublished exposed port. dockerd walks a Go map, so its order is random;
 * ours is inspect's (the CLI sorts for display anyway).
 */
export function summaryPorts(config: Pick<ContainerConfig, 'ExposedPorts'>, ports: readonly PublishedPort[], hostHasIpv6 = true): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  const out: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  for (const [key, bindings] of Object.entries(inspectPorts(config, ports, hostHasIpv6))) {
    const [proto, port] = splitProtoPort(key);
    const privatePort = Number(port);
    if (!bindings || bindings.length === 0) {
      out.push({ PrivatePort: privatePort, Type: proto });
      continue;
    }
    for (const b of bindings) out.push({ IP: b.HostIp, PrivatePort: privatePort, PublicPort: Number(b.HostPort), Type: proto });
  }
  return out;
}
