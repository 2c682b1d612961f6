/**
 * A container's init layer: the read-only layer dockerd puts between the
 * image and the container's own writable layer (moby `daemon/initlayer`).
 * It holds what every container has whatever its image: the mount points
 * of /proc, /sys, /dev/pts, /dev/shm, /dev/console and the generated /etc
 * files, /etc/mtab, and /.dockerenv, which programs test to know they run
 * in a container. Being below the writable layer, none of it shows in
 * `docker diff` or goes into `docker commit`.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIRS = ['dev/pts', 'dev/shm', 'proc', 'sys', 'etc'];
const FILES = ['.dockerenv', 'etc/resolv.conf', 'etc/hosts', 'etc/hostname', 'dev/console'];

/** Lay out the init layer in `dir` (synchronous: a dozen tiny calls on the create path). */
export function makeInitLayer(dir: string): void {
  for (const d of DIRS) mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  for (const f of FILES) writeFileSync(path.join(dir, f), '', { mode: 0o755 });
  symlinkSync('/proc/mounts', path.join(dir, 'etc/mtab'));
}

/** The init layer on top of the image's layers, when the container has one (older containers do not). */
export function withInitLayer(initDir: string, imageLowerDirs: string[]): string[] {
  return existsSync(initDir) ? [initDir, ...imageLowerDirs] : imageLowerDirs;
}
