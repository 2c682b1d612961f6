/** Engine API volume shapes (v1.43 swagger `Volume`, `VolumeListResponse`, `VolumePruneResponse`); field order as dockerd writes them. */

export interface VolumeUsageData {
  Size: number;
  RefCount: number;
}

export interface Volume {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
  /** Only in `system df`. */
  UsageData?: VolumeUsageData;
}

export interface VolumeListResponse {
  Volumes: Volume[];
  Warnings: string[] | null;
}

export interface VolumePruneResponse {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}
