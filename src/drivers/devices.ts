/**
 * Host devices for a container's spec: `HostConfig.Devices` resolved to OCI
 * device entries, and the blkio device paths to their major:minor numbers.
 * This is the fs edge of spec generation (which stays pure); it follows
 * dockerd (moby `oci.DevicesFromPath`, runc `devices.DeviceFromPath`,
 * `getBlkioThrottleDevices`) and keeps its error messages.
 */
import { promises as fs, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { SystemError } from '../util/errors.ts';
import type { OciDevice } from './runtime/spec/types.ts';
import type { DeviceMapping } from '../wire/container-config.ts';
import type { DeviceNumber } from './runtime/spec/resources.ts';

/** A `--device` resolved: one OCI device and the cgroup access it gets. */
export interface ResolvedDevice {
  device: OciDevice;
  permissions: string;
}

/** Go's text for the errnos a stat can give (syscall.Errno.Error()), as dockerd prints them. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};

function errnoText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_TEXT[code]) return ERRNO_TEXT[code];
  return err instanceof Error ? err.message : String(err);
}

/** Linux's dev_t split (glibc gnu_dev_major/minor): 12+20 bits of major, 8+24 of minor. */
export function deviceMajor(rdev: bigint): number {
  return Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n));
}
export function deviceMinor(rdev: bigint): number {
  return Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n));
}

class NotADeviceError extends Error {
  constructor() {
    super('not a device node');
  }
}

/**
 * runc's DeviceFromPath: lstat `hostPath` (a symlink is not a device) and
 * describe the char or block device found there, at `containerPath`.
 */
async function deviceAt(hostPath: string, containerPath: string): Promise<OciDevice> {
  const st = await fs.lstat(hostPath, { bigint: true });
  let type: 'c' | 'b';
  if (st.isCharacterDevice()) type = 'c';
  else if (st.isBlockDevice()) type = 'b';
  else throw new NotADeviceError();
  return {
    type,
    path: containerPath,
    major: deviceMajor(st.rdev),
    minor: deviceMinor(st.rdev),
    fileMode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

/** Every entry below `dir`, depth first in name order as Go's filepath.Walk visits them; symlinked dirs are not entered. */
async function walk(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch {
    // filepath.Walk's callback in dockerd ignores unreadable directories.
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const p = path.join(dir, name);
    out.push(p);
    const st = await fs.lstat(p).catch(() => undefined);
    if (st?.isDirectory()) out.push(...(await walk(p)));
  }
  return out;
}

/**
 * One `HostConfig.Devices` entry → its devices. A symlink is followed first;
 * a directory gives every char/block device below it, at `PathInContainer`
 * plus the path relative to the directory. `PathInContainer` defaults to
 * `PathOnHost`. Fails with dockerd's message (500) when nothing is found.
 */
export async function resolveDevice(mapping: DeviceMapping): Promise<ResolvedDevice[]> {
  const pathOnHost = mapping.PathOnHost ?? '';
  const pathInContainer = mapping.PathInContainer || pathOnHost;
  const permissions = mapping.CgroupPermissions ?? '';
  let resolved = pathOnHost;
  const link = await fs.lstat(pathOnHost).catch(() => undefined);
  if (link?.isSymbolicLink()) resolved = await fs.realpath(pathOnHost).catch(() => pathOnHost);
  const fail = (err: unknown) =>
    new SystemError(`error gathering device information while adding custom device "${pathOnHost}": ${errnoText(err)}`, { cause: err });
  try {
    return [{ device: await deviceAt(resolved, pathInContainer), permissions }];
  } catch (err) {
    if (!(err instanceof NotADeviceError)) throw fail(err);
    const st = await fs.stat(resolved).catch(() => undefined);
    if (!st?.isDirectory()) throw fail(err);
    const out: ResolvedDevice[] = [];
    for (const entry of await walk(resolved)) {
      const containerPath = path.join(pathInContainer, path.relative(resolved, entry));
      const device = await deviceAt(entry, containerPath).catch(() => undefined);
      if (device) out.push({ device, permissions });
    }
    if (out.length === 0) throw fail(err);
    return out;
  }
}

/** All of `HostConfig.Devices`, in order. */
export async function resolveDevices(mappings: readonly DeviceMapping[]): Promise<ResolvedDevice[]> {
  const out: ResolvedDevice[] = [];
  for (const m of mappings) out.push(...(await resolveDevice(m)));
  return out;
}

/** stat (following symlinks) each blkio device path for its major:minor; dockerd's `stat <path>: <errno>` on failure. */
export async function resolveBlockDeviceNumbers(paths: readonly string[]): Promise<Map<string, DeviceNumber>> {
  const out = new Map<string, DeviceNumber>();
  for (const p of paths) {
    let st: BigIntStats;
    try {
      st = await fs.stat(p, { bigint: true });
    } catch (err) {
      throw new SystemError(`stat ${p}: ${errnoText(err)}`, { cause: err });
    }
    out.set(p, { major: deviceMajor(st.rdev), minor: deviceMinor(st.rdev) });
  }
  return out;
}
