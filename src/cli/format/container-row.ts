/**
 * One `ps` row as docker's ContainerContext presents it to templates: every
 * field a string, `{{.Label "k"}}` a method, `{{json .}}` the sorted map.
 */
import type { ContainerSummary, Port } from '../../client/types.ts';
import { humanSize, timeAgo } from './units.ts';
import { familiarName, truncateId } from './reference.ts';
import { formatGoTime } from './go-time.ts';

export const PS_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
export const PS_HEADER: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS',
  State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS',
};

/** formatter.Ellipsis: at most `max` characters, the last one "…" when cut. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join('') + '…';
}

function joinHostPort(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function ipLess(a: string, b: string): boolean {
  return a < b;
}

/** formatter.DisplayablePorts: ranges grouped, host mappings last. */
export function displayablePorts(input: Port[]): string {
  const ports = [...input].sort((i, j) => {
    if (i.PrivatePort !== j.PrivatePort) return i.PrivatePort - j.PrivatePort;
    if ((i.IP ?? '') !== (j.IP ?? '')) return ipLess(i.IP ?? '', j.IP ?? '') ? -1 : 1;
    if ((i.PublicPort ?? 0) !== (j.PublicPort ?? 0)) return (i.PublicPort ?? 0) - (j.PublicPort ?? 0);
    return i.Type < j.Type ? -1 : i.Type > j.Type ? 1 : 0;
  });
  const groups = new Map<string, { first: number; last: number }>();
  const keys: string[] = [];
  const result: string[] = [];
  const hostMappings: string[] = [];
  const formGroup = (key: string, first: number, last: number) => {
    const parts = key.split('/');
    let type = parts[0] ?? '';
    let ip = '';
    if (parts.length > 1) {
      ip = parts[0] ?? '';
      type = parts[1] ?? '';
    }
    let group = first === last ? String(first) : `${first}-${last}`;
    if (ip) group = `${joinHostPort(ip, group)}->${group}`;
    return `${group}/${type}`;
  };
  for (const p of ports) {
    let key = p.Type;
    if (p.IP) {
      if (p.PublicPort !== p.PrivatePort) {
        hostMappings.push(`${joinHostPort(p.IP, String(p.PublicPort ?? 0))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: p.PrivatePort, last: p.PrivatePort });
      keys.push(key);
      continue;
    }
    if (p.PrivatePort === g.last + 1) {
      g.last = p.PrivatePort;
      continue;
    }
    result.push(formGroup(key, g.first, g.last));
    groups.set(key, { first: p.PrivatePort, last: p.PrivatePort });
  }
  for (const k of keys) {
    const g = groups.get(k);
    if (g) result.push(formGroup(k, g.first, g.last));
  }
  return [...result, ...hostMappings].join(', ');
}

function names(c: ContainerSummary, trunc: boolean): string {
  const all = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  if (trunc) return all.find((n) => !n.includes('/')) ?? '';
  return all.join(',');
}

function image(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return '<no image>';
  if (!trunc) return c.Image;
  if (c.ImageID && truncateId(c.ImageID) === truncateId(c.Image)) return truncateId(c.Image);
  const at = c.Image.indexOf('@');
  return familiarName(at >= 0 ? c.Image.slice(0, at) : c.Image);
}

export function containerRow(c: ContainerSummary, opts: { trunc: boolean; now: number }): object {
  const labels = c.Labels ?? {};
  const row: Record<string, string | null> = {
    Command: JSON.stringify(opts.trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: formatGoTime(c.Created),
    ID: opts.trunc ? truncateId(c.Id) : c.Id,
    Image: image(c, opts.trunc),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    // docker's ContainerContext.LocalVolumes: the mounts of the local volume driver.
    LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Driver === 'local').length),
    Mounts: (c.Mounts ?? []).map((m) => (m.Name ? (opts.trunc ? ellipsis(m.Name, 15) : m.Name) : (m.Source ?? ''))).join(','),
    Names: names(c, opts.trunc),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    // The image manifest's platform, which docker/cli shows only for a containerd image store.
    Platform: null,
    Ports: displayablePorts(c.Ports ?? []),
    RunningFor: timeAgo(c.Created, opts.now),
    Size: c.SizeRootFs && c.SizeRootFs > 0 ? `${humanSize(c.SizeRw ?? 0, 3)} (virtual ${humanSize(c.SizeRootFs, 3)})` : humanSize(c.SizeRw ?? 0, 3),
    State: c.State,
    Status: c.Status,
  };
  Object.defineProperty(row, 'Label', { enumerable: false, value: (k: string) => labels[k] ?? '' });
  return row;
}
