/**
 * The canonical model printed as `docker compose config` prints it:
 * compose-go's struct field order (YAML and JSON), mappings sorted by key,
 * durations as Go prints them ("1m30s"), sizes as byte counts in strings,
 * `x-*` extensions after the fields; JSON as Go's json.MarshalIndent (top
 * level keys sorted, HTML characters escaped).
 */
import { Document, Scalar } from 'yaml';
import type { Project } from './model.ts';
import { formatDuration } from './units.ts';

type Order = { keys: string[]; sub?: Record<string, Shape> };
/** How to print a value: a struct (ordered keys), a map of one shape, a list of one shape, or a leaf conversion. */
type Shape = Order | { map: Shape } | { list: Shape } | 'duration' | 'bytes' | 'mode' | 'ulimit' | 'any';

const DEP: Order = { keys: ['condition', 'restart', 'required'] };
const RESOURCE: Order = { keys: ['cpus', 'memory', 'pids', 'devices', 'generic_resources'], sub: { memory: 'bytes' } };
const BUILD: Order = {
  keys: ['context', 'dockerfile', 'dockerfile_inline', 'entitlements', 'args', 'provenance', 'sbom', 'ssh', 'labels', 'cache_from', 'cache_to', 'no_cache', 'no_cache_filter', 'additional_contexts', 'pull', 'extra_hosts', 'isolation', 'network', 'target', 'secrets', 'shm_size', 'tags', 'ulimits', 'platforms', 'privileged'],
  sub: { shm_size: 'bytes', ulimits: { map: 'ulimit' } },
};
const FILE_REF: Order = { keys: ['source', 'target', 'uid', 'gid', 'mode'], sub: { mode: 'mode' } };
const SERVICE: Order = {
  keys: [
    'profiles', 'annotations', 'attach', 'build', 'develop', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup_parent', 'cgroup', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota',
    'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpuset', 'cpu_shares', 'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'deploy', 'device_cgroup_rules', 'devices',
    'dns', 'dns_opt', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'provider', 'environment', 'env_file', 'expose', 'extends', 'external_links', 'extra_hosts', 'group_add', 'gpus',
    'hostname', 'healthcheck', 'image', 'init', 'ipc', 'isolation', 'labels', 'label_file', 'links', 'logging', 'log_driver', 'log_opt', 'mem_limit', 'mem_reservation', 'memswap_limit',
    'mem_swappiness', 'mac_address', 'models', 'net', 'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'privileged', 'pull_policy',
    'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits',
    'use_api_socket', 'user', 'userns_mode', 'uts', 'volume_driver', 'volumes', 'volumes_from', 'working_dir', 'pre_start', 'post_start', 'pre_stop',
  ],
  sub: {
    build: BUILD,
    configs: { list: FILE_REF },
    secrets: { list: FILE_REF },
    depends_on: { map: DEP },
    deploy: {
      keys: ['mode', 'replicas', 'labels', 'update_config', 'rollback_config', 'resources', 'restart_policy', 'placement', 'endpoint_mode'],
      sub: {
        resources: { keys: ['limits', 'reservations'], sub: { limits: RESOURCE, reservations: RESOURCE } },
        restart_policy: { keys: ['condition', 'delay', 'max_attempts', 'window'], sub: { delay: 'duration', window: 'duration' } },
        update_config: { keys: ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'], sub: { delay: 'duration', monitor: 'duration' } },
        rollback_config: { keys: ['parallelism', 'delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'], sub: { delay: 'duration', monitor: 'duration' } },
      },
    },
    healthcheck: {
      keys: ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'],
      sub: { timeout: 'duration', interval: 'duration', start_period: 'duration', start_interval: 'duration' },
    },
    logging: { keys: ['driver', 'options'] },
    mem_limit: 'bytes',
    mem_reservation: 'bytes',
    memswap_limit: 'bytes',
    shm_size: 'bytes',
    stop_grace_period: 'duration',
    networks: { map: { keys: ['aliases', 'driver_opts', 'gw_priority', 'interface_name', 'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority'] } },
    ports: { list: { keys: ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'] } },
    ulimits: { map: 'ulimit' },
    volumes: {
      list: {
        keys: ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'],
        sub: {
          bind: { keys: ['selinux', 'propagation', 'create_host_path', 'recursive'] },
          volume: { keys: ['labels', 'nocopy', 'subpath'] },
          tmpfs: { keys: ['size', 'mode'], sub: { size: 'bytes', mode: 'mode' } },
        },
      },
    },
  },
};
const NETWORK: Order = {
  keys: ['name', 'driver', 'driver_opts', 'ipam', 'external', 'internal', 'attachable', 'labels', 'enable_ipv4', 'enable_ipv6'],
  sub: { ipam: { keys: ['driver', 'config', 'options'], sub: { config: { list: { keys: ['subnet', 'gateway', 'ip_range', 'aux_addresses'] } } } } },
};
const VOLUME: Order = { keys: ['name', 'driver', 'driver_opts', 'external', 'labels'] };
const FILE_OBJECT: Order = { keys: ['name', 'file', 'environment', 'content', 'external', 'labels', 'driver', 'driver_opts', 'template_driver'] };

/** compose-go's fields that are pointers: a zero value is still printed. */
const POINTERS = new Set(['attach', 'init', 'scale', 'replicas', 'parallelism', 'max_attempts', 'enable_ipv4', 'enable_ipv6', 'retries']);

/** Go's omitempty: false, 0, "", empty lists and maps are left out (`required` of depends_on has no omitempty). */
function isEmpty(key: string, v: unknown): boolean {
  if (key === 'required' || POINTERS.has(key)) return false;
  if (v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Fields that are Go maps (an empty one is omitted), as opposed to struct pointers (printed `{}`). */
const MAPS = new Set(['environment', 'labels', 'annotations', 'sysctls', 'networks', 'depends_on', 'ulimits', 'driver_opts', 'args', 'additional_contexts', 'options', 'storage_opt', 'aux_addresses']);

/** Build an ordered tree of Maps (insertion order kept, even for numeric keys). */
function shape(value: unknown, s: Shape): unknown {
  if (value === undefined) return undefined;
  if (s === 'duration') return typeof value === 'number' ? formatDuration(value) : value;
  if (s === 'bytes') return typeof value === 'number' ? String(value) : value;
  if (s === 'mode') return typeof value === 'number' ? `0${value.toString(8)}` : value;
  if (s === 'ulimit') {
    const u = value as { single?: number; soft?: number; hard?: number };
    return u.single !== undefined ? u.single : new Map([['soft', u.soft ?? 0], ['hard', u.hard ?? 0]]);
  }
  if (s === 'any') return plain(value);
  if ('list' in s) return Array.isArray(value) ? value.map((v) => shape(v, s.list)) : plain(value);
  if ('map' in s) {
    if (value === null || typeof value !== 'object') return value;
    return new Map(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k], s.map)]));
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out = new Map<string, unknown>();
  const known = new Set(s.keys);
  const put = (k: string, v: unknown) => {
    if (v !== undefined && !isEmpty(k, v)) out.set(k, v);
  };
  for (const k of s.keys) {
    if (!(k in obj)) continue;
    const v = shape(obj[k], s.sub?.[k] ?? 'any');
    if (MAPS.has(k) && v instanceof Map && v.size === 0) continue;
    put(k, v);
  }
  // A service's `name` is its key, not part of its YAML (compose-go's ServiceConfig.MarshalYAML).
  const rest = Object.keys(obj).filter((k) => !known.has(k) && k !== 'name').sort();
  for (const k of rest) put(k, plain(obj[k]));
  return out;
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !(value instanceof Map)) {
    return new Map(Object.keys(value).sort().map((k) => [k, plain((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function sortedMap<T>(rec: Record<string, T>, s: Shape): Map<string, unknown> {
  return new Map(Object.keys(rec).sort().map((k) => [k, shape(rec[k], s)]));
}

/** The project as one ordered tree (Maps), before YAML or JSON encoding; JSON has no service-level `x-*` (compose-go's `json:"-"`). */
export function projectTree(p: Project, forJson = false): Map<string, unknown> {
  const out = new Map<string, unknown>();
  out.set('name', p.name);
  const services = sortedMap(p.services, SERVICE);
  if (forJson) for (const s of services.values()) if (s instanceof Map) for (const k of [...s.keys()]) if (k.startsWith('x-')) s.delete(k);
  out.set('services', services);
  if (Object.keys(p.networks).length > 0) out.set('networks', sortedMap(p.networks, NETWORK));
  if (Object.keys(p.volumes).length > 0) out.set('volumes', sortedMap(p.volumes, VOLUME));
  // A secret's content is never printed (compose-go's SecretConfig.MarshalYAML).
  const secrets = Object.fromEntries(Object.entries(p.secrets).map(([k, v]) => [k, { ...v, content: undefined }]));
  if (Object.keys(secrets).length > 0) out.set('secrets', sortedMap(secrets, FILE_OBJECT));
  if (Object.keys(p.configs).length > 0) out.set('configs', sortedMap(p.configs, FILE_OBJECT));
  for (const k of Object.keys(p.extensions).sort()) out.set(k, plain(p.extensions[k]));
  return out;
}

/**
 * Strings a YAML 1.1 reader would take for another type (numbers, yes/no/on/off,
 * null, timestamps): go-yaml writes these double-quoted, and other strings
 * that cannot be plain single-quoted.
 */
const NOT_A_STRING = [
  // strconv.ParseInt(s, 0, 64): decimal, 0x, 0o, 0b, leading-0 octal, underscores between digits
  /^[-+]?(0|[1-9](_?[0-9])*|0[xX](_?[0-9a-fA-F])+|0[oO]?(_?[0-7])+|0[bB](_?[01])+)$/,
  // go-yaml's yamlStyleFloat, and the special floats
  /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  // booleans, YAML 1.1's too (isOldBool), and base-60 floats (isBase60Float)
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^(~|null|Null|NULL)$/,
  // timestamps go-yaml would resolve
  /^\d{4}-\d\d?-\d\d?([Tt ]\d\d?:\d\d?:\d\d?(\.\d*)?(Z|[-+]\d\d:\d\d)?)?$/,
];

function goStyle(v: unknown): unknown {
  if (typeof v === 'string') {
    if (v === '' || (!v.includes('\n') && NOT_A_STRING.some((re) => re.test(v)))) {
      const s = new Scalar(v);
      s.type = Scalar.QUOTE_DOUBLE;
      return s;
    }
    return v;
  }
  if (v instanceof Map) return new Map([...v.entries()].map(([k, e]) => [goStyle(k), goStyle(e)]));
  if (Array.isArray(v)) return v.map(goStyle);
  return v;
}

export function formatYaml(tree: unknown): string {
  const doc = new Document(goStyle(tree), { keepUndefined: false });
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', nullStr: 'null', singleQuote: true });
}

/** Go's json.MarshalIndent(v, "", "  ") of the tree: Maps as objects, HTML characters escaped. */
export function formatJson(tree: unknown, topSorted = true): string {
  // JSON.stringify would put integer-like keys first; build the text by hand to keep the order.
  const enc = (v: unknown, indent: string): string => {
    if (v instanceof Map) {
      if (v.size === 0) return '{}';
      const inner = indent + '  ';
      return `{\n${[...v.entries()].map(([k, e]) => `${inner}${str(String(k))}: ${enc(e, inner)}`).join(',\n')}\n${indent}}`;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const inner = indent + '  ';
      return `[\n${v.map((e) => `${inner}${enc(e, inner)}`).join(',\n')}\n${indent}]`;
    }
    if (typeof v === 'string') return str(v);
    return JSON.stringify(v ?? null);
  };
  const str = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const sortTop = (t: unknown) => (t instanceof Map && topSorted ? new Map([...t.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : t);
  return enc(sortTop(tree), '');
}

/** A plain tree with every mapping sorted by key (Go's map encoding), for `config --no-interpolate`. */
export function rawTree(model: Record<string, unknown>): unknown {
  return plain(model);
}
