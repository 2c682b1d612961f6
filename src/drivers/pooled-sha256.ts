/**
 * SHA-256 computed on libuv's thread pool (the native addon, Node's own
 * OpenSSL): `update` only queues the chunk, so the main thread stays free
 * while a large build-context file streams in. Chunks are handed over in
 * batches of at least BATCH bytes (each hand-over costs the main thread
 * ~20 µs), one batch hashed at a time per hasher. The
 * chunks must not be changed until `digest` resolves (they are held, not
 * copied).
 */
import { native } from './native.ts';

const BATCH = 1024 * 1024;

export class PooledSha256 {
  private readonly handle = native().sha256New();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;
  private failure: Error | undefined;

  update(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (!this.inFlight && this.pendingBytes >= BATCH) this.next();
  }

  /** `sha256:<hex>` once every chunk given is hashed. */
  async digest(): Promise<string> {
    while (this.inFlight) await this.inFlight;
    if (this.pending.length > 0) {
      this.next();
      while (this.inFlight) await this.inFlight;
    }
    if (this.failure) throw this.failure;
    return `sha256:${native().sha256Digest(this.handle).toString('hex')}`;
  }

  private next(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight = new Promise((resolve) => {
      native().sha256Update(this.handle, batch, (err) => {
        batch.length = 0; // held until here: the thread read them
        if (err) this.failure ??= err;
        this.inFlight = undefined;
        if (this.pendingBytes >= BATCH) this.next();
        resolve();
      });
    });
  }
}
