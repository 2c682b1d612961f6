/**
 * A spec (or a process of one) as the JSON runc reads. The one value a
 * JavaScript number cannot carry is RLIM_INFINITY, the uint64 2^64-1 of an
 * unlimited rlimit: an rlimit of -1 (Docker's "unlimited", which dockerd
 * turns into that uint64) or of that size read back is written out exactly.
 */
/** A spec carries the container's environment: readable by root alone. */
export const SPEC_MODE = 0o600;

const INFINITY_MARK = '\u0000RLIM_INFINITY\u0000';
const RLIM_INFINITY = '18446744073709551615';

export function specToJson(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) =>
    (key === 'soft' || key === 'hard') && typeof v === 'number' && (v < 0 || v >= 2 ** 64 - 1) ? INFINITY_MARK : v,
  );
  return text.replaceAll(JSON.stringify(INFINITY_MARK), RLIM_INFINITY);
}
