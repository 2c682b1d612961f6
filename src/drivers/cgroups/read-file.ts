import { readFileSync } from 'node:fs';

/**
 * A cgroup or procfs file's text, or undefined when it is absent: a
 * controller may be missing on this host, or the cgroup went away with the
 * container between two reads. Read synchronously: these pseudo-files are
 * produced in memory, and a thread-pool round trip costs more than the read.
 */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENOTDIR' || code === 'EINVAL' || code === 'ESRCH') return undefined;
    throw err;
  }
}
