/**
 * Sandboxes: a container's network namespace and what netavark set up in it.
 *
 * A sandbox is a namespace file `<execRoot>/netns/<id>` plus a side file
 * `<id>.json` listing each netavark set-up done in it (the first with the
 * container's networks at start and its published ports, then one per
 * `network connect`). The side file is written BEFORE each set-up, so a
 * daemon killed at any instant leaves a description the next start can
 * tear down: every sandbox that no running container names is torn down at
 * start-up (`recover`).
 *
 * netavark's `container_id` is the sandbox ID, not the container's: the
 * iptables rules and aardvark entries of a container's old sandbox (still
 * being torn down in the background) and of its new one (a restart) then
 * never match each other.
 *
 * Addresses come from one AddressBook per subnet, owned by the sandbox ID,
 * and given back only once netavark's teardown has finished, so an address
 * is never on two veths at once. Published host ports likewise.
 *
 * Setting up a namespace on a bridge takes netavark about 35 ms, tearing it
 * down 30 ms (250 ms for the last one on a bridge, which removes the bridge
 * and its rules). So the default bridge keeps `POOL_SIZE` sandboxes ready
 * (`ready`), set up in the background: a container with no published port,
 * fixed address or MAC on the default bridge takes one at once. Teardowns
 * run after the container's exit is answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { sweepTemp, writeFileAtomic } from '../../store/records.ts';
import type { Netavark, NetavarkNetwork, NetavarkOptions, NetavarkStatus } from '../../drivers/network/netavark.ts';
import type { NetnsDir } from '../../drivers/network/netns.ts';
import { linkExists } from '../../drivers/network/host-network.ts';
import { asError, isErrno } from '../../util/errors.ts';
import { failpoint } from '../../util/failpoint.ts';
import { log } from '../../util/log.ts';
import { AddressBook } from './ipam.ts';
import type { NetworkRecord, PublishedPort } from './network-record.ts';
import { externalConnectivityError, netavarkPortMappings, type HostPortReservations, type PortRequest } from './ports.ts';
import { cidrContains, ipFamily } from './subnets.ts';

/** Ready sandboxes kept on the default bridge. */
export const POOL_SIZE = 2;

export interface EndpointRequest {
  network: NetworkRecord;
  /** Interface name in the namespace: eth0, eth1, … */
  interfaceName: string;
  ipv4?: string;
  ipv6?: string;
  mac?: string;
  /** Names it answers to on the network (DNS), besides the container's name. */
  aliases: string[];
}

export interface SandboxRequest {
  /** The container's name without the slash (aardvark's record name). */
  name: string;
  endpoints: EndpointRequest[];
  ports: PortRequest[];
  /** Upstream servers for aardvark-dns (the container's --dns). */
  dnsServers?: string[];
}

/** What a container got on one network. */
export interface EndpointResult {
  networkId: string;
  endpointId: string;
  ipv4: string;
  ipv4PrefixLen: number;
  gatewayV4: string;
  ipv6: string;
  ipv6PrefixLen: number;
  gatewayV6: string;
  mac: string;
}

export interface SandboxResult {
  id: string;
  key: string;
  ports: PublishedPort[];
  endpoints: EndpointResult[];
}

/** The side file. */
interface SandboxFile {
  setups: NetavarkOptions[];
}

export interface SandboxesOptions {
  netavark: Netavark;
  netns: NetnsDir;
  ports: HostPortReservations;
  /** A network by ID (for the addresses sandboxes held before a daemon restart). */
  networkById(id: string): NetworkRecord | undefined;
  /** After the first set-up on a network in this daemon's life (netavark may have made its firewall chains then). */
  onFirstSetup?: (network: NetworkRecord) => Promise<void>;
  /** After a teardown in which netavark removed a bridge. */
  afterBridgeGone?: () => Promise<void>;
  /** The default bridge, when pooling applies (undefined: no pool). */
  poolNetwork?: () => NetworkRecord | undefined;
}

