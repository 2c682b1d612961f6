/**
 * API versions settle here, at the edge: the router strips a `/vX.Y` prefix,
 * bounds it to [MIN, MAX], and hands the number to routes (the engine never
 * sees one).
 */
import { InvalidParameterError } from '../util/errors.ts';

export const MIN_API_VERSION = '1.24';
export const MAX_API_VERSION = '1.43';
export const DEFAULT_API_VERSION = MAX_API_VERSION;

/** Compare two "X.Y" versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  if (amaj !== bmaj) return amaj < bmaj ? -1 : 1;
  if (amin !== bmin) return amin < bmin ? -1 : 1;
  return 0;
}

/** Split `/v1.41/containers/json` into version and path; checks Docker's bounds. */
export function splitVersion(pathname: string): { version: string; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*|)$/.exec(pathname);
  if (!m) return { version: DEFAULT_API_VERSION, path: pathname };
  const version = m[1]!;
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw new InvalidParameterError(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  if (compareVersions(version, MAX_API_VERSION) > 0) {
    throw new InvalidParameterError(`client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`);
  }
  return { version, path: m[2] || '/' };
}
