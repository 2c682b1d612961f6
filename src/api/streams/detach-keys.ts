/** Docker's detach-key sequences: "ctrl-p,ctrl-q" (the default), "a", "ctrl-@"… */
import { InvalidParameterError } from '../../util/errors.ts';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

export function parseDetachKeys(text: string | undefined): number[] {
  const spec = text && text.length > 0 ? text : DEFAULT_DETACH_KEYS;
  return spec.split(',').map((key) => {
    const k = key.trim().toLowerCase();
    if (k.length === 1) return k.charCodeAt(0);
    const m = /^ctrl-(.)$/.exec(k);
    if (m) {
      const c = m[1]!;
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96;
      const special: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
      if (c in special) return special[c]!;
    }
    throw new InvalidParameterError(`Invalid detach keys (${text}) provided`);
  });
}