export class Sandboxes {
  /** Address books by network ID, one per subnet. */
  private readonly books = new Map<string, AddressBook[]>();
  private readonly ready: SandboxResult[] = [];
  /** The pool's filling, while it runs. */
  private filling?: Promise<void>;
  private closed = false;
  /** Networks set up at least once since the daemon started. */
  private readonly seen = new Set<string>();
  /** Teardowns in flight, by sandbox ID. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly o: SandboxesOptions) {}

  /** Set up a sandbox for a container (a ready one from the pool when the request allows). */
  async setup(request: SandboxRequest): Promise<SandboxResult> {
    return this.fromPool(request) ?? this.create(request);
  }

  /** A new sandbox, set up now. */
  private async create(request: SandboxRequest): Promise<SandboxResult> {
    // A fixed host port or address may still be held by a sandbox being torn
    // down (`rm -f web && run -p 8080:80 --name web …`): dockerd frees them
    // before rm answers, so such a request waits for the teardowns in flight.
    if (request.ports.some((p) => p.hostPort) || request.endpoints.some((e) => e.ipv4 || e.ipv6)) await this.settled();
    const id = randomBytes(32).toString('hex');
    try {
      const addresses = request.endpoints.map((e) => this.addressesFor(id, e));
      const ports = await this.o.ports.reserve(id, request.ports).catch((err: unknown) => {
        throw externalConnectivityError(request.name, randomBytes(32).toString('hex'), asError(err));
      });
      const options: NetavarkOptions = {
        container_id: id,
        container_name: request.name,
        networks: Object.fromEntries(request.endpoints.map((e, i) => [e.network.id, perNetwork(e, addresses[i]!)])),
        network_info: Object.fromEntries(request.endpoints.map((e) => [e.network.id, netavarkNetwork(e.network)])),
        port_mappings: netavarkPortMappings(ports),
      };
      if (request.dnsServers?.length) options.dns_servers = request.dnsServers;
      await this.writeSide(id, { setups: [options] });
      failpoint('sandbox-recorded');
      const key = await this.o.netns.create(id);
      const status = await this.o.netavark.setup(key, options);
      failpoint('sandbox-set-up');
      await this.firstSetups(request.endpoints.map((e) => e.network));
      return { id, key, ports, endpoints: request.endpoints.map((e) => endpointResult(e.network, status, e.interfaceName)) };
    } catch (err) {
      await this.destroy(id);
      throw err;
    }
  }

  /** Names aardvark-dns answers on a network for this sandbox's container only (it has no per-container view: the whole network sees them), gone with the sandbox. */
  async addDnsNames(sandboxId: string, network: NetworkRecord, records: { names: string[]; ipv4?: string; ipv6?: string }[]): Promise<void> {
    await this.o.netavark.addDnsRecords(
      network.id,
      records.map((r, i) => `${sandboxId}-link${i} ${r.ipv4 ?? ''} ${r.ipv6 ?? ''} ${r.names.join(',')}`),
    );
  }

  /** Add a network to a running sandbox (`network connect`). */
  async connect(sandboxId: string, request: SandboxRequest): Promise<EndpointResult> {
    // As in create: a fixed address may still be held by a sandbox being torn down.
    if (request.endpoints.some((e) => e.ipv4 || e.ipv6)) await this.settled();
    const side = this.readSide(sandboxId);
    if (!side) throw new Error(`sandbox ${sandboxId} has no record`);
    // The lowest ethN the namespace does not have (a disconnect may have left a gap).
    const used = new Set(side.setups.flatMap((s) => Object.values(s.networks).map((n) => n.interface_name)));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    const endpoint = { ...request.endpoints[0]!, interfaceName: `eth${n}` };
    const addresses = this.addressesFor(sandboxId, endpoint);
    const options: NetavarkOptions = {
      container_id: sandboxId,
      container_name: request.name,
      networks: { [endpoint.network.id]: perNetwork(endpoint, addresses) },
      network_info: { [endpoint.network.id]: netavarkNetwork(endpoint.network) },
      port_mappings: [],
    };
    side.setups.push(options);
    try {
      await this.writeSide(sandboxId, side);
      const status = await this.o.netavark.setup(this.o.netns.path(sandboxId), options);
      await this.firstSetups([endpoint.network]);
      return endpointResult(endpoint.network, status, endpoint.interfaceName);
    } catch (err) {
      side.setups.pop();
      await this.o.netavark.teardown(this.o.netns.path(sandboxId), options).catch(() => undefined);
      await this.writeSide(sandboxId, side).catch(() => undefined);
      this.releaseAddresses(sandboxId, endpoint.network.id);
      throw err;
    }
  }

