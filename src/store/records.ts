/**
 * Atomic JSON records. A record is written to a temp file in the same
 * directory, fsynced, renamed over the target, and the directory fsynced, so
 * a crash at any instant leaves either the old or the new record, never a torn
 * one. A write that is not `durable` skips the two fsyncs: the rename alone
 * keeps it atomic against a crash of the daemon (the kernel has the data),
 * and only a crash of the whole machine can lose it; that suits records
 * that can be rebuilt, such as a container's run state. Leftover `*.tmp-*` files are garbage from an interrupted write and are
 * ignored by readers (and removed by `sweepTemp`).
 */
import { promises as fs, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isErrno } from '../util/errors.ts';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriteOptions {
  /** The file's mode (default 0600: records hold secrets, such as a container's environment). */
  mode?: number;
  /** fsync the file and its directory (default true). */
  durable?: boolean;
}

/** Write `data` to `file` atomically (and durably unless told otherwise). */
export async function writeFileAtomic(file: string, data: string | Buffer, options: WriteOptions = {}): Promise<void> {
  const { mode = 0o600, durable = true } = options;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${randomBytes(4).toString('hex')}`);
  if (!durable) {
    // Without fsync both calls only touch the page cache: synchronous calls
    // take microseconds, where thread-pool round trips take milliseconds
    // while a container start keeps the pool busy (run-state saves).
    try {
      writeFileSync(tmp, data, { mode });
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return;
  }
  const handle = await fs.open(tmp, 'w', mode);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  if (durable) await fsyncDir(dir);
}

export async function writeJsonAtomic(file: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', options);
}

/** Read a JSON record; undefined when it does not exist. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** True for names that are leftovers of an interrupted atomic write. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes('.tmp-');
}

/** Remove leftovers of interrupted writes in `dir`. */
export async function sweepTemp(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  await Promise.all(names.filter(isTempName).map((n) => fs.rm(path.join(dir, n), { force: true, recursive: true })));
}
