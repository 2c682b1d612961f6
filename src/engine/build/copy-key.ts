/**
 * The cache key of a COPY/ADD (PreparedCopy.key), in the classic builder's
 * notation: each source gets a hash (`file:<hex>` for a file, `dir:<hex>`
 * for a directory), one source keeps its own prefix and several make
 * `multi:<hex>`. Unlike the classic builder, whose hash covers the sources
 * only (the destination and --chown go into the step's text besides), the
 * hex here also covers everything else `apply` depends on (destination,
 * --chown, --chmod, the instruction since ADD extracts archives, --exclude),
 * so the key alone decides a cache hit.
 *
 * Context sources are hashed from the context's entries (digests computed
 * as the context was unpacked), never by reading files again; an image's or
 * stage's files from its id and the resolved path, since an image never
 * changes. What a hash covers: path, type, permission bits, content digest
 * or link target. Not the mtime (as Docker's tarsum, a touched file does
 * not invalidate the cache) and not the owner of context files, which are
 * always chowned.
 */
import { createHash } from 'node:crypto';
import type { ContextEntry } from './build-context.ts';
import type { CopyExcludes } from './copy-excludes.ts';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function describe(entry: ContextEntry): string {
  const what = entry.type === 'file' ? entry.digest ?? '' : entry.type === 'symlink' ? entry.linkname ?? '' : '';
  return `${entry.type} ${entry.mode.toString(8)} ${what}`;
}

/** A context file (or the file a context symlink leads to), copied under the name `name`. */
export function contextFileHash(name: string, entry: ContextEntry): string {
  return `file:${sha256(`${name}\0${entry.path}\0${describe(entry)}`)}`;
}

/**
 * A context directory: every entry below it (not the directory itself,
 * whose mode and time the copy does not keep) that --exclude keeps, by
 * path relative to it.
 */
export function contextDirHash(dir: string, entries: ReadonlyMap<string, ContextEntry>, excludes?: CopyExcludes): string {
  const prefix = dir === '' ? '' : `${dir}/`;
  const lines: string[] = [];
  for (const [p, entry] of entries) {
    if (p === dir || !p.startsWith(prefix)) continue;
    const rel = p.slice(prefix.length);
    if (excludes?.skipsPath(rel, entry.type === 'directory')) continue;
    lines.push(`${rel}\0${describe(entry)}`);
  }
  lines.sort();
  return `dir:${sha256(lines.join('\n'))}`;
}

/** A file or directory of an image's (or a stage's) rootfs. */
export function imagePathHash(imageId: string, name: string, resolvedPath: string, isDir: boolean): string {
  return `${isDir ? 'dir' : 'file'}:${sha256(`${imageId}\0${name}\0${resolvedPath}`)}`;
}

/** A downloaded file: its name, content and modification time (Last-Modified) are what it writes. */
export function downloadHash(name: string, digest: string, mtime: number): string {
  return `file:${sha256(`${name}\0${digest}\0${mtime}`)}`;
}

/** A heredoc source. */
export function inlineHash(name: string, content: string): string {
  return `file:${sha256(`${name}\0${content}`)}`;
}

export interface KeyOptions {
  instruction: 'COPY' | 'ADD';
  /** The normalized destination (absolute, trailing '/' kept). */
  dest: string;
  chown?: string;
  chmod?: string;
  excludes: string[];
}

/** The key of the whole copy from its sources' hashes, in order. */
export function copyKey(hashes: string[], options: KeyOptions): string {
  const settings = JSON.stringify([options.instruction, options.dest, options.chown ?? '', options.chmod ?? '', options.excludes]);
  if (hashes.length === 1) {
    const [prefix] = hashes[0]!.split(':');
    return `${prefix}:${sha256(`${hashes[0]}\n${settings}`)}`;
  }
  return `multi:${sha256(`${hashes.join(',')}\n${settings}`)}`;
}
