/**
 * The mounts of a container's spec, in moby's order: the default system
 * mounts (moby `oci/defaults.go`), then the user's mounts, `--tmpfs` entries
 * and the network files (/etc/resolv.conf, /etc/hostname, /etc/hosts), the
 * latter sorted parents-first as moby's `sortMounts` does. A user mount at a
 * default mount's destination replaces it.
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import type { OciMount } from './types.ts';

/** Docker's default `--shm-size`: 64 MiB. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

/** Docker's masked paths (moby `oci/defaults.go`). */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];
/** Docker's read-only paths (moby `oci/defaults.go`). */
export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** A mount already resolved by the caller to a host path (binds, named volumes) or a tmpfs. */
export interface ResolvedMount {
  destination: string;
  source: string;
  type: 'bind' | 'tmpfs' | 'volume';
  options: string[];
}

export interface MountsInput {
  shmSize: number;
  /**
   * /dev/shm: a tmpfs of its own (`private`), none at all (`IpcMode: none`),
   * or a bind of another /dev/shm (the host's for `IpcMode: host`, a donor
   * container's for `container:<name>`).
   */
  shm: ShmChoice;
  privileged: boolean;
  readonlyRootfs: boolean;
  user: readonly ResolvedMount[];
  tmpfs: Record<string, string> | null | undefined;
  files: { hostname?: string; hosts?: string; resolvConf?: string };
}

export type ShmChoice = 'private' | 'none' | { bind: string };

export function defaultMounts(shmSize: number, shm: ShmChoice): OciMount[] {
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
  ];
  if (shm === 'private') {
    mounts.push({ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] });
  } else if (shm !== 'none') {
    mounts.push({ destination: '/dev/shm', type: 'bind', source: shm.bind, options: ['rbind', 'rprivate'] });
  }
  return mounts;
}

/** Pairs of flags where the later one wins (moby `mount.MergeTmpfsOptions`). */
const OPPOSITES: Record<string, string> = {
  exec: 'exec', noexec: 'exec', suid: 'suid', nosuid: 'suid', dev: 'dev', nodev: 'dev',
  rw: 'rw', ro: 'rw', atime: 'atime', noatime: 'atime', diratime: 'diratime', nodiratime: 'diratime',
  strictatime: 'strictatime', nostrictatime: 'strictatime', relatime: 'relatime', norelatime: 'relatime',
  sync: 'sync', async: 'sync', mand: 'mand', nomand: 'mand',
};
const PROPAGATION = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

/** Merge tmpfs options: the last occurrence of each flag family or `key=` wins; order of survivors kept. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const opt = options[i]!.trim();
    if (opt === '') continue;
    const eq = opt.indexOf('=');
    const key = eq >= 0 ? opt.slice(0, eq + 1) : PROPAGATION.has(opt) ? 'propagation' : (OPPOSITES[opt] ?? opt);
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(opt);
  }
  return out;
}

function depth(p: string): number {
  return p.split('/').filter((s) => s !== '').length;
}

function toOciMount(m: ResolvedMount): OciMount {
  if (!m.destination.startsWith('/')) throw new InvalidParameterError(`invalid mount config: mount path must be absolute: ${m.destination}`);
  if (m.type === 'tmpfs') return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: [...m.options] };
  const options = [...m.options];
  if (!options.includes('bind') && !options.includes('rbind')) options.unshift('rbind');
  return { destination: m.destination, type: 'bind', source: m.source, options };
}

export function buildMounts(input: MountsInput): OciMount[] {
  const extra: OciMount[] = input.user.map(toOciMount);
  for (const [dest, data] of Object.entries(input.tmpfs ?? {})) {
    if (!dest.startsWith('/')) throw new InvalidParameterError(`invalid mount config: mount path must be absolute: ${dest}`);
    const opts = ['noexec', 'nosuid', 'nodev', 'rprivate', ...(data === '' ? [] : data.split(','))];
    extra.push({ destination: dest, type: 'tmpfs', source: 'tmpfs', options: mergeTmpfsOptions(opts) });
  }
  const taken = new Set(extra.map((m) => m.destination));
  // Network files are skipped when the user mounts over them, as moby does.
  const network: [string, string | undefined][] = [
    ['/etc/resolv.conf', input.files.resolvConf],
    ['/etc/hostname', input.files.hostname],
    ['/etc/hosts', input.files.hosts],
  ];
  for (const [dest, source] of network) {
    if (source === undefined || taken.has(dest)) continue;
    const options = ['rbind', 'rprivate'];
    if (input.readonlyRootfs) options.push('ro');
    extra.push({ destination: dest, type: 'bind', source, options });
  }
  // Stable sort by path depth: parents mount before their children.
  const sorted = extra.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i).map((x) => x.m);

  const userDests = new Set(sorted.map((m) => m.destination));
  const defaults = defaultMounts(input.shmSize, input.shm).filter((m) => !userDests.has(m.destination));
  for (const m of defaults) {
    if (input.privileged && (m.type === 'sysfs' || m.type === 'cgroup')) m.options = (m.options ?? []).filter((o) => o !== 'ro');
    // A read-only rootfs makes the default mounts read-only too, except the ones processes must write.
    const writable = ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue'];
    if (input.readonlyRootfs && !writable.includes(m.destination) && !(m.options ?? []).includes('ro')) m.options = [...(m.options ?? []), 'ro'];
  }
  return [...defaults, ...sorted];
}