  /** Take a network out of a running sandbox (`network disconnect`). */
  async disconnect(sandboxId: string, networkId: string): Promise<void> {
    const side = this.readSide(sandboxId);
    if (!side) return;
    const index = side.setups.findIndex((s) => Object.values(s.network_info).some((n) => n.id === networkId));
    if (index < 0) return;
    const [options] = side.setups.splice(index, 1);
    const name = Object.values(options!.network_info).find((n) => n.id === networkId)!.name;
    const others = Object.keys(options!.networks).filter((n) => n !== name);
    if (others.length === 0) {
      // Its own set-up (a connect's, or the start's with this network alone, published ports included): undone whole.
      await this.o.netavark.teardown(this.o.netns.path(sandboxId), options!);
      if (options!.port_mappings.length) this.o.ports.release(sandboxId);
    } else {
      // The start's set-up with other networks besides: only this network's part goes.
      await this.o.netavark.teardown(this.o.netns.path(sandboxId), {
        ...options!, networks: { [name]: options!.networks[name]! }, network_info: { [name]: options!.network_info[name]! }, port_mappings: [],
      });
      const rest = { ...options!, networks: { ...options!.networks }, network_info: { ...options!.network_info } };
      delete rest.networks[name];
      delete rest.network_info[name];
      side.setups.splice(index, 0, rest);
    }
    await this.writeSide(sandboxId, side);
    this.releaseAddresses(sandboxId, networkId);
  }

  /**
   * Tear the sandbox down in the background; its addresses and ports are
   * given back once that is done. `settled` waits for it.
   */
  release(sandboxId: string): void {
    if (this.pending.has(sandboxId)) return;
    const done = this.destroy(sandboxId).finally(() => this.pending.delete(sandboxId));
    this.pending.set(sandboxId, done);
  }

  /** The sandbox's teardown, if one is in flight, has finished. */
  async whenReleased(sandboxId: string): Promise<void> {
    await this.pending.get(sandboxId);
  }

  /** Every teardown in flight has finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending.values()]);
  }

  /**
   * At daemon start: the sandboxes of running containers keep their
   * addresses and ports; every other sandbox left (a crash, a pool) is torn down.
   */
  async recover(live: readonly { id: string; ports: readonly PublishedPort[] }[]): Promise<void> {
    const keep = new Set(live.map((s) => s.id));
    for (const s of live) {
      for (const setup of this.readSide(s.id)?.setups ?? []) this.holdAddresses(s.id, setup);
      await this.o.ports.readopt(s.id, s.ports);
    }
    // A daemon killed after a side file was written but before its namespace was made leaves the side file alone.
    await sweepTemp(this.o.netns.dir);
    const orphans = new Set([...this.o.netns.names(), ...this.sideFiles()]);
    for (const name of orphans) {
      if (keep.has(name)) continue;
      for (const setup of this.readSide(name)?.setups ?? []) this.holdAddresses(name, setup);
      this.release(name);
    }
  }

