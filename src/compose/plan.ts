/**
 * The pure half of `compose up`: a service of the canonical project (see
 * load/model.ts) → the POST /containers/create body Docker Compose v2 sends
 * for it, the networks it joins after create, and the config hash that
 * tells an unchanged service (left alone) from a changed one (recreated).
 * Networks and volumes → their create bodies. No I/O: what the daemon knows
 * (image IDs, the container a `network_mode: service:x` joins, anonymous
 * volumes of the container being replaced) comes in as arguments.
 */
import { createHash } from 'node:crypto';
import type { NetworkConfig, Project, ServiceConfig, ServiceNetwork, ServiceVolume, VolumeConfig } from './load/model.ts';
import * as L from './labels.ts';

type Dict = Record<string, unknown>;

export interface ContainerPlanInput {
  project: Project;
  service: ServiceConfig;
  number: number;
  /** A one-off (`run`) container: its name, and no config hash. */
  oneoff?: { name: string };
  /** The image's ID, for com.docker.compose.image. */
  imageId?: string;
  /** `network_mode: service:x`: the container ID of x's first container. */
  serviceContainer?: (service: string) => string | undefined;
  /** Anonymous volumes of the container being replaced, by target: kept across a recreate, as Compose does. */
  inheritedVolumes?: Record<string, string>;
  /** Extra environment (`run -e`), command override (`run svc cmd`). */
  env?: string[];
  command?: string[];
  /** `run` without --service-ports publishes nothing. */
  noPorts?: boolean;
  /** The names of the containers of a linked service (`links: [svc:alias]`), for Compose's links. */
  linkedContainers?: (service: string) => string[];
}

export interface ContainerPlan {
  name: string;
  body: Dict;
  /** Networks joined after create (API < 1.44 takes one endpoint at create). */
  connect: { network: string; endpoint: Dict }[];
}

/**
 * Compose's ServiceHash: the service's configuration without what may
 * change without recreating it (build, pull policy, scale/replicas,
 * profiles, dependencies), hashed. Key order is normalised so the hash does
 * not depend on how the file was written.
 */
export function configHash(service: ServiceConfig): string {
  const o: Dict = { ...service };
  for (const k of ['build', 'pull_policy', 'scale', 'profiles', 'depends_on']) delete o[k];
  if (o['deploy'] && typeof o['deploy'] === 'object') {
    const d = { ...(o['deploy'] as Dict) };
    delete d['replicas'];
    o['deploy'] = d;
  }
  return createHash('sha256').update(stableJson(o)).digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as Dict).filter((k) => (v as Dict)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as Dict)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The replicas `up` runs: scale, else deploy.replicas, else 1. */
export function serviceScale(service: ServiceConfig): number {
  return service.scale ?? service.deploy?.replicas ?? 1;
}

/** A service's networks in Compose's order: priority (highest first), then name. */
export function serviceNetworks(project: Project, service: ServiceConfig): [string, ServiceNetwork | null][] {
  if (service.network_mode) return [];
  const nets = Object.entries(service.networks ?? { default: null });
  return nets.sort(([a, ca], [b, cb]) => (cb?.priority ?? 0) - (ca?.priority ?? 0) || a.localeCompare(b)).filter(([k]) => project.networks[k] !== undefined || k === 'default');
}

export function networkName(project: Project, key: string): string {
  return project.networks[key]?.name ?? `${project.name}_${key}`;
}

export function volumeName(project: Project, key: string): string {
  return project.volumes[key]?.name ?? `${project.name}_${key}`;
}

/** Compose's engine names for `restart` and deploy.restart_policy's conditions. */
function restartName(condition: string): string {
  if (condition === 'none' || condition === 'no') return 'no';
  if (condition === 'any' || condition === 'always') return 'always';
  return condition;
}

/**
 * Compose's getRestartPolicy: `restart: name[:n]`, overridden by deploy.restart_policy; neither set
 * sends Go's zero value ({Name: "", MaximumRetryCount: 0}), which the engine reads as "no".
 */
