/**
 * The init layer: the read-only layer dockerd puts between the image and a
 * container's own writable layer (moby `daemon/initlayer`). It holds what
 * every container has whatever its image: the mount points of /proc, /sys,
 * /dev/pts, /dev/shm, /dev/console and the generated /etc files, /etc/mtab,
 * and /.dockerenv, which programs test to know they run in a container.
 * Being below the writable layer, none of it shows in `docker diff` or goes
 * into `docker commit`.
 *
 * Its content is the same for every container, and overlayfs never writes
 * to a lower layer, so Berth makes ONE, shared by all containers
 * (`<dataRoot>/init-layer`), where dockerd makes one per container: a
 * create then writes a dozen files fewer and a removal deletes them fewer.
 * Containers created before kept their own (`containers/<id>/fs/init`).
 */
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const DIRS = ['dev/pts', 'dev/shm', 'proc', 'sys', 'etc'];
const FILES = ['.dockerenv', 'etc/resolv.conf', 'etc/hosts', 'etc/hostname', 'dev/console'];

/**
 * Make the init layer at `dir` unless it is there. It is laid out in a
 * temporary directory and renamed into place, so a crash never leaves a
 * half-made one under the final name (synchronous: a dozen tiny calls, once).
 */
export function ensureInitLayer(dir: string): void {
  if (existsSync(dir)) return;
  const temp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  for (const d of DIRS) mkdirSync(path.join(temp, d), { recursive: true, mode: 0o755 });
  for (const f of FILES) writeFileSync(path.join(temp, f), '', { mode: 0o755 });
  symlinkSync('/proc/mounts', path.join(temp, 'etc/mtab'));
  try {
    renameSync(temp, dir);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
}

/** The container's read-only layers, top first: its init layer (its own if it has one, else the shared one), then the image's. */
export function withInitLayer(ownInitDir: string, sharedInitDir: string, imageLowerDirs: string[]): string[] {
  return [existsSync(ownInitDir) ? ownInitDir : sharedInitDir, ...imageLowerDirs];
}
