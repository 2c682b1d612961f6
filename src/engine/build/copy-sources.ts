/**
 * Resolving COPY/ADD source paths against their root (the build context or
 * an image's rootfs) into what will be copied, as moby's classic builder
 * does (builder/dockerfile/copy.go, calcCopyInfo):
 *
 * - a leading `/` and one leading `./` are dropped: sources are relative
 *   to the root;
 * - a path that climbs out of the root (`../x`, `a/../../x`) or runs
 *   through a non-directory is refused ("forbidden path outside the build
 *   context");
 * - symlinks on the way, the last one included, are followed inside the
 *   root (a link to `/etc/passwd` in the context means the context's
 *   `etc/passwd`), so a link source copies what it points to, under the
 *   link's own name;
 * - a source with wildcards is matched (Go's filepath.Match, one pattern
 *   for the whole relative path) against every path of the root in walk
 *   order; each match is then resolved as a plain path.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../../util/errors.ts';
import type { ContextEntry } from './build-context.ts';
import { resolveInRoot } from '../containers/archive/resolve-in-root.ts';
import { noSourceFiles, notInContext, notInImage, outsideContext } from './copy-errors.ts';
import type { CopyExcludes } from './copy-excludes.ts';
import { contextDirHash, contextFileHash, imagePathHash } from './copy-key.ts';
import { goPathMatch, hasWildcards } from './go-path-match.ts';

/** One thing to copy (moby's copyInfo). */
export interface CopyInfo {
  /** The source path as resolved by the user's words (its base names the copy when the destination is a directory). */
  name: string;
  /** Where its content is on the host (symlinks already followed). */
  hostPath: string;
  isDir: boolean;
  /** `file:<hex>` / `dir:<hex>`, see copy-key.ts. */
  hash: string;
  /** Read from the source root (context or image), as opposed to a download or heredoc: ADD may extract it. */
  fromRoot: boolean;
}

export type SourceRoot =
  | { kind: 'context'; root: string; entries: ReadonlyMap<string, ContextEntry> }
  | { kind: 'image'; root: string; imageId: string };

type Instruction = 'COPY' | 'ADD';

/** The source as moby works with it: no leading '/', no leading './'. */
export function trimSource(source: string): string {
  let p = source;
  if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
  if (p.startsWith('./')) p = p.slice(2);
  return p;
}

/**
 * Every CopyInfo one source (path or pattern) gives, in walk order; an
 * error when nothing matches. `excludes` (--exclude) leaves out matches of
 * a pattern, relative to the directory the pattern starts from.
 */
export async function resolveSource(instruction: Instruction, from: SourceRoot, source: string, excludes: CopyExcludes): Promise<CopyInfo[]> {
  const p = trimSource(source);
  if (!hasWildcards(p)) return [await resolvePath(instruction, from, p, excludes)];
  const matches = from.kind === 'context' ? matchEntries(from.entries, p) : await matchTree(from.root, p);
  if (matches.length === 0) throw noSourceFiles(instruction);
  const segments = p.split('/');
  const base = segments.slice(0, segments.findIndex((s) => hasWildcards(s))).join('/');
  const infos: CopyInfo[] = [];
  for (const m of matches) {
    // Each match is resolved as a literal path (a '*' in its name is no pattern any more).
    const info = await resolvePath(instruction, from, m, excludes);
    if (!excludes.skipsPath(base === '' ? m : m.slice(base.length + 1), info.isDir)) infos.push(info);
  }
  return infos;
}

async function resolvePath(instruction: Instruction, from: SourceRoot, p: string, excludes: CopyExcludes): Promise<CopyInfo> {
  const lexical = path.posix.normalize(p === '' ? '.' : p);
  if (lexical === '..' || lexical.startsWith('../')) throw outsideContext(instruction, p);
  const notFound = () => (from.kind === 'context' ? notInContext(instruction, p) : notInImage(instruction, p));
  // A scoped resolution that fails (a symlink loop) is, for moby, a path it cannot keep inside the root.
  const resolved = await resolveInRoot({ root: from.root, mounts: [] }, `/${p}`, { followFinalSymlink: true }).catch((err: unknown) => {
    throw Object.assign(outsideContext(instruction, p), { cause: err });
  });
  let stat;
  try {
    stat = await lstat(resolved.hostPath);
  } catch (err) {
    // A file met where a directory was expected: FollowSymlinkInScope's failure, reported by moby as an escape.
    if (isErrno(err, 'ENOTDIR')) throw outsideContext(instruction, p);
    if (isErrno(err, 'ENOENT')) throw notFound();
    throw err;
  }
  const rel = resolved.containerPath.slice(1);
  const isDir = stat.isDirectory();
  if (from.kind === 'image') {
    return { name: p, hostPath: resolved.hostPath, isDir, hash: imagePathHash(from.imageId, p, resolved.containerPath, isDir), fromRoot: true };
  }
  const entry = from.entries.get(rel);
  // Not listed: excluded by .dockerignore (the directory should not hold it, but the entries are what counts).
  if (!entry && rel !== '') throw notFound();
  if (isDir) return { name: p, hostPath: resolved.hostPath, isDir, hash: contextDirHash(rel, from.entries, excludes), fromRoot: true };
  if (!entry || entry.type !== 'file') throw notFound();
  return { name: p, hostPath: resolved.hostPath, isDir, hash: contextFileHash(p, entry), fromRoot: true };
}

/** Go's filepath.Walk order: by name within each directory, a directory before its contents. */
export function compareWalkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    if (as[i] !== bs[i]) return as[i]! < bs[i]! ? -1 : 1;
  }
  return as.length - bs.length;
}

function matchEntries(entries: ReadonlyMap<string, ContextEntry>, pattern: string): string[] {
  const out: string[] = [];
  for (const p of entries.keys()) if (p !== '' && goPathMatch(pattern, p)) out.push(p);
  return out.sort(compareWalkOrder);
}

/**
 * The paths of an image's tree matching `pattern`. A match has as many
 * segments as the pattern ('*' never takes a '/'), so the walk stops at
 * that depth instead of visiting the whole rootfs.
 */
async function matchTree(root: string, pattern: string): Promise<string[]> {
  const depth = pattern.split('/').length;
  const out: string[] = [];
  const walk = async (rel: string, level: number): Promise<void> => {
    let names: { name: string; isDirectory(): boolean }[];
    try {
      names = await readdir(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return;
      throw err;
    }
    for (const d of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = rel === '' ? d.name : `${rel}/${d.name}`;
      if (level + 1 === depth) {
        if (goPathMatch(pattern, p)) out.push(p);
      } else if (d.isDirectory()) {
        await walk(p, level + 1);
      }
    }
  };
  await walk('', 0);
  return out;
}
