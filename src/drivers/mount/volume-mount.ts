/**
 * The local volume driver's mounts: a volume with `type`/`device`/`o`
 * options has that filesystem mounted on its `_data` while it is in use.
 * Mounting goes through mount(8) (`mount -t TYPE -o O DEVICE DIR`), which
 * reads `o` exactly as dockerd's mount package does (flags such as `bind`,
 * `ro`, `nosuid` become mount flags, the rest the filesystem's data), so
 * `type=none,o=bind,device=/path` is a bind mount and `type=tmpfs` a tmpfs.
 * Not on the hot path of a volume without options.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execFile } from '../exec-file.ts';
import { unmount } from './overlay.ts';

export interface FilesystemMount {
  type: string;
  device: string;
  /** Comma-separated mount options; '' for none. */
  options: string;
}

export async function mountFilesystem(spec: FilesystemMount, target: string): Promise<void> {
  const args = ['-t', spec.type];
  if (spec.options !== '') args.push('-o', spec.options);
  args.push('--', spec.device, target);
  await execFile('mount', args, { timeoutMs: 60_000 });
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
