/**
 * The local volume driver's mounts: a volume with `type`/`device`/`o`
 * options has that filesystem mounted on its `_data` while it is in use.
 * As dockerd's mount package does it, with mount(2) through the native
 * addon: `o` is read into flags and data (mount-options.ts), so
 * `type=none,o=bind,device=/path` is a bind mount and `type=tmpfs` a tmpfs;
 * propagation words take a second call, and a read-only bind a remount.
 * Failures carry moby's words (`mount SOURCE:TARGET, flags: 0x1000: …`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SystemError } from '../../util/errors.ts';
import { native } from '../native.ts';
import { MOUNT_FLAGS, PROPAGATION_FLAGS, PROPAGATION_TYPES, goErrnoText, mountErrorText, parseMountOptions } from './mount-options.ts';
import { unmount } from './overlay.ts';

export interface FilesystemMount {
  type: string;
  device: string;
  /** Comma-separated mount options; '' for none. */
  options: string;
}

/** The errno text of a failed native call ("ENOENT: No such file or directory, /path" → Go's "no such file or directory"). */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^[A-Z0-9]+: ([^,]*)/.exec(message);
  return goErrnoText(m ? m[1]! : message);
}

function mountCall(op: string, source: string, target: string, fstype: string, flags: number, data: string): void {
  try {
    native().mount(source === '' ? null : source, target, fstype === '' ? null : fstype, flags, data === '' ? null : data);
  } catch (err) {
    throw new SystemError(mountErrorText(op, source, target, flags, data, reasonOf(err)), { cause: err });
  }
}

/** moby's mount.Mount(device, target, type, options). */
export async function mountFilesystem(spec: FilesystemMount, target: string): Promise<void> {
  const { flags, data } = parseMountOptions(spec.options);
  const own = (flags & ~PROPAGATION_TYPES) >>> 0;
  if (!(flags & MOUNT_FLAGS.REMOUNT) || data !== '') mountCall('mount', spec.device, target, spec.type, own, data);
  if (flags & PROPAGATION_TYPES) mountCall('remount', '', target, '', (flags & PROPAGATION_FLAGS) >>> 0, '');
  const readOnlyBind = MOUNT_FLAGS.BIND | MOUNT_FLAGS.RDONLY;
  // A bind mount ignores MS_RDONLY on its first call: a remount applies it.
  if ((own & readOnlyBind) === readOnlyBind) mountCall('remount-ro', '', target, '', (own | MOUNT_FLAGS.REMOUNT) >>> 0, '');
}

/** Decodes mountinfo's octal escapes (`\040` for a space). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or below `dir`, deepest first (the order to detach them in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const text = await fs.readFile('/proc/self/mountinfo', 'utf8');
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const point = unescapeMountPath(field);
    if (point === root || point.startsWith(root + '/')) found.add(point);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

export async function isMounted(dir: string): Promise<boolean> {
  const root = path.resolve(dir);
  return (await mountsUnder(root)).includes(root);
}

/** Detaches every mount at or below `dir` (lazily: a busy mount never blocks). */
export async function unmountAll(dir: string): Promise<void> {
  for (let round = 0; round < 8; round++) {
    const points = await mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) await unmount(point);
  }
}

/** Detaches the mount on `dir` (stacked mounts included). */
export async function unmountFilesystem(dir: string): Promise<void> {
  const root = path.resolve(dir);
  for (let round = 0; round < 8 && (await isMounted(root)); round++) await unmount(root);
}
