/**
 * What the network service asks of the host: whether a link exists, the
 * IPv4 routes, ip_forward, and a bridge network's device. As dockerd, a
 * bridge network's device is there from `network create` (up, no carrier,
 * with the gateway's address), so what users and tools look for after a create is
 * there; netavark uses it as it finds it when a container joins, and
 * deletes it with its last container. A network removed while its bridge is
 * still there has the device removed here. The host-side work is the
 * driver's (drivers/network/host-network.ts); the decisions are made here.
 * A bridge that existed before the network named it is the
 * administrator's: never made nor removed here.
 */
import { addBridge, deleteLink, enableIpForward as writeIpForward, isIdleBridge, linkExists, readRouteTable } from '../../drivers/network/host-network.ts';
import { repairIsolation } from '../../drivers/network/isolation-repair.ts';
import { log } from '../../util/log.ts';
import type { StoredNetwork } from './network-store.ts';
import { parseRouteTable } from './predefined.ts';

/** The host's IPv4 routes as CIDRs (the default route left out); `ignoreDevice`'s own routes too. None when they cannot be read. */
export function hostRoutes(ignoreDevice?: string): string[] {
  try {
    return parseRouteTable(readRouteTable(), ignoreDevice);
  } catch (err) {
    log.warn('could not read the host routes', { err: (err as Error).message });
    return [];
  }
}

/** As dockerd with --ip-forward (its default): containers on a bridge reach beyond the host. A failure is logged, not fatal. */
export function enableIpForward(): void {
  try {
    writeIpForward();
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
  await addBridge(name, record.subnets.map((s) => `${s.gateway}/${s.subnet.split('/')[1]}`), mtu);
}

/**
 * Removes what a removed network leaves on the host (its bridge device, when
 * ours and without ports), then mends netavark's isolation rules. A failure
 * is logged, never fatal to `rm`.
 */
export async function removeNetworkDevices(record: StoredNetwork): Promise<void> {
  if (record.driver !== 'bridge' || record.deviceExisted || !isIdleBridge(record.interfaceName)) return;
  try {
    await deleteLink(record.interfaceName);
    await repairIsolation();
  } catch (err) {
    log.warn('could not remove the bridge of a removed network', { bridge: record.interfaceName, err: (err as Error).message });
  }
}
