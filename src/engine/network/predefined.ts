/**
 * The predefined networks, `bridge`, `host` and `none`, as the daemon's
 * settings make them (pure). Their records persist so their IDs stay the
 * same across restarts; the bridge record follows `-b`/`--bip` when those
 * change, and otherwise keeps the subnet it got (dockerd likewise keeps the
 * address docker0 already has).
 */
import type { NetworkDefaults } from './network-defaults.ts';
import type { StoredNetwork } from './network-store.ts';
import { pickSubnet } from './ipam.ts';
import { claimedSubnets, DOCKER_BRIDGE_SUBNET } from './network-create.ts';
import { ipFamily, nthAddress, parseCidr, formatCidr } from './subnets.ts';
import * as E from './errors.ts';

/** dockerd's Options of its default bridge, our device name in it. */
export function defaultBridgeOptions(bridgeName: string): Record<string, string> {
  return {
    'com.docker.network.bridge.default_bridge': 'true',
    'com.docker.network.bridge.enable_icc': 'true',
    'com.docker.network.bridge.enable_ip_masquerade': 'true',
    'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
    'com.docker.network.bridge.name': bridgeName,
    'com.docker.network.driver.mtu': '1500',
  };
}

function bare(id: string, name: string, driver: 'host' | 'null', created: string): StoredNetwork {
  return {
    id, name, created, driver, interfaceName: '', subnets: [],
    ipam: { driver: 'default', options: null, config: [] },
    enableIPv6: false, internal: false, attachable: false, ingress: false,
    options: {}, labels: {}, dns: false, predefined: true,
  };
}

export interface PredefinedContext {
  existing: readonly StoredNetwork[];
  defaults: NetworkDefaults;
  /** The host's IPv4 routes (the default route left out). */
  hostRoutes: readonly string[];
  newId(): string;
  now(): string;
}

/** What to write (new or changed records) and which record to delete (the bridge under `-b none`). */
export interface PredefinedPlan {
  save: StoredNetwork[];
  remove: string[];
}

export function planPredefined(ctx: PredefinedContext): PredefinedPlan {
  const plan: PredefinedPlan = { save: [], remove: [] };
  const find = (name: string) => ctx.existing.find((n) => n.predefined && n.name === name);
  const current = find('bridge');
  if (ctx.defaults.bridgeDisabled) {
    if (current) plan.remove.push(current.id);
  } else {
    const wanted = bridgeRecord(ctx, current);
    if (wanted !== current) plan.save.push(wanted);
  }
  if (!find('host')) plan.save.push(bare(ctx.newId(), 'host', 'host', ctx.now()));
  if (!find('none')) plan.save.push(bare(ctx.newId(), 'none', 'null', ctx.now()));
  return plan;
}

/** The bridge record the settings ask for: `current` itself when nothing changed. */
function bridgeRecord(ctx: PredefinedContext, current: StoredNetwork | undefined): StoredNetwork {
  const { defaults } = ctx;
  const currentSubnet = current?.subnets[0];
  let subnet: string;
  let gateway: string;
  if (defaults.bip) {
    ({ subnet, gateway } = defaults.bip);
  } else if (currentSubnet) {
    ({ subnet, gateway } = currentSubnet);
  } else {
    // Other networks' subnets, the host's routes (but for our own bridge's, left by an earlier run) and Docker's bridge.
    const others = ctx.existing.filter((n) => n !== current).flatMap(claimedSubnets);
    const picked = pickSubnet(defaults.addressPools.filter((p) => ipFamily(p.base.split('/')[0]!) === 4), [...others, ...ctx.hostRoutes, DOCKER_BRIDGE_SUBNET]);
    if (picked === undefined) throw new Error(`Error creating default "bridge" network: ${E.noPool(4).message}`);
    subnet = picked;
    gateway = nthAddress(picked, 1n);
  }
  if (current && current.interfaceName === defaults.bridgeName && currentSubnet?.subnet === subnet && currentSubnet.gateway === gateway) return current;
  const base: StoredNetwork = current ?? {
    id: ctx.newId(), name: 'bridge', created: ctx.now(), driver: 'bridge', interfaceName: '', subnets: [],
    ipam: { driver: 'default', options: null, config: [] },
    enableIPv6: false, internal: false, attachable: false, ingress: false,
    options: {}, labels: {}, dns: false, predefined: true,
  };
  return {
    ...base,
    interfaceName: defaults.bridgeName,
    subnets: [{ subnet, gateway }],
    // dockerd shows the gateway once docker0 has its address (every start but its very first); clients such as testcontainers read it.
    ipam: { driver: 'default', options: null, config: [{ Subnet: subnet, Gateway: gateway }] },
    options: defaultBridgeOptions(defaults.bridgeName),
  };
}

/** The IPv4 routes of /proc/net/route as CIDRs, the default route left out (it overlaps everything). */
export function parseRouteTable(text: string, ignoreDevice?: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[0] === ignoreDevice) continue;
    const dest = littleEndianIp(f[1]!);
    const mask = littleEndianIp(f[7]!);
    if (dest === undefined || mask === undefined) continue;
    const prefix = mask.split('.').reduce((n, octet) => n + popcount(Number(octet)), 0);
    if (prefix === 0) continue;
    const cidr = formatCidr(parseCidr(`${dest}/${prefix}`));
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out;
}

function littleEndianIp(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n; v; v >>= 1) c += v & 1;
  return c;
}
