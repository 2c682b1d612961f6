/**
 * A RUN step's mounts (`--mount` targets, secrets) leave traces in the
 * step container's writable layer: the runtime creates each mount point
 * (an empty directory or file) and the directories above it that the image
 * lacked, and overlayfs copies up the directories it had. None of that is
 * the step's work, so none of it may reach the committed layer (BuildKit's
 * behaviour: a cache mount or a secret leaves nothing in the image).
 *
 * For each mount point, bottom up: the mount point itself goes if it is an
 * empty directory or an empty file; then each directory above it goes while
 * it is empty in the writable layer and either did not exist in the image
 * or is an unmodified copy-up (same mode and owner as the image's, not
 * opaque). The first directory that holds something the step wrote stops
 * the walk, so the step's own files are never touched.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { LayerSyscalls } from '../../store/layers/syscalls.ts';
import { OPAQUE_XATTR } from '../../store/layers/whiteout.ts';
import { isErrno } from '../../util/errors.ts';

async function lstat(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** The entry as the image shows it: the first lower dir that has it (whiteouts are not followed: a conservative "exists"). */
async function inImage(lowerDirs: readonly string[], rel: string): Promise<Stats | undefined> {
  for (const dir of lowerDirs) {
    const st = await lstat(path.join(dir, rel));
    if (st) return st;
  }
  return undefined;
}

export async function stripMountPoints(sys: LayerSyscalls, upper: string, lowerDirs: readonly string[], mountPoints: readonly string[]): Promise<void> {
  // Deepest first: a mount point under another one's directory is handled before its parent.
  const sorted = [...new Set(mountPoints.map((m) => path.posix.normalize(`/${m}`)))].sort((a, b) => b.length - a.length);
  for (const target of sorted) {
    let rel = target.replace(/^\/+/, '');
    let first = true;
    while (rel !== '' && rel !== '.') {
      const here = path.join(upper, rel);
      const st = await lstat(here);
      if (!st) {
        rel = path.posix.dirname(rel);
        first = false;
        continue;
      }
      const lower = await inImage(lowerDirs, rel);
      if (st.isDirectory()) {
        if ((await fs.readdir(here)).length > 0) break;
        const opaque = sys.lgetxattr(here, OPAQUE_XATTR)?.toString() === 'y';
        const untouched = !lower || (lower.isDirectory() && !opaque && lower.mode === st.mode && lower.uid === st.uid && lower.gid === st.gid);
        if (!untouched) break;
        await fs.rmdir(here);
      } else if (first && st.isFile() && st.size === 0 && !lower) {
        await fs.rm(here);
      } else {
        break;
      }
      rel = path.posix.dirname(rel);
      first = false;
    }
  }
}
