/**
 * Image data structures: the OCI image config (config.md) with Docker's
 * extra fields (what `docker save` and registries carry), manifests (manifest.md),
 * indexes (image-index.md) and descriptors (descriptor.md). JSON field names are
 * the specs'; types only.
 */
import type { DiffId, Digest } from './digest.ts';

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

/**
 * The container configuration inside an image config. OCI names a subset;
 * Docker writes the full container Config (PascalCase) here, and we keep it
 * verbatim so inspect shows what Docker shows.
 */
export interface ImageRunConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: Record<string, unknown>;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  MacAddress?: string;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[];
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  'os.version'?: string;
  variant?: string;
  config?: ImageRunConfig;
  rootfs: { type: 'layers'; diff_ids: DiffId[] };
  history?: HistoryEntry[];
  // Docker's own fields (image/image.go V1Image), kept for inspect.
  id?: string;
  parent?: string;
  comment?: string;
  container?: string;
  container_config?: ImageRunConfig;
  docker_version?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** One entry of `manifest.json` in a `docker save` tarball. */
export interface DockerArchiveManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
  Parent?: string;
  LayerSources?: Record<string, Descriptor>;
}
