/**
 * Copy-up: a new, empty volume mounted over a directory of the image is
 * first filled with that directory's content, as dockerd fills it at create
 * (moby `container.CopyImagePathToVolume`: continuity's `fs.CopyDir`, then
 * the volume's root given the directory's owner and mode). Owners, modes,
 * times, symlinks, hard links, device nodes and extended attributes are
 * kept. Streams each file; never follows a symlink out of the tree.
 */
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { native } from '../../drivers/native.ts';
import { isErrno } from '../../util/errors.ts';

/** Whether `dir` has no entries (a missing one counts as not empty: nothing to fill). */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    const handle = await fs.opendir(dir);
    try {
      return (await handle.read()) === null;
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return false;
    throw err;
  }
}

function copyXattrs(from: string, to: string): void {
  const addon = native();
  let names: string[];
  try {
    names = addon.llistxattr(from);
  } catch {
    return; // a filesystem without xattrs: nothing to keep
  }
  for (const name of names) {
    const value = addon.lgetxattr(from, name);
    if (value) addon.lsetxattr(to, name, value);
  }
}

async function copyMeta(from: string, to: string, st: import('node:fs').Stats, isLink: boolean): Promise<void> {
  await fs.lchown(to, st.uid, st.gid);
  if (!isLink) await fs.chmod(to, st.mode & 0o7777);
  copyXattrs(from, to);
  await fs.lutimes(to, st.atime, st.mtime);
}

/** Copy the content of directory `src` into the existing directory `dst`, then give `dst` the owner and mode of `src`. */
export async function copyUp(src: string, dst: string): Promise<void> {
  const links = new Map<string, string>(); // dev:ino → first copy, for hard links
  const dirs: [string, string, import('node:fs').Stats][] = [];
  const walk = async (from: string, to: string): Promise<void> => {
    for (const entry of await fs.readdir(from)) {
      const s = path.join(from, entry);
      const d = path.join(to, entry);
      const st = await fs.lstat(s);
      if (st.isDirectory()) {
        await fs.mkdir(d, { mode: 0o700 });
        await walk(s, d);
        dirs.push([s, d, st]); // directory times and modes after their content
        continue;
      }
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(key) : undefined;
      if (first) {
        await fs.link(first, d);
        continue;
      }
      if (st.isSymbolicLink()) await fs.symlink(await fs.readlink(s), d);
      else if (st.isFile()) await fs.copyFile(s, d, constants.COPYFILE_FICLONE);
      else if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) native().mknod(d, st.mode, st.rdev);
      else continue; // a socket is not copied (continuity skips them too)
      await copyMeta(s, d, st, st.isSymbolicLink());
      if (st.nlink > 1) links.set(key, d);
    }
  };
  await walk(src, dst);
  for (const [s, d, st] of dirs) await copyMeta(s, d, st, false);
  const root = await fs.stat(src);
  await fs.chown(dst, root.uid, root.gid);
  await fs.chmod(dst, root.mode & 0o7777);
}
