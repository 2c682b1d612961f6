/** Network routes of the Engine API (swagger tag "Network"). */
import type { ApiClient } from './api-client.ts';
import { compareVersions, readAll } from './api-client.ts';

const n = (id: string) => `/networks/${encodeURIComponent(id)}`;

/** The fields of a network list entry the CLI reads. */
export interface NetworkSummary {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv4?: boolean;
  EnableIPv6: boolean;
  Internal: boolean;
  Labels: Record<string, string> | null;
}

/** POST /networks/create's body as the docker CLI sends it. */
export interface NetworkCreateRequest {
  Name: string;
  Driver: string;
  Scope: string;
  EnableIPv4?: boolean;
  EnableIPv6?: boolean;
  IPAM: { Driver: string; Options: Record<string, string>; Config: object[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigOnly: boolean;
  ConfigFrom: { Network: string } | null;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** The API version that dropped CheckDuplicate (the daemon always checks since): older daemons are sent `true`, as docker's client does. */
const CHECK_DUPLICATE_UNTIL = '1.44';

export function networkList(api: ApiClient, filters?: string): Promise<NetworkSummary[]> {
  return api.json({ method: 'GET', path: '/networks', query: { filters } });
}

/** GET /networks/{id}: the daemon's JSON verbatim (inspect prints it as it came). */
export async function networkInspectRaw(api: ApiClient, id: string, verbose = false): Promise<string> {
  const res = await api.stream({ method: 'GET', path: n(id), query: { verbose: verbose ? 'true' : undefined } });
  return (await readAll(res)).toString('utf8');
}

export async function networkCreate(api: ApiClient, req: NetworkCreateRequest): Promise<{ Id: string; Warning?: string }> {
  const body: Record<string, unknown> = { ...req };
  if (compareVersions(await api.apiVersion(), CHECK_DUPLICATE_UNTIL) < 0) body['CheckDuplicate'] = true;
  return api.json({ method: 'POST', path: '/networks/create', body });
}

export async function networkRemove(api: ApiClient, id: string): Promise<void> {
  await api.json({ method: 'DELETE', path: n(id) });
}

export function networkPrune(api: ApiClient, filters?: string): Promise<{ NetworksDeleted: string[] | null }> {
  return api.json({ method: 'POST', path: '/networks/prune', query: { filters } });
}

export async function networkConnect(api: ApiClient, network: string, container: string, endpoint: Record<string, unknown>): Promise<void> {
  await api.json({ method: 'POST', path: `${n(network)}/connect`, body: { Container: container, EndpointConfig: endpoint } });
}

export async function networkDisconnect(api: ApiClient, network: string, container: string, force: boolean): Promise<void> {
  await api.json({ method: 'POST', path: `${n(network)}/disconnect`, body: { Container: container, Force: force } });
}
