/** Volume routes of the Engine API (swagger tag "Volume"). */
import type { ApiClient } from './api-client.ts';
import { readAll } from './api-client.ts';
import type { Volume, VolumeListResponse, VolumePruneResponse } from '../wire/volume.ts';

const v = (name: string) => `/volumes/${encodeURIComponent(name)}`;

/** POST /volumes/create's body as the docker CLI sends it (maps always present, possibly empty). */
export interface VolumeCreateBody {
  Name: string;
  Driver: string;
  DriverOpts: Record<string, string>;
  Labels: Record<string, string>;
}

export function volumeCreate(api: ApiClient, body: VolumeCreateBody): Promise<Volume> {
  return api.json({ method: 'POST', path: '/volumes/create', body });
}

export function volumeList(api: ApiClient, filters?: string): Promise<VolumeListResponse> {
  return api.json({ method: 'GET', path: '/volumes', query: { filters } });
}

/** GET /volumes/{name}: the daemon's JSON verbatim (inspect prints it as it came). */
export async function volumeInspectRaw(api: ApiClient, name: string): Promise<string> {
  const res = await api.stream({ method: 'GET', path: v(name) });
  return (await readAll(res)).toString('utf8');
}

export async function volumeRemove(api: ApiClient, name: string, force: boolean): Promise<void> {
  await api.json({ method: 'DELETE', path: v(name), query: { force: force ? '1' : undefined } });
}

export function volumePrune(api: ApiClient, filters?: string): Promise<VolumePruneResponse & { VolumesDeleted: string[] | null }> {
  return api.json({ method: 'POST', path: '/volumes/prune', query: { filters } });
}
