/**
 * The canonical compose model: what the loader returns once every file is
 * parsed, interpolated, merged, validated and normalised. Field names are the
 * compose specification's own (snake_case), as compose-go's types use them in
 * YAML, so the model prints as `docker compose config` prints it and a reader
 * can look every field up in the specification. Every short syntax has been
 * turned into its long form; paths are absolute; durations and sizes are
 * numbers (nanoseconds, bytes). Fields the loader does not interpret are kept
 * as the file gave them (typed `unknown`).
 */

/** Nanoseconds (Go's time.Duration). */
export type Nanoseconds = number;
/** Bytes (compose-go's UnitBytes). */
export type Bytes = number;

export interface Project {
  name: string;
  /** The project directory: relative paths in the files were resolved against it. */
  working_dir: string;
  /** The compose files, absolute (`-` for stdin), in load order. */
  compose_files: string[];
  /** The variables interpolation used (process environment, then .env / --env-file). */
  environment: Record<string, string>;
  services: Record<string, ServiceConfig>;
  /** Services disabled by profiles: kept for `config --profiles` and `up` of a named service. */
  disabled_services: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, FileObjectConfig>;
  configs: Record<string, FileObjectConfig>;
  /** `x-*` keys at the top level, as written. */
  extensions: Record<string, unknown>;
}

export interface ServicePort {
  name?: string;
  mode: string;
  host_ip?: string;
  target: number;
  /** A port or a range ("8080", "8000-8010"); absent: an ephemeral host port. */
  published?: string;
  protocol: string;
  app_protocol?: string;
}

export interface ServiceVolume {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Absolute host path (bind), volume key (volume; absent when anonymous). */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: string; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string> };
  tmpfs?: { size?: Bytes; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  restart: boolean;
  required: boolean;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  priority?: number;
  gw_priority?: number;
  interface_name?: string;
  driver_opts?: Record<string, string>;
}

/** A service's use of a secret or config. */
export interface FileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface Healthcheck {
  test?: string[];
  timeout?: Nanoseconds;
  interval?: Nanoseconds;
  retries?: number;
  start_period?: Nanoseconds;
  start_interval?: Nanoseconds;
  disable?: boolean;
}

export interface Ulimit {
  single?: number;
  soft?: number;
  hard?: number;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  labels?: Record<string, string>;
  target?: string;
  network?: string;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  pull?: boolean;
  tags?: string[];
  platforms?: string[];
  extra_hosts?: string[];
  shm_size?: Bytes;
  additional_contexts?: Record<string, string>;
  [key: string]: unknown;
}

export interface ResourceSpec {
  cpus?: number;
  memory?: Bytes;
  pids?: number;
  devices?: unknown[];
  generic_resources?: unknown[];
}

export interface DeployConfig {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  resources?: { limits?: ResourceSpec; reservations?: ResourceSpec };
  restart_policy?: { condition?: string; delay?: Nanoseconds; max_attempts?: number; window?: Nanoseconds };
  [key: string]: unknown;
}

export interface ServiceConfig {
  name: string;
  profiles?: string[];
  build?: BuildConfig;
  cap_add?: string[];
  cap_drop?: string[];
  /** null: `command: []`/reset — explicitly none. */
  command?: string[] | null;
  configs?: FileReference[];
  container_name?: string;
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  entrypoint?: string[] | null;
  /** null value: declared without a value and not set in the environment (unset in the container). */
  environment?: Record<string, string | null>;
  expose?: string[];
  /** `host=ip` entries, sorted, as compose-go renders them. */
  extra_hosts?: string[];
  healthcheck?: Healthcheck;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  labels?: Record<string, string>;
  links?: string[];
  logging?: { driver?: string; options?: Record<string, string> };
  mem_limit?: Bytes;
  mem_reservation?: Bytes;
  memswap_limit?: Bytes;
  network_mode?: string;
  /** null value: attached with no options (compose prints `default: null`). */
  networks?: Record<string, ServiceNetwork | null>;
  pid?: string;
  ports?: ServicePort[];
  privileged?: boolean;
  pull_policy?: string;
  read_only?: boolean;
  restart?: string;
  scale?: number;
  secrets?: FileReference[];
  shm_size?: Bytes;
  stdin_open?: boolean;
  stop_grace_period?: Nanoseconds;
  stop_signal?: string;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, Ulimit>;
  user?: string;
  volumes?: ServiceVolume[];
  volumes_from?: string[];
  working_dir?: string;
  /** Every other key (and `x-*` extensions), as written after interpolation. */
  [key: string]: unknown;
}

export interface IpamConfig {
  driver?: string;
  config?: { subnet?: string; gateway?: string; ip_range?: string; aux_addresses?: Record<string, string> }[];
  options?: Record<string, string>;
}

export interface NetworkConfig {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: IpamConfig;
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  [key: string]: unknown;
}

export interface VolumeConfig {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

/** A top-level secret or config: one of file, environment, content (or external). */
export interface FileObjectConfig {
  name: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
  [key: string]: unknown;
}
