/**
 * Network namespaces that outlive their processes: each is a file under
 * `<execRoot>/netns/` with the namespace bind-mounted on it (what `ip netns
 * add` does under /run/netns). `unshare --net=FILE` (util-linux) makes and
 * mounts one in a single short process. A container's processes join it by
 * path; removing it is an unmount (the kernel frees the namespace, and the
 * links in it, once the last process inside has gone).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from '../exec-file.ts';
import { MNT_DETACH, native } from '../native.ts';
import { isErrno } from '../../util/errors.ts';

export class NetnsDir {
  constructor(readonly dir: string) {}

  path(name: string): string {
    return `${this.dir}/${name}`;
  }

  async create(name: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.path(name);
    writeFileSync(file, '', { mode: 0o600 });
    try {
      await execFile('unshare', [`--net=${file}`, 'true'], { timeoutMs: 10_000 });
    } catch (err) {
      rmSync(file, { force: true });
      throw err;
    }
    return file;
  }

  /** Unmounts and deletes; a name that is not there is fine. */
  remove(name: string): void {
    const file = this.path(name);
    try {
      native().umount2(file, MNT_DETACH);
    } catch (err) {
      if (!isErrno(err, 'EINVAL') && !isErrno(err, 'ENOENT')) throw err;
    }
    rmSync(file, { force: true });
  }

  /** The names present (namespace files only, not their side files). */
  names(): string[] {
    try {
      return readdirSync(this.dir).filter((n) => !n.includes('.'));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
  }
}
