/**
 * Docker's change list of a container layer (`GET /containers/{id}/changes`),
 * computed the way Docker 20.10 does for overlay2 (pkg/archive/changes.go):
 * walk the upper dir; a whiteout or an opaque directory is a deletion; a path
 * present in some lower layer is a modification (unless it is a directory
 * identical in size, mode and mtime); anything else is an addition; the parent
 * of an addition or deletion is reported modified before it.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { isOpaqueDir, isWhiteout } from './diff-tar.ts';
import type { LayerSyscalls } from './syscalls.ts';

export const CHANGE_KIND = { modified: 0, added: 1, deleted: 2 } as const;

export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch {
    return undefined; // absent (or dangling symlink) in this layer
  }
}

export async function changes(sys: LayerSyscalls, upperDir: string, lowerDirs: readonly string[]): Promise<Change[]> {
  const out: Change[] = [];
  const changedDirs = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    const names = (await fs.readdir(path.join(upperDir, rel))).sort();
    for (const name of names) {
      const p = rel === '/' ? `/${name}` : `${rel}/${name}`;
      const file = path.join(upperDir, p);
      const st = await fs.lstat(file);
      let kind: Change['Kind'];
      let skip = false;
      if (isWhiteout(st) || (st.isDirectory() && isOpaqueDir(sys, file))) {
        kind = CHANGE_KIND.deleted;
      } else {
        kind = CHANGE_KIND.added;
        for (const lower of lowerDirs) {
          const ls = await statOrUndefined(path.join(lower, p));
          if (!ls) continue;
          if (ls.isDirectory() && st.isDirectory() && ls.size === st.size && ls.mode === st.mode && ls.mtimeMs === st.mtimeMs) skip = true;
          kind = CHANGE_KIND.modified;
          break;
        }
      }
      if (!skip) {
        if (st.isDirectory()) changedDirs.add(p);
        if (kind !== CHANGE_KIND.modified) {
          const parent = path.posix.dirname(p);
          if (parent !== '/' && !changedDirs.has(parent)) {
            out.push({ Path: parent, Kind: CHANGE_KIND.modified });
            changedDirs.add(parent);
          }
        }
        out.push({ Path: p, Kind: kind });
      }
      if (st.isDirectory()) await visit(p);
    }
  };
  await visit('/');
  return out;
}
