/**
 * The daemon's configuration file (daemon.json), read as dockerd reads it:
 * a JSON object whose keys are dockerd's flag names. Keys dockerd knows but
 * Berth does not act on are accepted; a key dockerd does not know is an
 * error naming it, as dockerd refuses to start on one. The settings that
 * shape containers become `ContainerDefaults`.
 */
import { readFileSync } from 'node:fs';
import type { Ulimit } from '../wire/container-config.ts';
import { ramInBytes } from '../util/size.ts';
import { LOG_DRIVERS, validateLogOptions } from './containers/create.ts';
import type { NetworkSettings } from './network/network-defaults.ts';
import { parseMirrors } from '../registry/client/endpoints.ts';

/** The network keys (`bridge`, `bip`, `default-address-pools`, …) are checked by network-defaults.ts. */
export interface DaemonConfig extends NetworkSettings {
  hosts?: string[];
  'data-root'?: string;
  'exec-root'?: string;
  /** The unix socket's group (`-G/--group`). */
  group?: string;
  pidfile?: string;
  'log-level'?: string;
  debug?: boolean;
  tls?: boolean;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  'log-driver'?: string;
  'log-opts'?: Record<string, string>;
  'default-ulimits'?: Record<string, { Name?: string; Soft?: number; Hard?: number }>;
  'default-shm-size'?: string;
  'no-new-privileges'?: boolean;
  'seccomp-profile'?: string;
  'insecure-registries'?: string[];
  /** URLs (docker.io's mirrors, as dockerd) and, beyond dockerd, `HOST=URL` (a mirror of any registry). */
  'registry-mirrors'?: string[];
  'max-concurrent-downloads'?: number;
}

/** What the daemon's configuration gives every container that does not say otherwise. */
export interface ContainerDefaults {
  logConfig?: { Type: string; Config: Record<string, string> };
  ulimits?: Ulimit[];
  shmSize?: number;
  noNewPrivileges?: boolean;
  /** The text of the default seccomp profile (Docker's JSON format). */
  seccompProfile?: string;
}

/** Keys Berth acts on. */
const USED = new Set([
  'hosts', 'data-root', 'exec-root', 'group', 'pidfile', 'log-level', 'debug', 'tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey',
  'log-driver', 'log-opts', 'default-ulimits', 'default-shm-size', 'no-new-privileges', 'seccomp-profile',
  'insecure-registries', 'registry-mirrors', 'max-concurrent-downloads',
  'bridge', 'bip', 'default-address-pools', 'ip-forward', 'iptables', 'dns', 'dns-search', 'dns-opts', 'host-gateway-ip',
]);

/** dockerd's other keys: accepted, with no effect here. */
const KNOWN = new Set([
  'allow-nondistributable-artifacts', 'api-cors-header', 'authorization-plugins', 'builder', 'cgroup-parent',
  'containerd', 'containerd-namespace', 'containerd-plugins-namespace', 'cpu-rt-period', 'cpu-rt-runtime', 'cri-containerd',
  'default-cgroupns-mode', 'default-gateway', 'default-gateway-v6', 'default-ipc-mode', 'default-network-opts',
  'default-runtime', 'exec-opts', 'experimental', 'features', 'fixed-cidr', 'fixed-cidr-v6',
  'icc', 'init', 'init-path', 'ip', 'ip-masq', 'ip6tables', 'ipv6', 'labels', 'live-restore', 'log-format', 'max-concurrent-uploads', 'max-download-attempts',
  'metrics-addr', 'mtu', 'node-generic-resources', 'oom-score-adjust', 'proxies', 'raw-logs', 'runtimes',
  'selinux-enabled', 'shutdown-timeout', 'storage-driver', 'storage-opts', 'swarm-default-advertise-addr', 'userland-proxy',
  'userland-proxy-path', 'userns-remap',
]);

/** Read and check a daemon.json; `explicit` when the user named the file (then it must exist). */
export function readDaemonConfig(file: string, explicit: boolean): DaemonConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`unable to configure the daemon with file ${file}: open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
  return parseDaemonConfig(text, file);
}

export function parseDaemonConfig(text: string, file: string): DaemonConfig {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new Error(`unable to configure the daemon with file ${file}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`unable to configure the daemon with file ${file}: the configuration must be a JSON object`);
  }
  const unknown = Object.keys(value).filter((k) => !USED.has(k) && !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new Error(`unable to configure the daemon with file ${file}: the following directives don't match any configuration option: ${unknown.join(', ')}`);
  }
  return value as DaemonConfig;
}

/** The container defaults a configuration sets, checked (an error names the bad setting). */
export function containerDefaults(config: DaemonConfig): ContainerDefaults {
  const defaults: ContainerDefaults = {};
  if (config['log-driver'] !== undefined || config['log-opts'] !== undefined) {
    const type = config['log-driver'] ?? 'json-file';
    if (!LOG_DRIVERS.has(type)) throw new Error(`failed to set log opts: error looking up logging plugin ${type}: plugin "${type}" not found`);
    const opts = config['log-opts'] ?? {};
    try {
      validateLogOptions(type, opts);
    } catch (err) {
      throw new Error(`failed to set log opts: ${(err as Error).message}`);
    }
    defaults.logConfig = { Type: type, Config: { ...opts } };
  }
  if (config['default-ulimits']) {
    defaults.ulimits = Object.entries(config['default-ulimits']).map(([name, u]) => ({ Name: u.Name ?? name, Soft: u.Soft ?? 0, Hard: u.Hard ?? 0 }));
  }
  if (config['default-shm-size'] !== undefined) {
    try {
      defaults.shmSize = ramInBytes(config['default-shm-size']);
    } catch (err) {
      throw new Error(`default-shm-size: ${(err as Error).message}`);
    }
  }
  if (config['no-new-privileges']) defaults.noNewPrivileges = true;
  const profile = config['seccomp-profile'];
  if (profile && profile !== 'builtin') {
    try {
      defaults.seccompProfile = profile === 'unconfined' ? 'unconfined' : readFileSync(profile, 'utf8');
    } catch (err) {
      throw new Error(`opening seccomp profile (${profile}) failed: ${(err as Error).message}`);
    }
  }
  return defaults;
}

/** The registry settings (daemon.json merged with the flags, which add to its lists as dockerd's do), checked. */
export function distributionConfig(
  config: DaemonConfig,
  flags: { 'insecure-registry'?: string[]; 'registry-mirror'?: string[]; 'max-concurrent-downloads'?: string },
): { insecureRegistries: string[]; registryMirrors: string[]; maxConcurrentDownloads?: number } {
  const list = (v: unknown, key: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${key} must be a list of strings`);
    return v as string[];
  };
  const registryMirrors = [...list(config['registry-mirrors'], 'registry-mirrors'), ...(flags['registry-mirror'] ?? [])];
  parseMirrors(registryMirrors); // throws "invalid mirror: …"
  const out: { insecureRegistries: string[]; registryMirrors: string[]; maxConcurrentDownloads?: number } = {
    insecureRegistries: [...list(config['insecure-registries'], 'insecure-registries'), ...(flags['insecure-registry'] ?? [])],
    registryMirrors,
  };
  const n = flags['max-concurrent-downloads'] !== undefined ? Number(flags['max-concurrent-downloads']) : config['max-concurrent-downloads'];
  if (n !== undefined) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`invalid max concurrent downloads: ${n}`);
    out.maxConcurrentDownloads = n;
  }
  return out;
}
