/**
 * Layer tar ↔ overlayfs whiteouts (OCI image spec layer.md "Whiteouts").
 * In a tar: `dir/.wh.name` deletes `dir/name` from lower layers, and
 * `dir/.wh..wh..opq` makes `dir` opaque. On disk for overlayfs: a 0/0
 * character device `dir/name`, and the xattr `trusted.overlay.opaque=y`.
 * Pure name handling lives here; the syscalls are in unpack.ts / diff-tar.ts.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';

export const WHITEOUT_PREFIX = '.wh.';
export const WHITEOUT_META_PREFIX = '.wh..wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
export const OPAQUE_XATTR = 'trusted.overlay.opaque';
/** S_IFCHR: whiteouts are character devices with device number 0/0. */
export const S_IFCHR = 0o020000;

export type EntryKind =
  | { kind: 'entry'; path: string }
  | { kind: 'whiteout'; path: string } // `path` is the file to hide
  | { kind: 'opaque'; dir: string }
  | { kind: 'meta' } // other `.wh..wh.*` (aufs bookkeeping): ignored
  | { kind: 'root' };

/**
 * Clean a tar entry name to a path relative to the layer root. Leading `/`
 * are dropped (as Docker joins them under the root); a name that climbs out
 * of the root is a breakout and rejected.
 */
export function cleanEntryPath(name: string): string {
  const trimmed = name.replace(/^\/+/, '');
  const clean = path.posix.normalize(trimmed === '' ? '.' : trimmed).replace(/\/+$/, '');
  if (clean === '..' || clean.startsWith('../')) {
    throw new InvalidParameterError(`invalid tar header: path ${JSON.stringify(name)} escapes the layer root (breakout)`);
  }
  return clean === '' ? '.' : clean;
}

export function classifyEntry(name: string): EntryKind {
  const clean = cleanEntryPath(name);
  if (clean === '.') return { kind: 'root' };
  const base = path.posix.basename(clean);
  const dir = path.posix.dirname(clean);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT_META_PREFIX)) return { kind: 'meta' };
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const target = base.slice(WHITEOUT_PREFIX.length);
    if (target === '' || target === '.' || target === '..') {
      throw new InvalidParameterError(`invalid whiteout entry ${JSON.stringify(name)}`);
    }
    return { kind: 'whiteout', path: dir === '.' ? target : `${dir}/${target}` };
  }
  return { kind: 'entry', path: clean };
}

/** The tar name of the whiteout hiding `relPath`. */
export function whiteoutName(relPath: string): string {
  const dir = path.posix.dirname(relPath);
  const base = path.posix.basename(relPath);
  return dir === '.' ? `${WHITEOUT_PREFIX}${base}` : `${dir}/${WHITEOUT_PREFIX}${base}`;
}

/** The tar name of the opaque marker of directory `relDir`. */
export function opaqueName(relDir: string): string {
  return relDir === '.' ? OPAQUE_MARKER : `${relDir}/${OPAQUE_MARKER}`;
}

/** glibc's makedev(3). */
export function makedev(major: number, minor: number): number {
  return (major & 0xfffff000) * 2 ** 32 + (major & 0xfff) * 256 + (minor & 0xffffff00) * 4096 + (minor & 0xff);
}

export function major(dev: number): number {
  return ((Math.floor(dev / 256) & 0xfff) | (Math.floor(dev / 2 ** 32) & 0xfffff000)) >>> 0;
}

export function minor(dev: number): number {
  return ((dev & 0xff) | (Math.floor(dev / 4096) & 0xffffff00)) >>> 0;
}
