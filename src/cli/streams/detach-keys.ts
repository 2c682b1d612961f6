/**
 * The client's side of detach keys: which bytes end a session typed at a
 * terminal, and an escape matcher over the input stream. Pure.
 */
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../util/detach-keys.ts';

/**
 * The sequence to watch for `--detach-keys` (or the config file's
 * detachKeys). As the docker CLI does, a bad sequence is not refused here:
 * the daemon refuses it (attach: 400, exec create: its "Invalid escape keys"
 * error); the client falls back to ctrl-p,ctrl-q.
 */
export function clientDetachKeys(text: string): number[] {
  try {
    return parseDetachKeys(text || DEFAULT_DETACH_KEYS);
  } catch {
    return parseDetachKeys(DEFAULT_DETACH_KEYS);
  }
}

/**
 * Watches input for the sequence. `feed` returns the bytes to forward; a
 * partial match is held back (and released if the sequence breaks), as
 * moby/term's EscapeProxy does; `detached` turns true once it completes.
 */
export class EscapeMatcher {
  private held: number[] = [];
  detached = false;

  constructor(private readonly keys: number[]) {}

  feed(chunk: Buffer): Buffer {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.detached) break;
      if (this.keys.length > 0 && byte === this.keys[this.held.length]) {
        this.held.push(byte);
        if (this.held.length === this.keys.length) this.detached = true;
        continue;
      }
      out.push(...this.held, byte);
      this.held = [];
    }
    return Buffer.from(out);
  }
}
