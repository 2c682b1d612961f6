/**
 * conmon's exit files: the exit code as decimal text, written with a
 * temp-file-and-rename (glib `g_file_set_contents`) into an exit directory,
 * named after the container ID. Waiting uses inotify on the directory (no
 * polling), re-checking the file after the watch is armed so an exit that
 * happened before, or while, we armed it is never missed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isErrno, NotFoundError, SystemError } from '../../util/errors.ts';

export async function readExitFile(file: string): Promise<number | undefined> {
  let text: string;
  try {
    // A few bytes on the exec root's tmpfs: synchronous is faster than the thread pool.
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw new SystemError(`reading exit file ${file}: ${(e as Error).message}`, { cause: e });
  }
  const code = Number.parseInt(text.trim(), 10);
  return Number.isNaN(code) ? undefined : code;
}

export function waitExitFile(file: string, signal?: AbortSignal): Promise<number> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let watcher: fs.FSWatcher;
    let done = false;
    const finish = (err: unknown, code?: number): void => {
      if (done) return;
      done = true;
      watcher.close();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(code!);
    };
    const onAbort = (): void => finish(signal?.reason ?? new Error('aborted'));
    const check = (): void => {
      readExitFile(file).then(
        (code) => {
          if (code !== undefined) finish(undefined, code);
        },
        (e) => finish(e),
      );
    };
    try {
      watcher = fs.watch(dir, { persistent: true }, (_event, filename) => {
        if (filename === null || filename.toString() === name) check();
      });
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return reject(new NotFoundError(`no runtime state for ${name}: ${dir} does not exist`));
      return reject(new SystemError(`watching ${dir}: ${(e as Error).message}`, { cause: e }));
    }
    watcher.on('error', (e) => finish(new SystemError(`watching ${dir}: ${e.message}`, { cause: e })));
    signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
