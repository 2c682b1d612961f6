/**
 * The sockets that hold published host ports (the only impure part of the
 * port logic). Lifecycle: `reserve` at start binds every port of the
 * container, all or nothing; `readopt` after a daemon restart binds the
 * ports a running container already has; `release` at exit closes them.
 *
 * Random ports are picked as dockerd's port allocator picks them: from the
 * kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, else
 * 49153-65535), serially from the last one handed out, per address and
 * protocol (a host range "8000-8010" has its own cursor). A port the kernel
 * refuses (someone else holds it) is stepped over for a random port and
 * fails a fixed one.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { BerthError, SystemError, isErrno } from '../../util/errors.ts';
import type { PublishedPort } from './network-record.ts';

/** One `-p` / `-P` wish, host port not chosen yet (0 = any free port). */
export interface PortRequest {
  containerPort: number;
  proto: 'tcp' | 'udp' | 'sctp';
  /** "" for every address (0.0.0.0 and, when the host has IPv6, ::); otherwise that address only. */
  hostIp: string;
  hostPort: number;
  /** The last port of a host range ("8000-8001" on one key: the first free one is taken); absent for one port. */
  hostPortEnd?: number;
}

/** Something bound on a host port; closing it frees the port. */
export interface PortHolder {
  close(): void;
}

/** Binds one port; rejects with the system error (EADDRINUSE…) when the kernel refuses. */
export type PortBinder = (proto: PortRequest['proto'], ip: string, port: number) => Promise<PortHolder>;

const DEFAULT_RANGE: [number, number] = [49153, 65535];

/** The kernel's ephemeral range ("32768\t60999"), as dockerd reads it; dockerd's fallback when unreadable. */
export function readEphemeralPortRange(text?: string): [number, number] {
  let raw = text;
  if (raw === undefined) {
    try {
      raw = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    } catch {
      return DEFAULT_RANGE; // no procfs (or not Linux): dockerd falls back too
    }
  }
  const m = /^\s*(\d+)\s+(\d+)/.exec(raw);
  if (!m) return DEFAULT_RANGE;
  return [Number(m[1]), Number(m[2])];
}

/** Whether the kernel has IPv6 at all (its address list exists and is not empty). */
export function hostHasIpv6(): boolean {
  try {
    return readFileSync('/proc/net/if_inet6', 'utf8').trim() !== '';
  } catch {
    return false; // no IPv6 in this kernel
  }
}

