/**
 * Attach clients of containers. A client that attaches before the container
 * starts (as `docker run` does) waits here; `connectPending` connects it to
 * the monitor after the container is created but before its process runs,
 * so no output is lost. A client that attaches to a running container is
 * connected at once.
 */
import type { AttachStreams, RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { SystemError } from '../../util/errors.ts';

export type { AttachStreams };

interface Pending {
  resolve: (streams: AttachStreams) => void;
  reject: (err: Error) => void;
}

export class AttachHub {
  private readonly pending = new Map<string, Pending[]>();

  constructor(private readonly runtime: RuntimeDriver) {}

  /** Connect now when running, else when the container next starts. */
  attach(id: string, running: boolean, signal?: AbortSignal): Promise<AttachStreams> {
    if (running) return this.connect(id);
    return new Promise((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      const list = this.pending.get(id) ?? [];
      list.push(entry);
      this.pending.set(id, list);
      signal?.addEventListener(
        'abort',
        () => {
          const rest = (this.pending.get(id) ?? []).filter((p) => p !== entry);
          if (rest.length) this.pending.set(id, rest);
          else this.pending.delete(id);
          reject(new SystemError('attach cancelled'));
        },
        { once: true },
      );
    });
  }

  async connectPending(id: string): Promise<void> {
    const list = this.pending.get(id);
    if (!list) return;
    this.pending.delete(id);
    await Promise.all(
      list.map(async (p) => {
        try {
          p.resolve(await this.connect(id));
        } catch (err) {
          p.reject(err as Error);
        }
      }),
    );
  }

  private connect(id: string): Promise<AttachStreams> {
    return this.runtime.attach(id);
  }

  /**
   * Fail the clients still waiting for a start. Live connections are left
   * alone: the monitor closes them after it has drained the last output, and
   * cutting them here would drop bytes still in the socket.
   */
  closePending(id: string): void {
    for (const p of this.pending.get(id) ?? []) p.reject(new SystemError('container removed'));
    this.pending.delete(id);
  }
}
