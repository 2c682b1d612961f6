/** The prune call shared by `volume prune` and `system prune --volumes`: docker's "Deleted Volumes:" block and the space reclaimed. */
import type { ApiClient } from '../../../client/api-client.ts';
import { volumePrune } from '../../../client/volumes.ts';

export async function pruneVolumes(api: ApiClient, filters: string | undefined): Promise<{ output: string; spaceReclaimed: number }> {
  const report = await volumePrune(api, filters);
  const deleted = report.VolumesDeleted ?? [];
  if (deleted.length === 0) return { output: '', spaceReclaimed: 0 };
  return { output: `Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}`, spaceReclaimed: report.SpaceReclaimed };
}