/** dockerd's wrapper of every port-mapping failure at start (500). */
export function externalConnectivityError(endpointName: string, endpointId: string, cause: Error): SystemError {
  return new SystemError(`driver failed programming external connectivity on endpoint ${endpointName} (${endpointId}): ${cause.message}`, { cause });
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Binds with node:net (TCP, listening) or node:dgram (UDP); IPv6 sockets are v6-only so 0.0.0.0 and :: coexist. */
export const bindSocket: PortBinder = (proto, ip, port) => new Promise((resolve, reject) => {
  if (proto === 'udp') {
    const s: Socket = createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4', ipv6Only: ip.includes(':') });
    s.once('error', reject);
    s.bind({ address: ip, port, exclusive: true }, () => {
      s.removeListener('error', reject);
      s.unref();
      resolve({ close: () => s.close() });
    });
    return;
  }
  // SCTP has no Node socket: TCP on the same port keeps the number ours.
  const srv: Server = createServer();
  srv.once('error', reject);
  srv.listen({ host: ip, port, ipv6Only: ip.includes(':'), exclusive: true }, () => {
    srv.removeListener('error', reject);
    srv.unref();
    // Nothing is served: DNAT takes the traffic before it reaches us.
    srv.on('connection', (c) => c.destroy());
    resolve({ close: () => srv.close() });
  });
});

export interface HostPortOptions {
  /** The random-port range; default: the kernel's ephemeral range as dockerd reads it. */
  portRange?: [number, number];
  /** Whether an any-address binding also binds ::; default: whether the host has IPv6 (dockerd skips :: on a kernel booted with ipv6.disable=1). */
  ipv6?: boolean;
  binder?: PortBinder;
}

interface Held {
  key: string;
  holder: PortHolder;
}

/** The sockets that hold published host ports. */
export class HostPortReservations {
  private readonly range: [number, number];
  private readonly ipv6: boolean;
  private readonly bind: PortBinder;
  /** "tcp/0.0.0.0/8080" → its owner. */
  private readonly taken = new Map<string, string>();
  private readonly byOwner = new Map<string, Held[]>();
  /** Serial cursors, per protocol, address and port range. */
  private readonly cursors = new Map<string, number>();

  constructor(options: HostPortOptions = {}) {
    this.range = options.portRange ?? readEphemeralPortRange();
    this.ipv6 = options.ipv6 ?? hostHasIpv6();
    this.bind = options.binder ?? bindSocket;
  }

  /** The addresses a request binds: "" is 0.0.0.0 and, with IPv6, ::. */
  private addresses(hostIp: string): string[] {
    if (hostIp !== '') return [hostIp];
    return this.ipv6 ? ['0.0.0.0', '::'] : ['0.0.0.0'];
  }

  /** Binds one port on every address, or nothing; the error names the first refusal in dockerd's words. */
  private async bindAll(owner: string, proto: PortRequest['proto'], ips: string[], port: number, held: Held[]): Promise<Error | undefined> {
    const mine: Held[] = [];
    for (const ip of ips) {
      const key = `${proto}/${ip}/${port}`;
      let err: Error | undefined;
      if (this.taken.has(key)) {
        err = new SystemError(`Bind for ${ip}:${port} failed: port is already allocated`);
      } else {
        try {
          const holder = await this.bind(proto, ip, port);
          this.taken.set(key, owner);
          mine.push({ key, holder });
          continue;
        } catch (e) {
          const family = ip.includes(':') ? '6' : '4';
          const why = isErrno(e, 'EADDRINUSE') ? 'address already in use' : isErrno(e, 'EACCES') ? 'permission denied' : isErrno(e, 'EADDRNOTAVAIL') ? 'cannot assign requested address' : (e as Error).message;
          err = new SystemError(`Error starting userland proxy: listen ${proto}${family} ${hostPort(ip, port)}: bind: ${why}`, { cause: e });
        }
      }
      this.drop(mine);
      return err;
    }
    held.push(...mine);
    return undefined;
  }

  private drop(list: Held[]): void {
    for (const h of list) {
      this.taken.delete(h.key);
      h.holder.close();
    }
  }

  /** A port from [start, end], serially after the last one given out for this address, protocol and range, that binds. */
  private async bindRandom(owner: string, r: PortRequest, ips: string[], held: Held[]): Promise<number> {
    const [start, end] = r.hostPort === 0 ? this.range : [r.hostPort, r.hostPortEnd ?? r.hostPort];
    const cursorKey = `${r.proto}/${r.hostIp}/${start}-${end}`;
    let port = this.cursors.get(cursorKey) ?? end;
    let lastErr: Error | undefined;
    for (let i = 0; i <= end - start; i++) {
      port = port >= end ? start : port + 1;
      const err = await this.bindAll(owner, r.proto, ips, port, held);
      if (!err) {
        this.cursors.set(cursorKey, port);
        return port;
      }
      lastErr = err;
    }
    // A one-port "range" reports why that port failed; a real range, dockerd's words.
    throw end === start && lastErr ? lastErr : new SystemError('all ports are allocated');
  }

  /**
   * Binds every request (random ones from the kernel's ephemeral range, as
   * dockerd picks them), all or nothing. A taken port throws SystemError
   * (dockerd answers 500) with dockerd's text: "Bind for 0.0.0.0:8080
   * failed: port is already allocated" when one of our containers holds it,
   * "Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address
   * already in use" when someone else does. Wrap it with
   * `externalConnectivityError` for the full message.
   */
  async reserve(owner: string, requests: readonly PortRequest[]): Promise<PublishedPort[]> {
    const held: Held[] = [];
    const out: PublishedPort[] = [];
    try {
      for (const r of requests) {
        const ips = this.addresses(r.hostIp);
        let port = r.hostPort;
        if (port === 0 || (r.hostPortEnd !== undefined && r.hostPortEnd !== r.hostPort)) {
          port = await this.bindRandom(owner, r, ips, held);
        } else {
          const err = await this.bindAll(owner, r.proto, ips, port, held);
          if (err) throw err;
        }
        out.push({ containerPort: r.containerPort, proto: r.proto, hostIp: r.hostIp, hostPort: port });
      }
    } catch (err) {
      this.drop(held);
      throw err instanceof BerthError ? err : new SystemError((err as Error).message, { cause: err });
    }
    this.byOwner.set(owner, [...(this.byOwner.get(owner) ?? []), ...held]);
    return out;
  }

  /** Binds ports already chosen (after a daemon restart); best effort. */
  async readopt(owner: string, ports: readonly PublishedPort[]): Promise<void> {
    const held: Held[] = [];
    for (const p of ports) {
      for (const ip of this.addresses(p.hostIp)) {
        // A port someone took meanwhile stays with them; the container keeps its DNAT rule.
        await this.bindAll(owner, p.proto, [ip], p.hostPort, held);
      }
    }
    this.byOwner.set(owner, [...(this.byOwner.get(owner) ?? []), ...held]);
  }

  release(owner: string): void {
    this.drop(this.byOwner.get(owner) ?? []);
    this.byOwner.delete(owner);
  }
}