  /** Keep the pool full (call once the default bridge exists, and after each take). */
  fill(): void {
    if (this.filling || this.closed) return;
    const network = this.o.poolNetwork?.();
    if (!network || this.ready.length >= POOL_SIZE) return;
    // After the request at hand has taken its addresses (the first container gets .2, as with dockerd).
    this.filling = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      try {
        while (!this.closed && this.ready.length < POOL_SIZE) {
          const sandbox = await this.create({ name: '', endpoints: [{ network, interfaceName: 'eth0', aliases: [] }], ports: [] }).catch((err) => {
            log.warn('could not set up a spare network namespace', { err: asError(err).message });
            return undefined;
          });
          if (!sandbox) break;
          if (this.closed) this.release(sandbox.id);
          else this.ready.push(sandbox);
        }
      } finally {
        this.filling = undefined;
      }
    });
  }

  /** The daemon stops: no more spares; the ready ones and teardowns in flight are finished. */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    for (const s of this.ready.splice(0)) this.release(s.id);
    await this.settled();
  }

  private async firstSetups(networks: NetworkRecord[]): Promise<void> {
    for (const n of networks) {
      if (this.seen.has(n.id)) continue;
      this.seen.add(n.id);
      await this.o.onFirstSetup?.(n).catch((err) => log.warn('after the first set-up of a network', { network: n.name, err: asError(err).message }));
    }
  }

  /** A ready sandbox when the request is a plain default-bridge one; the pool is filled from the first such request on. */
  private fromPool(request: SandboxRequest): SandboxResult | undefined {
    const network = this.o.poolNetwork?.();
    const [e, ...more] = request.endpoints;
    if (!network || !e || more.length || e.network.id !== network.id || e.ipv4 || e.ipv6 || e.mac || request.ports.length) return undefined;
    const sandbox = this.ready.shift();
    this.fill();
    if (!sandbox) return undefined;
    // A pooled sandbox was made before the container: its endpoint IDs are the container's own from here on.
    return { ...sandbox, endpoints: sandbox.endpoints.map((x) => ({ ...x, endpointId: randomBytes(32).toString('hex') })) };
  }

  /** The addresses an endpoint gets in the sandbox: the ones asked for, else the next free ones. */
  private addressesFor(owner: string, e: EndpointRequest): string[] {
    const out: string[] = [];
    const books = this.booksOf(e.network);
    try {
      for (const book of books) {
        const family = ipFamily(book.subnet.gateway || book.subnet.subnet.split('/')[0]!);
        const wanted = family === 6 ? e.ipv6 : e.ipv4;
        if (wanted && cidrContains(book.subnet.subnet, wanted)) {
          book.reserve(wanted, owner);
          out.push(wanted);
          continue;
        }
        if (family === 6 && !e.network.enableIPv6) continue;
        const ip = book.allocate(owner);
        if (!ip) throw new Error(`no available IPv${family} addresses on this network's address pools: ${e.network.name} (${e.network.id})`);
        out.push(ip);
      }
    } catch (err) {
      this.releaseAddresses(owner, e.network.id);
      throw err;
    }
    return out;
  }

  private booksOf(network: NetworkRecord): AddressBook[] {
    let books = this.books.get(network.id);
    if (!books) {
      // dockerd hands out the lowest free address; an address comes back only once its sandbox is torn down.
      books = network.subnets.map((s) => new AddressBook(s, { serial: false }));
      this.books.set(network.id, books);
    }
    return books;
  }

  /** After a restart: the addresses a set-up holds are taken again by their sandbox. */
  private holdAddresses(owner: string, setup: NetavarkOptions): void {
    for (const [name, per] of Object.entries(setup.networks)) {
      const info = setup.network_info[name];
      const network = info && this.o.networkById(info.id);
      if (!network) continue;
      const books = this.booksOf(network);
      for (const ip of per.static_ips) {
        const book = books.find((b) => cidrContains(b.subnet.subnet, ip));
        try {
          book?.reserve(ip, owner);
        } catch (err) {
          log.warn('an address of a sandbox is held twice', { sandbox: owner, ip, err: asError(err).message });
        }
      }
    }
  }

  /** A network removed: its address books go with it. */
  dropNetwork(networkId: string): void {
    this.books.delete(networkId);
  }


  private releaseAddresses(owner: string, networkId?: string): void {
    for (const [id, books] of this.books) {
      if (networkId && id !== networkId) continue;
      for (const b of books) b.release(owner);
    }
  }

  /** Undo whatever exists of a sandbox: each set-up (newest first), the namespace, the side file, addresses and ports. */
  private async destroy(id: string): Promise<void> {
    const side = this.readSide(id);
    const key = this.o.netns.path(id);
    for (const setup of [...(side?.setups ?? [])].reverse()) {
      // Once more after a failure: a firewall change of someone else's at the same moment can fail one run.
      await this.o.netavark
        .teardown(key, setup)
        .catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await this.o.netavark.teardown(key, setup);
        })
        .catch((err) => log.warn('netavark teardown', { sandbox: id, err: asError(err).message }));
    }
    // netavark removed a bridge (its last container went): mend what it leaves of the isolation rules.
    const bridges = (side?.setups ?? []).flatMap((s) => Object.values(s.network_info)).filter((n) => n.driver === 'bridge').map((n) => n.network_interface);
    if (bridges.some((b) => !linkExists(b))) await this.o.afterBridgeGone?.().catch((err) => log.warn('could not mend the isolation rules', { err: asError(err).message }));
    try {
      this.o.netns.remove(id);
    } catch (err) {
      log.warn('could not remove a network namespace', { sandbox: id, err: asError(err).message });
    }
    rmSync(this.sidePath(id), { force: true });
    this.releaseAddresses(id);
    this.o.ports.release(id);
  }

  /** The sandbox IDs that have a side file. */
  private sideFiles(): string[] {
    try {
      return readdirSync(this.o.netns.dir).filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).map((n) => n.slice(0, -'.json'.length));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
  }

  private sidePath(id: string): string {
    return `${this.o.netns.dir}/${id}.json`;
  }

  private readSide(id: string): SandboxFile | undefined {
    try {
      return JSON.parse(readFileSync(this.sidePath(id), 'utf8')) as SandboxFile;
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) log.warn('unreadable sandbox record', { sandbox: id, err: asError(err).message });
      return undefined;
    }
  }

  private writeSide(id: string, side: SandboxFile): Promise<void> {
    mkdirSync(this.o.netns.dir, { recursive: true, mode: 0o700 });
    return writeFileAtomic(this.sidePath(id), JSON.stringify(side), { mode: 0o600 });
  }
}

