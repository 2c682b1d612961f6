/**
 * Detach key sequences ("ctrl-p,ctrl-q"), parsed by the rules of moby/term's
 * ToBytes, which dockerd and the docker CLI share:
 * - the text is split on "," and nothing is trimmed ("ctrl-p, ctrl-q" fails);
 * - a key of exactly one byte stands for itself ("a", "A", " ");
 * - otherwise it must be, case-sensitively, one of "ctrl-@" (0), "ctrl-a" to
 *   "ctrl-z" (1 to 26), "ctrl-[" (27), "ctrl-\" (28), "ctrl-]" (29), "ctrl-^"
 *   (30), "ctrl-_" (31), or "DEL" (127): "CTRL-P" and "ctrl-P" fail;
 * - anything else fails with "Unknown character: '<key>'" (an empty text
 *   too; callers substitute the default first).
 * Callers wrap the error in their own words ("Invalid detach keys (…)
 * provided" for attach, "Invalid escape keys (…) provided" for exec). Pure.
 */
import { InvalidParameterError } from './errors.ts';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** The control keys in code order: index = byte. */
const CTRL_KEYS = '@abcdefghijklmnopqrstuvwxyz[\\]^_';

export function parseDetachKeys(text: string): number[] {
  const codes: number[] = [];
  for (const key of text.split(',')) {
    // moby compares the key's byte length: one non-ASCII character is several bytes.
    if (Buffer.byteLength(key) === 1) {
      codes.push(key.charCodeAt(0));
      continue;
    }
    const ctrl = key.length === 6 && key.startsWith('ctrl-') ? CTRL_KEYS.indexOf(key[5]!) : -1;
    if (ctrl >= 0) codes.push(ctrl);
    else if (key === 'DEL') codes.push(127);
    else throw new InvalidParameterError(`Unknown character: '${key}'`);
  }
  return codes;
}
