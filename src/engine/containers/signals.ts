/** Signal names and numbers as Docker accepts them ("SIGTERM", "TERM", "15"). */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21,
  TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

/**
 * Parse a signal; throws Docker's "Invalid signal: X" (400). A number is
 * taken as it is (0 excepted), as dockerd's parser does; whether Linux has
 * it is `checkSignalForLinux`'s question.
 */
export function parseSignal(text: string): number {
  // As Go's parser: the text as given (no trimming), a number first, then a name in any case.
  // strconv.Atoi: any int64 but 0, negative ones included (the platform check refuses those).
  if (/^[-+]?\d+$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n) {
    const n = Number(text);
    if (n !== 0) return n;
    throw new InvalidParameterError(`Invalid signal: ${text}`);
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  // The real-time names dockerd knows: RTMIN, RTMIN+1…+15, RTMAX-14…-1, RTMAX.
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const offset = Number(rt[1] ?? 0);
    const valid = rt[1] === undefined || (/^[1-9]\d*$/.test(rt[1]) && offset <= (name.startsWith('RTMIN') ? 15 : 14));
    if (valid) return name.startsWith('RTMIN') ? 34 + offset : 64 - offset;
  }
  const n = SIGNALS[name];
  if (n === undefined) throw new InvalidParameterError(`Invalid signal: ${text}`);
  return n;
}

/** dockerd's platform check: 1–31 and the real-time signals 34–64 (SIGRTMIN to SIGRTMAX). */
export function checkSignalForLinux(n: number): void {
  if ((n >= 1 && n <= 31) || (n >= 34 && n <= 64)) return;
  // dockerd prints the signal as an unsigned 64-bit number: -1 is 18446744073709551615.
  const shown = n < 0 ? (2n ** 64n + BigInt(n)).toString() : String(n);
  throw new SystemError(`The linux daemon does not support signal ${shown}`);
}
