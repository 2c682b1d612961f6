/**
 * The file side of `compose watch`: host paths reported as they change,
 * and the batching Compose applies to them.
 *
 * watchPath keeps one path under watch whatever happens to it, as
 * Compose's naive watcher does: a directory is watched recursively
 * (node:fs `watch` with `recursive`, which Node 20 and Bun both implement
 * on Linux with inotify, so no package is needed); a file through its
 * directory; a path not there (yet) through its nearest existing parent,
 * not recursively, re-armed closer as the missing parts appear (or farther
 * when the path goes away). A directory that appears is walked and all it
 * holds reported, since its files may predate its own watch.
 *
 * Batcher gathers changed paths until none came for the quiet period
 * (Compose's 500 ms), then hands them over as one batch, each path once.
 */
import { watch as fsWatch, statSync, type FSWatcher, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Compose's quiet period: a batch is handled once no change came for this long. */
export const QUIET_PERIOD_MS = 500;

export class Batcher {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  constructor(
    private readonly onBatch: (paths: string[]) => void,
    private readonly quietMs = QUIET_PERIOD_MS,
  ) {}

  add(p: string): void {
    if (this.closed) return;
    this.pending.add(p);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.quietMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.size === 0 || this.closed) return;
    const batch = [...this.pending];
    this.pending.clear();
    this.onBatch(batch);
  }

  /** Drop what is pending; nothing more is handed over. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }
}

function statOf(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined; // not there (yet)
  }
}

async function walk(p: string, changed: (p: string) => void): Promise<void> {
  const st = await stat(p).catch(() => undefined);
  if (!st?.isDirectory()) return;
  const names = await readdir(p).catch(() => [] as string[]);
  for (const n of names) {
    const child = path.join(p, n);
    changed(child);
    await walk(child, changed);
  }
}

export interface PathWatch {
  close(): void;
}

/** Report every change at or under `target` (an absolute path) to `changed`; watcher failures to `failed`. */
export function watchPath(target: string, changed: (p: string) => void, failed: (err: Error) => void): PathWatch {
  let current: FSWatcher | undefined;
  let root = '';
  let mode: 'tree' | 'file' | 'missing' = 'missing';
  let closed = false;

  const arm = () => {
    current?.close();
    current = undefined;
    if (closed) return;
    const st = statOf(target);
    let dir = target;
    if (st?.isDirectory()) mode = 'tree';
    else if (st) {
      mode = 'file';
      dir = path.dirname(target);
    } else {
      mode = 'missing';
      do dir = path.dirname(dir);
      while (dir !== path.dirname(dir) && !statOf(dir)?.isDirectory());
    }
    root = dir;
    try {
      current = fsWatch(root, { recursive: mode === 'tree' }, onEvent);
    } catch (err) {
      failed(err as Error);
      return;
    }
    current.on('error', (err) => {
      // The watched directory went away: watch from what is left.
      if (!statOf(root)) {
        if (mode === 'tree') changed(target);
        arm();
      }
      else failed(err);
    });
  };

  const onEvent = (_event: string, name: string | Buffer | null) => {
    if (closed || name === null) return;
    const abs = path.join(root, name.toString());
    if (mode === 'tree') {
      changed(abs);
      void walk(abs, changed);
      // The tree itself removed (or replaced by a file): reported, and watched from what is left.
      if (!statOf(target)?.isDirectory()) {
        changed(target);
        arm();
      }
      return;
    }
    if (mode === 'file') {
      if (abs !== target) return;
      changed(abs);
      if (statOf(target)?.isDirectory()) arm();
      return;
    }
    // missing: only the next part of the way to the target matters.
    if (abs === target || target.startsWith(abs + path.sep)) {
      if (statOf(abs)) {
        arm();
        if (statOf(target)) {
          changed(target);
          void walk(target, changed);
        }
      }
    }
  };

  arm();
  return {
    close() {
      closed = true;
      current?.close();
    },
  };
}
