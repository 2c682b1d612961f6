/**
 * Capability sets as Docker computes them (moby `oci/caps`): a default set of
 * 14, adjusted by `CapAdd`/`CapDrop` (names with or without `CAP_`, any case,
 * `ALL`), or every capability for `--privileged`.
 */
import { InvalidParameterError } from '../../../util/errors.ts';

/** Docker's default capability set (moby `oci/caps/defaults.go`), in Docker's order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability Linux defines, in number order (0 … 40). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

const KNOWN = new Set(ALL_CAPABILITIES);

/** `chown` / `CAP_CHOWN` / `cap_chown` → `CAP_CHOWN`; `all` → `ALL`. */
function normalize(names: readonly string[] | null | undefined, field: string): string[] {
  const out: string[] = [];
  for (const raw of names ?? []) {
    const upper = raw.trim().toUpperCase();
    if (upper === 'ALL') {
      out.push('ALL');
      continue;
    }
    const name = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!KNOWN.has(name)) throw new InvalidParameterError(`invalid ${field}: unknown capability: "${name}"`);
    out.push(name);
  }
  return out;
}

/**
 * The capability list a container gets (used for bounding, effective and
 * permitted; Docker 20.10.14+ sets no inheritable or ambient capabilities).
 */
export function resolveCapabilities(opts: {
  privileged?: boolean;
  capAdd?: readonly string[] | null;
  capDrop?: readonly string[] | null;
}): string[] {
  const add = normalize(opts.capAdd, 'CapAdd');
  const drop = normalize(opts.capDrop, 'CapDrop');
  if (opts.privileged) return [...ALL_CAPABILITIES];
  // Docker: adding ALL wins over any drop except explicit names; dropping ALL starts from nothing.
  let base: string[];
  if (add.includes('ALL')) base = [...ALL_CAPABILITIES];
  else if (drop.includes('ALL')) base = [];
  else base = [...DEFAULT_CAPABILITIES];
  const dropped = new Set(drop.filter((c) => c !== 'ALL'));
  const result = base.filter((c) => !dropped.has(c));
  for (const c of add) {
    if (c !== 'ALL' && !result.includes(c)) result.push(c);
  }
  return result;
}
