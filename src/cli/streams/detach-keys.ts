/**
 * Detach key sequences ("ctrl-p,ctrl-q"), parsed like moby/term's ToBytes,
 * and an escape matcher over the input stream. Pure.
 */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

export function parseDetachKeys(keys: string): number[] {
  const out: number[] = [];
  for (const key of keys.split(',')) {
    const k = key.trim();
    if (k.length > 5 && k.toLowerCase().startsWith('ctrl-')) {
      const ch = k.slice(5).toLowerCase();
      if (ch.length !== 1) throw new Error(`Invalid detach keys (${keys}) provided`);
      const code = ch.charCodeAt(0);
      if (code >= 97 && code <= 122) out.push(code - 96);
      else if ('@[\\]^_'.includes(ch)) out.push('@[\\]^_'.indexOf(ch) === 0 ? 0 : 27 + '[\\]^_'.indexOf(ch));
      else throw new Error(`Invalid detach keys (${keys}) provided`);
    } else if (k.length === 1) {
      out.push(k.charCodeAt(0));
    } else {
      throw new Error(`Invalid detach keys (${keys}) provided`);
    }
  }
  return out;
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