function restartPolicy(s: ServiceConfig): Dict {
  let policy: Dict = { Name: '', MaximumRetryCount: 0 };
  if (s.restart) {
    const [name = '', max] = s.restart.split(':');
    policy = { Name: restartName(name), MaximumRetryCount: Number.parseInt(max ?? '0', 10) || 0 };
  }
  const p = s.deploy?.restart_policy;
  if (p) policy = { Name: restartName(p.condition ?? ''), MaximumRetryCount: p.max_attempts ?? 0 };
  return policy;
}

function healthcheck(s: ServiceConfig): Dict | undefined {
  const h = s.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  const out: Dict = {};
  if (h.test) out['Test'] = h.test;
  if (h.interval !== undefined) out['Interval'] = h.interval;
  if (h.timeout !== undefined) out['Timeout'] = h.timeout;
  if (h.start_period !== undefined) out['StartPeriod'] = h.start_period;
  if (h.start_interval !== undefined) out['StartInterval'] = h.start_interval;
  if (h.retries !== undefined) out['Retries'] = h.retries;
  return out;
}

function environment(s: ServiceConfig, extra: string[] = []): string[] {
  const env = s.environment ?? {};
  const out = Object.keys(env)
    .sort()
    .map((k) => (env[k] === null ? k : `${k}=${env[k]}`));
  return [...out, ...extra];
}

