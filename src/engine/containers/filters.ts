/**
 * `GET /containers/json` selection: all/limit/filters, as dockerd applies
 * them (daemon/list.go). Pure: records in, records out (newest first).
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { timeSortKey } from '../../util/timestamp.ts';
import type { ContainerRecord } from './record.ts';
import { containerMounts, toWireMounts } from './container-mounts.ts';
import { isActive } from './state-machine.ts';

/** A `publish`/`expose` filter value ("80", "80/udp", "8000-8002/tcp") as the ports it names. */
function portFilter(value: string): string[] {
  const [range = '', proto = 'tcp'] = value.split('/');
  const m = /^(\d+)(?:-(\d+))?$/.exec(range);
  if (!m) throw new InvalidParameterError(`invalid port specification: "${value}"`);
  const first = Number(m[1]);
  const last = Number(m[2] ?? m[1]);
  const out: string[] = [];
  for (let p = first; p <= last && out.length < 65536; p++) out.push(`${p}/${proto.toLowerCase()}`);
  return out;
}

export interface ListOptions {
  all: boolean;
  limit?: number;
  filters: Map<string, string[]>;
  /** Resolves an image reference to its ID, or undefined (for `ancestor`). */
  imageIdOf: (ref: string) => string | undefined;
  /** Resolves a container reference (for `before`/`since`). */
  containerOf: (ref: string) => ContainerRecord;
}

const KNOWN = new Set(['id', 'name', 'label', 'status', 'ancestor', 'exited', 'before', 'since', 'network', 'volume', 'health', 'isolation', 'is-task', 'publish', 'expose']);
const STATUSES = new Set(['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']);

function labelMatches(labels: Record<string, string>, wanted: string): boolean {
  const i = wanted.indexOf('=');
  if (i < 0) return wanted in labels;
  return labels[wanted.slice(0, i)] === wanted.slice(i + 1);
}

/** A `name` filter value is a regular expression (an invalid one matches nothing, as in dockerd). */
function matchesPattern(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** What a `volume` filter can name: a mount's destination, its volume name, or a bind's source. */
function mountedAt(r: ContainerRecord): string[] {
  return toWireMounts(containerMounts(r)).flatMap((m) => [m.Destination, m.Name || m.Source].filter((v): v is string => Boolean(v)));
}

export function selectContainers(records: ContainerRecord[], o: ListOptions): ContainerRecord[] {
  // dockerd 20.10's words for each refusal.
  for (const key of o.filters.keys()) if (!KNOWN.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  for (const s of o.filters.get('status') ?? []) {
    if (!STATUSES.has(s)) throw new InvalidParameterError(`Invalid filter 'status=${s}'`);
  }
  const exited = (o.filters.get('exited') ?? []).map((v) => {
    if (!/^[+-]?\d+$/.test(v)) throw new InvalidParameterError(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    return Number(v);
  });
  const health = o.filters.get('health') ?? [];
  for (const h of health) {
    if (!['starting', 'healthy', 'unhealthy', 'none'].includes(h)) throw new InvalidParameterError(`Unrecognised filter value for health: ${h}`);
  }
  const ancestors = (o.filters.get('ancestor') ?? []).map((ref) => o.imageIdOf(ref) ?? `missing:${ref}`);
  const before = o.filters.get('before')?.map((r) => o.containerOf(r))[0];
  const since = o.filters.get('since')?.map((r) => o.containerOf(r))[0];

  const key = (r: ContainerRecord) => timeSortKey(r.created);
  let list = [...records].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  if (before) list = list.filter((r) => key(r) < key(before));
  if (since) list = list.filter((r) => key(r) > key(since));
  const hasStatus = o.filters.has('status');
  const all = o.all || hasStatus || exited.length > 0 || o.limit !== undefined && o.limit > 0 || Boolean(before) || Boolean(since);
  list = list.filter((r) => {
    const status = r.state.status;
    if (!all && !isActive(status)) return false;
    const ids = o.filters.get('id');
    if (ids && !ids.some((id) => r.id.startsWith(id))) return false;
    const names = o.filters.get('name');
    if (names && !names.some((n) => matchesPattern(n, r.name) || matchesPattern(n, r.name.slice(1)))) return false;
    const labels = o.filters.get('label');
    if (labels && !labels.every((l) => labelMatches(r.config.Labels ?? {}, l))) return false;
    if (hasStatus && !o.filters.get('status')!.includes(status)) return false;
    if (exited.length && (status !== 'exited' || !exited.includes(r.state.exitCode))) return false;
    if (ancestors.length && !ancestors.includes(r.image)) return false;
    if (health.length && !health.includes(r.state.health?.Status ?? 'none')) return false;
    const volumes = o.filters.get('volume');
    if (volumes && !mountedAt(r).some((m) => volumes.includes(m))) return false;
    const networks = o.filters.get('network');
    if (networks && !Object.entries(r.networks ?? {}).some(([name, e]) => networks.includes(name) || (e.networkId !== '' && networks.includes(e.networkId)))) return false;
    // dockerd matches these against the ports the container has now (its NetworkSettings.Ports): a running container's.
    const publish = o.filters.get('publish');
    const hostPorts = isActive(status) ? (r.sandbox?.ports ?? []).map((p) => `${p.hostPort}/${p.proto}`) : [];
    if (publish && !publish.some((f) => portFilter(f).some((p) => hostPorts.includes(p)))) return false;
    const expose = o.filters.get('expose');
    const exposed = isActive(status) && r.sandbox ? Object.keys(r.config.ExposedPorts ?? {}).map((k) => (k.includes('/') ? k : `${k}/tcp`)) : [];
    if (expose && !expose.some((f) => portFilter(f).some((p) => exposed.includes(p)))) return false;
    return true;
  });
  if (o.limit !== undefined && o.limit > 0) list = list.slice(0, o.limit);
  return list;
}
