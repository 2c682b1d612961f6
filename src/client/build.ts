/** Build routes of the Engine API (swagger tag "Image": ImageBuild, BuildPrune). */
import type { StreamResponse } from './transport.ts';
import type { ApiClient } from './api-client.ts';

/** POST /build's query as the docker client sends it (client/image_build.go): only what differs from the daemon's defaults. */
export interface ImageBuildQuery {
  tags: string[];
  securityOpt?: string[];
  ulimits?: { Name: string; Hard: number; Soft: number }[];
  dockerfile?: string;
  quiet?: boolean;
  remote?: string;
  noCache?: boolean;
  /** false sends `rm=0` (the daemon's default is to remove). */
  remove?: boolean;
  forceRemove?: boolean;
  pull?: boolean;
  networkMode?: string;
  extraHosts: string[];
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  memory?: number;
  memorySwap?: number;
  shmSize?: number;
  cgroupParent?: string;
  target?: string;
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  cacheFrom: string[];
  platform?: string;
}

/** The query string, in the docker client's order; repeated `t` and `extrahosts`. */
export function buildQueryString(q: ImageBuildQuery): string {
  const parts: [string, string][] = [];
  for (const t of q.tags) parts.push(['t', t]);
  for (const o of q.securityOpt ?? []) parts.push(['securityopt', o]);
  for (const h of q.extraHosts) parts.push(['extrahosts', h]);
  if (q.quiet) parts.push(['q', '1']);
  if (q.remote) parts.push(['remote', q.remote]);
  if (q.noCache) parts.push(['nocache', '1']);
  if (q.remove === false) parts.push(['rm', '0']);
  if (q.forceRemove) parts.push(['forcerm', '1']);
  if (q.pull) parts.push(['pull', '1']);
  if (q.cpusetCpus) parts.push(['cpusetcpus', q.cpusetCpus]);
  if (q.networkMode && q.networkMode !== 'default') parts.push(['networkmode', q.networkMode]);
  if (q.cpusetMems) parts.push(['cpusetmems', q.cpusetMems]);
  if (q.cpuShares) parts.push(['cpushares', String(q.cpuShares)]);
  if (q.cpuQuota) parts.push(['cpuquota', String(q.cpuQuota)]);
  if (q.cpuPeriod) parts.push(['cpuperiod', String(q.cpuPeriod)]);
  if (q.memory) parts.push(['memory', String(q.memory)]);
  if (q.memorySwap) parts.push(['memswap', String(q.memorySwap)]);
  if (q.cgroupParent) parts.push(['cgroupparent', q.cgroupParent]);
  if (q.shmSize) parts.push(['shmsize', String(q.shmSize)]);
  if (q.dockerfile) parts.push(['dockerfile', q.dockerfile]);
  if (q.target) parts.push(['target', q.target]);
  if (q.ulimits?.length) parts.push(['ulimits', JSON.stringify(q.ulimits)]);
  if (Object.keys(q.buildArgs).length) parts.push(['buildargs', JSON.stringify(q.buildArgs)]);
  if (Object.keys(q.labels).length) parts.push(['labels', JSON.stringify(q.labels)]);
  if (q.cacheFrom.length) parts.push(['cachefrom', JSON.stringify(q.cacheFrom)]);
  if (q.platform) parts.push(['platform', q.platform]);
  // BuilderV1: the classic builder (the daemon's default, sent as the docker CLI sends it).
  parts.push(['version', '1']);
  return parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/**
 * POST /build: the context tar (or a bare Dockerfile, or nothing with
 * `remote`) streamed as the body; the reply is the JSON message stream.
 * `headers` carries X-Registry-Config and Berth's X-Berth-Build-Secrets.
 */
export function imageBuild(api: ApiClient, q: ImageBuildQuery, body: NodeJS.ReadableStream | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<StreamResponse> {
  const query = buildQueryString(q);
  return api.stream({
    method: 'POST',
    path: `/build${query ? `?${query}` : ''}`,
    body,
    headers: { 'Content-Type': 'application/x-tar', ...headers },
    signal,
  });
}

export interface BuildPruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

/** POST /build/prune (API 1.43: `keep-storage`, `all`, `filters`). */
export function buildPrune(api: ApiClient, q: { all?: boolean; keepStorage?: number; filters?: string }): Promise<BuildPruneReport> {
  return api.json({ method: 'POST', path: '/build/prune', query: { all: q.all || undefined, 'keep-storage': q.keepStorage || undefined, filters: q.filters } });
}
