/** Build wire types (swagger definitions BuildCache, BuildPruneResponse). */

/** A build-cache record in `GET /system/df` (API 1.42+: `Parents`; before: `Parent`). */
export interface BuildCache {
  ID: string;
  Parents: string[] | null;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

export interface BuildPruneResponse {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}