function perNetwork(e: EndpointRequest, addresses: string[]) {
  return {
    interface_name: e.interfaceName,
    static_ips: addresses,
    ...(e.mac || addresses[0] ? { static_mac: e.mac || macFromIp(addresses.find((a) => ipFamily(a) === 4)) } : {}),
    ...(e.aliases.length ? { aliases: e.aliases } : {}),
  };
}

/** dockerd's MAC for an IPv4 address: 02:42 and the address's four bytes. */
export function macFromIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  return ['02', '42', ...ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'))].join(':');
}

/** netavark's view of a network record (named by its ID). */
export function netavarkNetwork(n: NetworkRecord): NetavarkNetwork {
  const options: Record<string, string> = {};
  if (n.driver === 'bridge') options['isolate'] = 'true';
  const mtu = n.options['com.docker.network.driver.mtu'];
  if (mtu) options['mtu'] = mtu;
  if (n.driver === 'macvlan' && n.options['macvlan_mode']) options['mode'] = n.options['macvlan_mode'];
  if (n.driver === 'ipvlan' && n.options['ipvlan_mode']) options['mode'] = n.options['ipvlan_mode'];
  return {
    // netavark names its iptables chains and aardvark's files after the network's name: the ID
    // keeps two daemons' `bridge` networks (or two engines' same-named networks) apart.
    name: n.id,
    id: n.id,
    driver: n.driver as NetavarkNetwork['driver'],
    network_interface: n.interfaceName,
    subnets: n.subnets.map((s) => ({ subnet: s.subnet, gateway: s.gateway })),
    ipv6_enabled: n.enableIPv6,
    internal: n.internal,
    dns_enabled: n.dns,
    options,
    ipam_options: { driver: 'host-local' },
  };
}

function endpointResult(network: NetworkRecord, status: NetavarkStatus, interfaceName: string): EndpointResult {
  const iface = status[network.id]?.interfaces[interfaceName];
  const out: EndpointResult = {
    networkId: network.id, endpointId: randomBytes(32).toString('hex'),
    ipv4: '', ipv4PrefixLen: 0, gatewayV4: '', ipv6: '', ipv6PrefixLen: 0, gatewayV6: '', mac: iface?.mac_address ?? '',
  };
  for (const s of iface?.subnets ?? []) {
    const [ip, prefix] = s.ipnet.split('/');
    if (ipFamily(ip!) === 4) Object.assign(out, { ipv4: ip, ipv4PrefixLen: Number(prefix), gatewayV4: s.gateway ?? '' });
    else Object.assign(out, { ipv6: ip, ipv6PrefixLen: Number(prefix), gatewayV6: s.gateway ?? '' });
  }
  return out;
}
