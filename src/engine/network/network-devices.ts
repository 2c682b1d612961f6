/**
 * What the network service asks of the host: whether a link exists, the
 * IPv4 routes, ip_forward, and removing a network's bridge when the network
 * goes. netavark makes a bridge when a network's first container starts and
 * takes it down with its last one; a network removed while its bridge is
 * still there (left by a crash, or made before any container left) has its
 * device removed here, through the one spawner. A bridge that existed before
 * the network named it is the administrator's and is left alone.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
  } catch (err) {
    log.warn('could not remove the bridge of a removed network', { bridge: record.interfaceName, err: (err as Error).message });
  }
}
