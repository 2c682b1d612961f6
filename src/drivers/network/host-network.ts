/**
 * The host's network as Berth touches it outside netavark: which links
 * exist, whether a bridge has ports, the routing table, IPv4 forwarding, and
 * a bridge device made or deleted with `ip` (through the one spawner). No
 * decisions here: the network service says which device to make or remove
 * and when (engine/network/network-devices.ts).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFile } from '../exec-file.ts';

const IP_TIMEOUT_MS = 10_000;

/** Whether a network link of that name exists on the host. */
export function linkExists(name: string): boolean {
  return name !== '' && !name.includes('/') && existsSync(`/sys/class/net/${name}`);
}

/** Whether the link is a bridge with no port left. */
export function isIdleBridge(name: string): boolean {
  if (!linkExists(name) || !existsSync(`/sys/class/net/${name}/bridge`)) return false;
  try {
    return readdirSync(`/sys/class/net/${name}/brif`).length === 0;
  } catch {
    return false;
  }
}

/** The kernel's IPv4 routing table as text (/proc/net/route); predefined.ts's parseRouteTable reads it. */
export function readRouteTable(): string {
  return readFileSync('/proc/net/route', 'utf8');
}

/** net.ipv4.ip_forward=1, written only when it is not already. */
export function enableIpForward(): void {
  if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '1') writeFileSync('/proc/sys/net/ipv4/ip_forward', '1\n');
}

/**
 * A bridge device with these addresses (CIDR form, the gateway's address
 * with its subnet's prefix), then set up; on a failure the half-made
 * device is deleted again.
 */
export async function addBridge(name: string, addresses: readonly string[], mtu = 0): Promise<void> {
  await execFile('ip', ['link', 'add', name, ...(mtu > 0 ? ['mtu', String(mtu)] : []), 'type', 'bridge'], { timeoutMs: IP_TIMEOUT_MS });
  try {
    for (const address of addresses) await execFile('ip', ['addr', 'add', address, 'dev', name], { timeoutMs: IP_TIMEOUT_MS });
    await execFile('ip', ['link', 'set', name, 'up'], { timeoutMs: IP_TIMEOUT_MS });
  } catch (err) {
    await execFile('ip', ['link', 'del', name], { timeoutMs: IP_TIMEOUT_MS }).catch(() => undefined);
    throw err;
  }
}

export async function deleteLink(name: string): Promise<void> {
  await execFile('ip', ['link', 'del', name], { timeoutMs: IP_TIMEOUT_MS });
}
