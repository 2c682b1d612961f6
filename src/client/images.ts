/** Image routes of the Engine API (swagger tag "Image"), plus Berth's /images/bootstrap. */
import type { StreamResponse } from './transport.ts';
import type { ApiClient } from './api-client.ts';
import type { DeleteItem, HistoryItem, ImageSummary } from './types.ts';

const i = (name: string) => `/images/${encodeURIComponent(name)}`;

export function imageList(api: ApiClient, q: { all?: boolean; filters?: string; digests?: boolean }): Promise<ImageSummary[]> {
  return api.json({ method: 'GET', path: '/images/json', query: { all: q.all || undefined, filters: q.filters, digests: q.digests || undefined } });
}

export function imageInspect(api: ApiClient, name: string): Promise<Record<string, unknown>> {
  return api.json({ method: 'GET', path: `${i(name)}/json` });
}

export function imageRemove(api: ApiClient, name: string, q: { force?: boolean; noprune?: boolean }): Promise<DeleteItem[]> {
  return api.json({ method: 'DELETE', path: i(name), query: { force: q.force || undefined, noprune: q.noprune || undefined } });
}

export async function imageTag(api: ApiClient, name: string, repo: string, tag: string | undefined): Promise<void> {
  await api.json({ method: 'POST', path: `${i(name)}/tag`, query: { repo, tag } });
}

export function imageHistory(api: ApiClient, name: string): Promise<HistoryItem[]> {
  return api.json({ method: 'GET', path: `${i(name)}/history` });
}

/** GET /images/get?names=…: a tar stream of one or more images. */
export function imageSave(api: ApiClient, names: string[]): Promise<StreamResponse> {
  const query = names.map((n) => `names=${encodeURIComponent(n)}`).join('&');
  return api.stream({ method: 'GET', path: `/images/get?${query}` });
}

export function imageLoad(api: ApiClient, body: NodeJS.ReadableStream, quiet: boolean): Promise<StreamResponse> {
  return api.stream({ method: 'POST', path: '/images/load', query: { quiet }, body, headers: { 'Content-Type': 'application/x-tar' } });
}

/** POST /images/create?fromSrc=-: import a filesystem tarball (body) or a URL. */
export function imageImport(
  api: ApiClient,
  q: { fromSrc: string; repo?: string; tag?: string; message?: string; changes: string[]; platform?: string },
  body: NodeJS.ReadableStream | undefined,
): Promise<StreamResponse> {
  const base: Record<string, string | undefined> = { fromSrc: q.fromSrc, repo: q.repo, tag: q.tag, message: q.message, platform: q.platform };
  let query = Object.entries(base)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`)
    .join('&');
  for (const ch of q.changes) query += `&changes=${encodeURIComponent(ch)}`;
  return api.stream({ method: 'POST', path: `/images/create?${query}`, body, headers: { 'Content-Type': 'application/x-tar' } });
}

export function imageCommit(
  api: ApiClient,
  q: { container: string; repo?: string; tag?: string; comment?: string; author?: string; pause?: boolean; changes: string[] },
): Promise<{ Id: string }> {
  let query = `container=${encodeURIComponent(q.container)}&pause=${q.pause === false ? '0' : '1'}`;
  for (const [k, v] of [['repo', q.repo], ['tag', q.tag], ['comment', q.comment], ['author', q.author]] as const) {
    if (v) query += `&${k}=${encodeURIComponent(v)}`;
  }
  for (const ch of q.changes) query += `&changes=${encodeURIComponent(ch)}`;
  return api.json({ method: 'POST', path: `/commit?${query}` });
}

export function imagePrune(api: ApiClient, filters?: string): Promise<{ ImagesDeleted: DeleteItem[] | null; SpaceReclaimed: number }> {
  return api.json({ method: 'POST', path: '/images/prune', query: { filters } });
}

/** Berth only: build an image from a host binary (busybox) or with mmdebstrap from the host's Debian mirror (debian:SUITE[-slim]). */
export function imageBootstrap(api: ApiClient, name: string, options: { mirror?: string; debug?: boolean } = {}): Promise<StreamResponse> {
  const query: Record<string, string | undefined> = { name, mirror: options.mirror || undefined, debug: options.debug ? '1' : undefined };
  return api.stream({ method: 'POST', path: '/images/bootstrap', query });
}

/** POST /images/create?fromImage=…: pull; `tag` is a tag or a digest, absent for all tags. */
export function imagePull(api: ApiClient, q: { fromImage: string; tag?: string; platform?: string }, registryAuth: string): Promise<StreamResponse> {
  return api.stream({
    method: 'POST',
    path: '/images/create',
    query: { fromImage: q.fromImage, tag: q.tag || undefined, platform: q.platform || undefined },
    headers: { 'X-Registry-Auth': registryAuth },
  });
}

/** POST /images/{name}/push?tag=…: a progress stream; no tag pushes every tag of the repository. */
export function imagePush(api: ApiClient, name: string, tag: string | undefined, registryAuth: string): Promise<StreamResponse> {
  return api.stream({ method: 'POST', path: `${i(name)}/push`, query: { tag: tag || undefined }, headers: { 'X-Registry-Auth': registryAuth } });
}

/** POST /auth: check credentials with the registry (docker login). */
export function systemAuth(api: ApiClient, auth: Record<string, string>): Promise<{ Status: string; IdentityToken?: string }> {
  return api.json({ method: 'POST', path: '/auth', body: auth });
}
