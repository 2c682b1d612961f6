/**
 * A volume's size as dockerd's directory.Size counts it: the sizes of the
 * files below (symbolic links by their own size, a hard-linked inode once),
 * directories not counted; a file that vanishes during the walk is skipped.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../../util/errors.ts';

export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<bigint>();
  let total = 0;
  const walk = async (current: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await fs.readdir(current);
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return;
      throw err;
    }
    for (const entry of entries) {
      const full = path.join(current, entry);
      let st;
      try {
        st = await fs.lstat(full, { bigint: true });
      } catch (err) {
        if (isErrno(err, 'ENOENT')) continue;
        throw err;
      }
      if (st.isDirectory()) {
        await walk(full);
        continue;
      }
      if (st.size === 0n || seen.has(st.ino)) continue;
      seen.add(st.ino);
      total += Number(st.size);
    }
  };
  await walk(dir);
  return total;
}
