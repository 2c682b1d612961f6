/**
 * The journal of operations in flight: one small record per operation
 * under `<dir>/<random>.json`, written durably BEFORE the operation's first
 * side effect that a crash could leave half done (pausing a container,
 * writing an image record, untagging), rewritten as the operation learns
 * what it will leave behind (an image ID, a layer), and deleted after its
 * last step. A record still present at start names an operation cut short
 * by a crash; the engine's recovery (src/engine/recovery.ts) finishes or
 * rolls it back from what the record says, then ends it.
 *
 * A crash between the last step and the deletion leaves a record of an
 * operation that did complete: recovery must therefore be idempotent (it
 * checks the world, never assumes the step is still to do).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../util/errors.ts';
import { readJson, sweepTemp, writeJsonAtomic } from './records.ts';

/** One operation's record; `body` is the caller's description of it. */
export class Intent<T extends object> {
  constructor(
    private readonly journal: Journal,
    readonly file: string,
    public body: T,
  ) {}

  /** Record more of what the operation is doing (durably, before it does it). */
  async note(patch: Partial<T>): Promise<void> {
    this.body = { ...this.body, ...patch };
    await this.journal.write(this.file, this.body);
  }

  /** The operation finished (or failed cleanly): forget it. */
  async end(): Promise<void> {
    try {
      await fs.rm(this.file);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
  }
}

export class Journal {
  private ready: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  private ensureDir(): Promise<void> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }

  /** @internal Used by Intent. */
  async write(file: string, body: object): Promise<void> {
    await this.ensureDir();
    await writeJsonAtomic(file, body, { mode: 0o600 });
  }

  /** Record an operation about to start. */
  async begin<T extends object>(body: T): Promise<Intent<T>> {
    const intent = new Intent(this, path.join(this.dir, `${randomBytes(8).toString('hex')}.json`), body);
    await this.write(intent.file, body);
    return intent;
  }

  /** The operations a crash cut short (call at start, before any new one begins). */
  async pending(): Promise<Intent<Record<string, unknown>>[]> {
    await this.ensureDir();
    await sweepTemp(this.dir);
    const out: Intent<Record<string, unknown>>[] = [];
    for (const name of (await fs.readdir(this.dir)).sort()) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      // A record is written atomically: a file that does not parse is not ours.
      const body = await readJson<Record<string, unknown>>(file).catch(() => undefined);
      if (body && typeof body === 'object') out.push(new Intent(this, file, body));
      else await fs.rm(file, { force: true });
    }
    return out;
  }
}
