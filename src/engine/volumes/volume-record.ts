/** A volume's record and the request that creates one (the contract's types, re-exported by volume-service.ts). */

/** A volume as berthd stores it. */
export interface VolumeRecord {
  name: string;
  driver: 'local';
  /** RFC 3339, whole seconds, as dockerd shows `CreatedAt`. */
  createdAt: string;
  /** null when none were given (dockerd shows `"Labels": null` for an anonymous volume). */
  labels: Record<string, string> | null;
  /** The driver options (`-o`), null when none. */
  options: Record<string, string> | null;
}

export interface VolumeCreateRequest {
  /** Empty or absent: an anonymous volume with a 64-hex name. */
  name?: string;
  /** '' or 'local'; anything else is refused (404 as dockerd: plugin not found). */
  driver?: string;
  driverOpts?: Record<string, string> | null;
  labels?: Record<string, string> | null;
  /** Created for a container's anonymous mount: labelled `com.docker.volume.anonymous=""` (prune's default set, API ≥ 1.42). */
  anonymous?: boolean;
}

