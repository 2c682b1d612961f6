/** Container routes of the Engine API (swagger tag "Container"). */
import type { RawConn } from './transport.ts';
import type { StreamResponse } from './transport.ts';
import { compareVersions, type ApiClient } from './api-client.ts';
import type { ChangeItem, ContainerCreateResponse, ContainerInspect, ContainerSummary, TopResponse, WaitResponse } from './types.ts';

const c = (id: string) => `/containers/${encodeURIComponent(id)}`;

export function containerList(api: ApiClient, q: { all?: boolean; limit?: number; size?: boolean; filters?: string }): Promise<ContainerSummary[]> {
  return api.json({ method: 'GET', path: '/containers/json', query: { all: q.all || undefined, limit: q.limit, size: q.size || undefined, filters: q.filters } });
}

/** The API version from which a MAC address is read per endpoint; before it, from Config.MacAddress only. */
const ENDPOINT_MAC_SINCE = '1.44';

export async function containerCreate(api: ApiClient, body: Record<string, unknown>, q: { name?: string; platform?: string }): Promise<ContainerCreateResponse> {
  let sent = body;
  if (compareVersions(await api.apiVersion(), ENDPOINT_MAC_SINCE) < 0) {
    // Docker CLI 28 refuses a per-endpoint MAC below 1.44; Berth sends what such daemons read
    // (the main endpoint's MAC is in Config.MacAddress already), as docker's client did until 27.
    const endpoints = (body['NetworkingConfig'] as { EndpointsConfig?: Record<string, Record<string, unknown>> } | undefined)?.EndpointsConfig;
    if (endpoints && Object.values(endpoints).some((ep) => ep['MacAddress'])) {
      const stripped = Object.fromEntries(Object.entries(endpoints).map(([k, ep]) => [k, { ...ep, MacAddress: '' }]));
      sent = { ...body, NetworkingConfig: { EndpointsConfig: stripped } };
    }
  }
  return api.json({ method: 'POST', path: '/containers/create', query: { name: q.name || undefined, platform: q.platform || undefined }, body: sent });
}

export async function containerInspect(api: ApiClient, id: string, size = false): Promise<ContainerInspect> {
  return api.json({ method: 'GET', path: `${c(id)}/json`, query: { size: size || undefined } });
}

export async function containerStart(api: ApiClient, id: string, q: { detachKeys?: string } = {}): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/start`, query: { detachKeys: q.detachKeys } });
}

export async function containerStop(api: ApiClient, id: string, q: { t?: number; signal?: string }): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/stop`, query: q });
}

export async function containerRestart(api: ApiClient, id: string, q: { t?: number; signal?: string }): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/restart`, query: q });
}

export async function containerKill(api: ApiClient, id: string, signal?: string): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/kill`, query: { signal } });
}

export async function containerPause(api: ApiClient, id: string): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/pause` });
}

export async function containerUnpause(api: ApiClient, id: string): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/unpause` });
}

export async function containerRemove(api: ApiClient, id: string, q: { force?: boolean; v?: boolean; link?: boolean }): Promise<void> {
  // Slashes stay as typed: `rm --link web/db` is DELETE /containers/web/db?link=1, as docker sends it.
  const path = `/containers/${id.split('/').map(encodeURIComponent).join('/')}`;
  await api.json({ method: 'DELETE', path, query: { force: q.force || undefined, v: q.v || undefined, link: q.link || undefined } });
}

export function containerUpdate(api: ApiClient, id: string, body: Record<string, unknown>): Promise<{ Warnings?: string[] | null }> {
  return api.json({ method: 'POST', path: `${c(id)}/update`, body });
}

export async function containerRename(api: ApiClient, id: string, name: string): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/rename`, query: { name } });
}

export async function containerResize(api: ApiClient, id: string, h: number, w: number): Promise<void> {
  await api.json({ method: 'POST', path: `${c(id)}/resize`, query: { h, w } });
}

/** POST /wait; resolves when the condition is met (call before start to catch fast exits). */
export function containerWait(api: ApiClient, id: string, condition?: 'not-running' | 'next-exit' | 'removed'): Promise<WaitResponse> {
  return api.json({ method: 'POST', path: `${c(id)}/wait`, query: { condition } });
}

export function containerTop(api: ApiClient, id: string, psArgs?: string): Promise<TopResponse> {
  return api.json({ method: 'GET', path: `${c(id)}/top`, query: { ps_args: psArgs || undefined } });
}

export function containerChanges(api: ApiClient, id: string): Promise<ChangeItem[] | null> {
  return api.json({ method: 'GET', path: `${c(id)}/changes` });
}

export function containerLogs(
  api: ApiClient,
  id: string,
  q: { follow?: boolean; stdout?: boolean; stderr?: boolean; since?: string; until?: string; timestamps?: boolean; tail?: string; details?: boolean },
): Promise<StreamResponse> {
  return api.stream({ method: 'GET', path: `${c(id)}/logs`, query: q });
}

export function containerExport(api: ApiClient, id: string): Promise<StreamResponse> {
  return api.stream({ method: 'GET', path: `${c(id)}/export` });
}

export function containerStats(api: ApiClient, id: string, stream: boolean): Promise<StreamResponse> {
  return api.stream({ method: 'GET', path: `${c(id)}/stats`, query: { stream } });
}

export function containerArchiveGet(api: ApiClient, id: string, path: string): Promise<StreamResponse> {
  return api.stream({ method: 'GET', path: `${c(id)}/archive`, query: { path } });
}

export async function containerArchivePut(api: ApiClient, id: string, path: string, body: NodeJS.ReadableStream, q: { copyUIDGID?: boolean } = {}): Promise<void> {
  const res = await api.stream({
    method: 'PUT',
    path: `${c(id)}/archive`,
    query: { path, noOverwriteDirNonDir: true, copyUIDGID: q.copyUIDGID || undefined },
    body,
    headers: { 'Content-Type': 'application/x-tar' },
  });
  res.resume();
}

export async function containerArchiveStat(api: ApiClient, id: string, path: string): Promise<{ name: string; size: number; mode: number; linkTarget: string } | undefined> {
  const res = await api.stream({ method: 'HEAD', path: `${c(id)}/archive`, query: { path } });
  res.resume();
  const h = res.headers['x-docker-container-path-stat'];
  const v = Array.isArray(h) ? h[0] : h;
  return v ? (JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as { name: string; size: number; mode: number; linkTarget: string }) : undefined;
}

export function containerPrune(api: ApiClient, filters?: string): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
  return api.json({ method: 'POST', path: '/containers/prune', query: { filters } });
}

/** POST /attach, hijacked: the raw (TTY) or multiplexed stream. */
export function containerAttach(
  api: ApiClient,
  id: string,
  q: { stream?: boolean; logs?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean; detachKeys?: string },
): Promise<RawConn> {
  return api.hijack({ method: 'POST', path: `${c(id)}/attach`, query: q });
}