function ports(s: ServiceConfig): { exposed: Dict; bindings: Record<string, Dict[]> } {
  const exposed: Dict = {};
  const bindings: Record<string, Dict[]> = {};
  for (const e of s.expose ?? []) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  for (const p of s.ports ?? []) {
    const key = `${p.target}/${p.protocol || 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  return { exposed, bindings };
}

/** Volumes, tmpfs, secrets and configs → Binds (plain binds and volumes, as Compose sends them) and Mounts. */
function mounts(input: ContainerPlanInput): { binds: string[]; mounts: Dict[]; tmpfs: Record<string, string> | undefined } {
  const { project, service: s } = input;
  const binds: string[] = [];
  const out: Dict[] = [];
  const bindString = (src: string, v: ServiceVolume, opts: string[]) => {
    if (v.read_only) opts.unshift('ro');
    return `${src}:${v.target}${opts.length ? `:${opts.join(',')}` : ''}`;
  };
  for (const v of s.volumes ?? []) {
    if (v.type === 'bind' && v.source) {
      const opts: string[] = [];
      if (v.bind?.propagation) opts.push(v.bind.propagation);
      if (v.bind?.selinux) opts.push(v.bind.selinux);
      if (v.bind?.create_host_path === false || v.bind?.recursive) {
        out.push({ Type: 'bind', Source: v.source, Target: v.target, ReadOnly: v.read_only ?? false, BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined });
      } else binds.push(bindString(v.source, v, opts));
    } else if (v.type === 'volume' && v.source) {
      const name = volumeName(project, v.source);
      if (v.volume?.subpath || v.volume?.labels) {
        out.push({ Type: 'volume', Source: name, Target: v.target, ReadOnly: v.read_only ?? false, VolumeOptions: { NoCopy: v.volume?.nocopy ?? false, Subpath: v.volume?.subpath, Labels: v.volume?.labels } });
      } else binds.push(bindString(name, v, v.volume?.nocopy ? ['nocopy'] : []));
    } else if (v.type === 'volume') {
      const kept = input.inheritedVolumes?.[v.target];
      out.push({ Type: 'volume', Source: kept, Target: v.target, ReadOnly: v.read_only ?? false, VolumeOptions: v.volume?.nocopy ? { NoCopy: true } : undefined });
    } else if (v.type === 'tmpfs') {
      out.push({ Type: 'tmpfs', Target: v.target, ReadOnly: v.read_only ?? false, TmpfsOptions: v.tmpfs ? { SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode } : undefined });
    }
  }
  // Secrets and configs from files: read-only binds of the file (Compose v2 for non-swarm engines).
  const files = (refs: typeof s.secrets, kind: 'secrets' | 'configs') => {
    for (const r of refs ?? []) {
      const def = project[kind][r.source];
      if (!def?.file) continue;
      const target = r.target ? (r.target.startsWith('/') ? r.target : kind === 'secrets' ? `/run/secrets/${r.target}` : `/${r.target}`) : kind === 'secrets' ? `/run/secrets/${r.source}` : `/${r.source}`;
      out.push({ Type: 'bind', Source: def.file, Target: target, ReadOnly: true });
    }
  };
  files(s.secrets, 'secrets');
  files(s.configs, 'configs');
  let tmpfs: Record<string, string> | undefined;
  for (const t of s.tmpfs ?? []) {
    const i = t.indexOf(':');
    (tmpfs ??= {})[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  return { binds, mounts: out.map(dropUndefined), tmpfs };
}

function dropUndefined<T extends Dict>(o: T): T {
  for (const k of Object.keys(o)) {
    if (o[k] === undefined) delete o[k];
    else if (o[k] && typeof o[k] === 'object' && !Array.isArray(o[k])) dropUndefined(o[k] as Dict);
  }
  return o;
}

function resources(s: ServiceConfig): Dict {
  const lim = s.deploy?.resources?.limits;
  const res = s.deploy?.resources?.reservations;
  const r: Dict = {};
  const memory = lim?.memory ?? s.mem_limit;
  if (memory) r['Memory'] = memory;
  const cpus = lim?.cpus ?? (s['cpus'] as number | undefined);
  if (cpus) r['NanoCpus'] = Math.round(cpus * 1e9);
  const pids = lim?.pids ?? (s['pids_limit'] as number | undefined);
  if (pids) r['PidsLimit'] = pids;
  const reservation = res?.memory ?? s.mem_reservation;
  if (reservation) r['MemoryReservation'] = reservation;
  if (s.memswap_limit) r['MemorySwap'] = s.memswap_limit;
  if (s['cpu_shares'] !== undefined) r['CpuShares'] = Number(s['cpu_shares']);
  if (s['cpuset'] !== undefined) r['CpusetCpus'] = String(s['cpuset']);
  if (s.ulimits) {
    r['Ulimits'] = Object.entries(s.ulimits)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Name, u]) => ({ Name, Soft: u.single ?? u.soft ?? 0, Hard: u.single ?? u.hard ?? 0 }));
  }
  return r;
}

/** The labels every container of the service carries. */
export function containerLabels(input: ContainerPlanInput): Record<string, string> {
  const { project, service: s } = input;
  const labels: Record<string, string> = { ...(s.labels ?? {}) };
  labels[L.PROJECT_LABEL] = project.name;
  labels[L.SERVICE_LABEL] = s.name;
  labels[L.VERSION_LABEL] = L.COMPOSE_VERSION;
  labels[L.ONEOFF_LABEL] = input.oneoff ? 'True' : 'False';
  labels[L.NUMBER_LABEL] = String(input.number);
  labels[L.WORKING_DIR_LABEL] = project.working_dir;
  labels[L.CONFIG_FILES_LABEL] = project.compose_files.join(',');
  labels[L.CONFIG_HASH_LABEL] = configHash(s);
  labels[L.DEPENDENCIES_LABEL] = Object.entries(s.depends_on ?? {})
    .map(([d, c]) => `${d}:${c.condition}:${c.restart}`)
    .join(',');
  if (input.imageId) labels[L.IMAGE_DIGEST_LABEL] = input.imageId;
  return labels;
}

function endpoint(project: Project, s: ServiceConfig, key: string, cfg: ServiceNetwork | null, name: string, oneoff: boolean): Dict {
  // Compose v2's getAliases: the container's name, then (not for one-offs) the service name and the declared aliases.
  const aliases = [name];
  if (!oneoff) aliases.push(s.name, ...(cfg?.aliases ?? []));
  const ep: Dict = { Aliases: aliases };
  if (cfg?.ipv4_address || cfg?.ipv6_address || cfg?.link_local_ips) {
    ep['IPAMConfig'] = dropUndefined({ IPv4Address: cfg.ipv4_address, IPv6Address: cfg.ipv6_address, LinkLocalIPs: cfg.link_local_ips });
  }
  if (cfg?.mac_address) ep['MacAddress'] = cfg.mac_address;
  if (cfg?.driver_opts) ep['DriverOpts'] = cfg.driver_opts;
  void project;
  void key;
  return ep;
}

function networkMode(input: ContainerPlanInput, primary: string | undefined): string {
  const mode = input.service.network_mode;
  if (mode?.startsWith('service:')) {
    const other = mode.slice('service:'.length);
    const id = input.serviceContainer?.(other);
    return `container:${id ?? other}`;
  }
  return mode ?? primary ?? 'default';
}

function namespaceMode(input: ContainerPlanInput, mode: string | undefined): string | undefined {
  if (mode?.startsWith('service:')) return `container:${input.serviceContainer?.(mode.slice(8)) ?? mode.slice(8)}`;
  return mode;
}

/** The POST /containers/create body (and the networks to connect) for container `number` of a service. */
export function planContainer(input: ContainerPlanInput): ContainerPlan {
  const { project, service: s } = input;
  const name = input.oneoff?.name ?? L.containerName(project.name, s, input.number);
  const { exposed, bindings } = input.noPorts ? { exposed: {}, bindings: {} } : ports(s);
  const m = mounts(input);
  const nets = serviceNetworks(project, s);
  const [first, ...rest] = nets;
  const labels = containerLabels(input);
  if (input.oneoff) delete labels[L.CONFIG_HASH_LABEL];
  const links = serviceLinks(input);
  const config: Dict = {
    Hostname: s.hostname,
    Domainname: s['domainname'],
    User: s.user,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Tty: s.tty ?? false,
    OpenStdin: s.stdin_open ?? false,
    StdinOnce: false,
    Env: environment(s, input.env),
    Cmd: input.command ?? s.command ?? undefined,
    Healthcheck: healthcheck(s),
    Image: L.defaultImageName(project.name, s),
    WorkingDir: s.working_dir,
    Entrypoint: s.entrypoint ?? undefined,
    MacAddress: s['mac_address'],
    Labels: labels,
    StopSignal: s.stop_signal,
    StopTimeout: s.stop_grace_period === undefined ? undefined : Math.floor(s.stop_grace_period / 1e9),
  };
  const host: Dict = {
    Binds: m.binds.length ? m.binds : undefined,
    Mounts: m.mounts.length ? m.mounts : undefined,
    NetworkMode: networkMode(input, first ? networkName(project, first[0]) : undefined),
    PortBindings: Object.keys(bindings).length ? bindings : undefined,
    RestartPolicy: restartPolicy(s),
    CapAdd: s.cap_add,
    CapDrop: s.cap_drop,
    Dns: s.dns,
    DnsOptions: s.dns_opt,
    DnsSearch: s.dns_search,
    // Compose keeps `host=ip`; the Engine API reads `host:ip`.
    ExtraHosts: s.extra_hosts?.map((h) => h.replace('=', ':')),
    GroupAdd: s['group_add'],
    IpcMode: namespaceMode(input, s.ipc),
    PidMode: namespaceMode(input, s.pid),
    Privileged: s.privileged ?? false,
    ReadonlyRootfs: s.read_only ?? false,
    SecurityOpt: s['security_opt'],
    ShmSize: s.shm_size,
    Sysctls: s.sysctls,
    Tmpfs: m.tmpfs,
    Init: s.init,
    LogConfig: s.logging ? { Type: s.logging.driver ?? '', Config: s.logging.options ?? {} } : undefined,
    // `service[:mode]` names the service's first container; `container:name[:mode]` a container.
    VolumesFrom: s.volumes_from?.map((v) => {
      if (v.startsWith('container:')) return v.slice('container:'.length);
      const [svc = '', mode] = v.split(':');
      const id = input.serviceContainer?.(svc) ?? svc;
      return mode ? `${id}:${mode}` : id;
    }),
    Links: links.length ? links : undefined,
    ...resources(s),
  };
  const body: Dict = { ...config, HostConfig: dropUndefined(host) };
  if (first) {
    const [key, cfg] = first;
    body['NetworkingConfig'] = { EndpointsConfig: { [networkName(project, key)]: withLinks(endpoint(project, s, key, cfg, name, Boolean(input.oneoff)), links) } };
  }
  return {
    name,
    body: dropUndefined(body),
    connect: rest.map(([key, cfg]) => ({ network: networkName(project, key), endpoint: withLinks(endpoint(project, s, key, cfg, name, Boolean(input.oneoff)), links) })),
  };
}

/**
 * Compose's getLinks (docker-compose v1's _get_links): for `links: [svc:alias]`, each container of
 * svc under the alias, under `svc-<n>` and `<project>-svc-<n>` (n: this container's number, as
 * Compose has it); `external_links: [name:alias]` as they are. Sent in HostConfig.Links and in
 * every endpoint's Links (on a user-defined network the engine resolves them by name).
 */
function serviceLinks(input: ContainerPlanInput): string[] {
  const { project, service: s, number } = input;
  const out: string[] = [];
  for (const raw of s.links ?? []) {
    const [svc = '', alias = svc] = raw.split(':');
    for (const c of input.linkedContainers?.(svc) ?? []) out.push(`${c}:${alias}`, `${c}:${svc}-${number}`, `${c}:${project.name}-${svc}-${number}`);
  }
  for (const raw of (s['external_links'] as string[] | undefined) ?? []) {
    const [name = '', alias = name] = raw.split(':');
    out.push(`${name}:${alias}`);
  }
  return out;
}

function withLinks(ep: Dict, links: string[]): Dict {
  return links.length ? { ...ep, Links: links } : ep;
}

/** POST /networks/create for a project network Compose creates (not external). */
export function planNetwork(project: Project, key: string, n: NetworkConfig): Dict {
  const ipam = n.ipam;
  return {
    Name: n.name,
    Driver: n.driver ?? 'bridge',
    Options: n.driver_opts ?? {},
    Internal: n.internal ?? false,
    Attachable: n.attachable ?? false,
    EnableIPv6: n.enable_ipv6 ?? false,
    IPAM: {
      Driver: ipam?.driver ?? 'default',
      Options: ipam?.options ?? {},
      Config: (ipam?.config ?? []).map((c) => dropUndefined({ Subnet: c.subnet, Gateway: c.gateway, IPRange: c.ip_range, AuxiliaryAddresses: c.aux_addresses })),
    },
    Labels: { ...(n.labels ?? {}), [L.NETWORK_LABEL]: key, [L.PROJECT_LABEL]: project.name, [L.VERSION_LABEL]: L.COMPOSE_VERSION },
  };
}

/** POST /volumes/create for a project volume Compose creates (not external). */
export function planVolume(project: Project, key: string, v: VolumeConfig): { Name: string; Driver: string; DriverOpts: Record<string, string>; Labels: Record<string, string> } {
  return {
    Name: v.name,
    Driver: v.driver ?? 'local',
    DriverOpts: v.driver_opts ?? {},
    Labels: { ...(v.labels ?? {}), [L.PROJECT_LABEL]: project.name, [L.VERSION_LABEL]: L.COMPOSE_VERSION, [L.VOLUME_LABEL]: key },
  };
}
