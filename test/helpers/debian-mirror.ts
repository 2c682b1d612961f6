/**
 * For the tests that bootstrap a Debian image: the cache of .debs they share
 * (BERTH_BOOTSTRAP_CACHE) and whether the host's Debian mirror answers.
 */
import { hostDebianMirrors } from '../../src/drivers/apt-sources.ts';

export const DEBIAN_CACHE = '/var/cache/berth-test/debian';

/** Why the archive cannot be used, or undefined when it answers. */
export async function mirrorUnreachable(): Promise<string | undefined> {
  const { archive } = await hostDebianMirrors();
  if (!archive) return 'no Debian mirror in /etc/apt/sources.list*';
  try {
    const res = await fetch(`${archive}/dists/bookworm/InRelease`, { method: 'HEAD', signal: AbortSignal.timeout(15_000) });
    return res.ok ? undefined : `${archive}/dists/bookworm/InRelease answered ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return `Debian mirror ${archive} unreachable: ${cause?.code ?? (err as Error).message}`;
  }
}
