/**
 * netavark, Debian's network set-up tool (the one podman uses), driven
 * through its JSON contract: `netavark --config DIR setup|teardown NETNS`
 * with a description of the container's networks on stdin. netavark makes
 * the bridge or macvlan link, the veth pair, the addresses and routes, the
 * iptables NAT, forwarding and port-forwarding rules, and starts
 * aardvark-dns for networks with name resolution. It does no address
 * management: every address is given (`static_ips`).
 *
 * Types follow netavark 1.4's `src/network/types.rs` field names.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { execFile } from '../exec-file.ts';

export const NETAVARK = '/usr/lib/podman/netavark';
export const AARDVARK = '/usr/lib/podman/aardvark-dns';
/**
 * netavark makes its iptables chains on first use with a check, then a
 * create: two runs at once (two containers of one daemon, or two daemons)
 * can both see no chain and one fails ("Chain already exists"). Every run
 * on the host therefore holds this lock (util-linux `flock`), as podman
 * holds its network lock around netavark. `--close`: the lock's descriptor
 * is not passed on, or aardvark-dns, which netavark leaves running, would
 * hold the lock for as long as it lives.
 */
export const NETAVARK_LOCK = '/run/lock/berth-netavark.lock';

/** /run/lock is made at boot on Debian, but not in every container or chroot a daemon may run in. */
export function ensureLockDir(): void {
  mkdirSync('/run/lock', { recursive: true, mode: 0o1777 });
}

export interface NetavarkSubnet {
  subnet: string;
  gateway?: string;
  lease_range?: { start_ip?: string; end_ip?: string };
}

export interface NetavarkNetwork {
  name: string;
  id: string;
  driver: 'bridge' | 'macvlan' | 'ipvlan';
  network_interface: string;
  subnets: NetavarkSubnet[];
  ipv6_enabled: boolean;
  internal: boolean;
  dns_enabled: boolean;
  options?: Record<string, string>;
  ipam_options: { driver: 'host-local' };
}

export interface NetavarkPerNetwork {
  interface_name: string;
  static_ips: string[];
  static_mac?: string;
  aliases?: string[];
}

export interface NetavarkPortMapping {
  host_ip: string;
  container_port: number;
  host_port: number;
  range: number;
  protocol: string;
}

export interface NetavarkOptions {
  container_id: string;
  container_name: string;
  networks: Record<string, NetavarkPerNetwork>;
  network_info: Record<string, NetavarkNetwork>;
  port_mappings: NetavarkPortMapping[];
  dns_servers?: string[];
}

/** What setup reports per network. */
export type NetavarkStatus = Record<
  string,
  {
    interfaces: Record<string, { mac_address: string; subnets: { ipnet: string; gateway?: string }[] }>;
    dns_server_ips?: string[];
    dns_search_domains?: string[];
  }
>;

export interface NetavarkDriverOptions {
  /** aardvark-dns's state (its per-network address lists and pid file): one per daemon. */
  configDir: string;
  /** false: netavark leaves the firewall alone (dockerd's --iptables=false; see noFirewall). */
  firewall?: boolean;
}

/**
 * The daemon's own runs go one at a time (they would only queue on the host
 * lock), set-ups first: a start waiting for its set-up never waits behind
 * the teardowns of containers that have already exited.
 */
class RunQueue {
  private readonly setups: (() => void)[] = [];
  private readonly teardowns: (() => void)[] = [];
  private busy = false;

  async run<T>(kind: 'setup' | 'teardown', fn: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (kind === 'setup' ? this.setups : this.teardowns).push(resolve));
    this.busy = true;
    try {
      return await fn();
    } finally {
      const next = this.setups.shift() ?? this.teardowns.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

export class Netavark {
  private readonly queue = new RunQueue();

  constructor(private readonly o: NetavarkDriverOptions) {}

  async setup(netns: string, options: NetavarkOptions): Promise<NetavarkStatus> {
    const { stdout } = await this.queue.run('setup', () => this.run('setup', netns, options));
    return JSON.parse(stdout) as NetavarkStatus;
  }

  async teardown(netns: string, options: NetavarkOptions): Promise<void> {
    await this.queue.run('teardown', () => this.run('teardown', netns, options));
  }

  /**
   * Extra records in aardvark-dns's list for a network (netavark's name for it): lines as netavark
   * writes them (`<id> <ipv4s> <ipv6s> <names>`), appended under the host lock, then aardvark-dns
   * told to reload. netavark's teardown drops every line that contains the sandbox ID, so records
   * whose ID starts with it go with the sandbox.
   */
  async addDnsRecords(network: string, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const dir = `${this.o.configDir}/aardvark-dns`;
    await this.queue.run('setup', () => {
      ensureLockDir();
      return execFile('flock', ['--close', NETAVARK_LOCK, 'sh', '-c', 'cat >> "$1" && kill -HUP "$(cat "$2")"', 'sh', `${dir}/${network}`, `${dir}/aardvark.pid`], {
        input: lines.map((l) => `${l}\n`).join(''),
        timeoutMs: 10_000,
      });
    });
  }

  private run(verb: 'setup' | 'teardown', netns: string, options: NetavarkOptions) {
    const path = process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin';
    // netavark makes aardvark-dns's folder inside it, not the folder itself.
    mkdirSync(this.o.configDir, { recursive: true, mode: 0o700 });
    ensureLockDir();
    const env: NodeJS.ProcessEnv = { PATH: this.o.firewall === false ? `${this.noFirewall()}:${path}` : path };
    return execFile('flock', ['--close', NETAVARK_LOCK, NETAVARK, '--config', this.o.configDir, '--rootless', 'false', '--aardvark-binary', AARDVARK, verb, netns], {
      input: JSON.stringify(options),
      env,
      timeoutMs: 30_000,
    });
  }

  /**
   * netavark 1.4 has no "none" firewall driver (NETAVARK_FW=none answers
   * "Must provide a valid firewall backend, got none"; it came in 1.5). So
   * with --iptables=false netavark finds, ahead in its PATH, an `iptables`
   * and `ip6tables` that change nothing: they name a version (netavark's
   * iptables library asks for it) and answer every check with "exists", so
   * netavark neither makes a chain nor adds a rule. The folder of these two
   * scripts, made once.
   */
  private noFirewall(): string {
    const dir = `${this.o.configDir}/no-firewall`;
    if (!existsSync(`${dir}/ip6tables`)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const script = '#!/bin/sh\n# berthd --iptables=false: netavark changes no firewall rule\ncase "$*" in *--version*|*-V*) echo "iptables v1.8.9 (nf_tables)";; esac\nexit 0\n';
      // Renamed into place: a netavark run at the same time never finds half a script.
      for (const name of ['iptables', 'ip6tables']) {
        writeFileSync(`${dir}/.${name}.${process.pid}`, script, { mode: 0o700 });
        renameSync(`${dir}/.${name}.${process.pid}`, `${dir}/${name}`);
      }
    }
    return dir;
  }
}
