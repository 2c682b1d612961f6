/**
 * What the network service asks of the host: whether a link exists, the
 * IPv4 routes, ip_forward, and a bridge network's device. As dockerd, a
 * bridge network's device is there from `network create` (up, no carrier,
 * with the gateway's address), so what users and tools look for after a create is
 * there; netavark uses it as it finds it when a container joins, and
 * deletes it with its last container. A network removed while its bridge is
 * still there has the device removed here. Everything goes through the one
 * spawner. A bridge that existed before the network named it is the
 * administrator's: never made nor removed here.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { repairIsolation } from '../../drivers/network/isolation-repair.ts';
import { execFile } from '../../drivers/exec-file.ts';
import { log } from '../../util/log.ts';
import type { StoredNetwork } from './network-store.ts';
import { parseRouteTable } from './predefined.ts';

export function linkExists(name: string): boolean {
  return name !== '' && !name.includes('/') && existsSync(`/sys/class/net/${name}`);
}

/** The host's IPv4 routes as CIDRs (the default route left out); `ignoreDevice`'s own routes too. */
export function hostRoutes(ignoreDevice?: string): string[] {
  try {
    return parseRouteTable(readFileSync('/proc/net/route', 'utf8'), ignoreDevice);
  } catch (err) {
    log.warn('could not read the host routes', { err: (err as Error).message });
    return [];
  }
}

/** As dockerd with --ip-forward (its default): containers on a bridge reach beyond the host. */
export function enableIpForward(): void {
  try {
    if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '1') writeFileSync('/proc/sys/net/ipv4/ip_forward', '1\n');
  } catch (err) {
    log.warn('could not enable IPv4 forwarding', { err: (err as Error).message });
  }
}

/**
 * The bridge of a new bridge network, with its gateways' addresses (IPv6
 * ones when enabled), set up as dockerd sets it (UP, and no carrier until a
 * container joins). Up matters: netavark takes a bridge it finds as it is,
 * and a bridge left down forwards nothing between its containers.
 */
export async function createNetworkDevices(record: StoredNetwork): Promise<void> {
  const name = record.interfaceName;
  if (record.driver !== 'bridge' || record.deviceExisted || linkExists(name)) return;
  const mtu = Number(record.options['com.docker.network.driver.mtu'] ?? 0);
  await execFile('ip', ['link', 'add', name, ...(mtu > 0 ? ['mtu', String(mtu)] : []), 'type', 'bridge'], { timeoutMs: 10_000 });
  try {
    for (const s of record.subnets) await execFile('ip', ['addr', 'add', `${s.gateway}/${s.subnet.split('/')[1]}`, 'dev', name], { timeoutMs: 10_000 });
    await execFile('ip', ['link', 'set', name, 'up'], { timeoutMs: 10_000 });
  } catch (err) {
    await execFile('ip', ['link', 'del', name], { timeoutMs: 10_000 }).catch(() => undefined);
    throw err;
  }
}

/** A bridge device of ours with no port left: safe to delete. */
function isOurIdleBridge(name: string): boolean {
  if (!linkExists(name) || !existsSync(`/sys/class/net/${name}/bridge`)) return false;
  try {
    return readdirSync(`/sys/class/net/${name}/brif`).length === 0;
  } catch {
    return false;
  }
}

/**
 * Removes what a removed network leaves on the host (its bridge device). The
 * container side may replace this (Engine wiring) to also clear netavark's
 * firewall state; a failure is logged, never fatal to `rm`.
 */
export async function removeNetworkDevices(record: StoredNetwork): Promise<void> {
  if (record.driver !== 'bridge' || record.deviceExisted || !isOurIdleBridge(record.interfaceName)) return;
  try {
    await execFile('ip', ['link', 'del', record.interfaceName], { timeoutMs: 10_000 });
    await repairIsolation();
  } catch (err) {
    log.warn('could not remove the bridge of a removed network', { bridge: record.interfaceName, err: (err as Error).message });
  }
}
