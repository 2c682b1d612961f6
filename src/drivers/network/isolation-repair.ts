/**
 * Repairs two leaks of netavark 1.4's network isolation (the `isolate`
 * option, which keeps each bridge network from reaching the others), seen
 * on this Debian's netavark:
 * - when it removes a bridge (its last container gone) it deletes the
 *   FORWARD jump to NETAVARK_ISOLATION_1, though other isolated networks,
 *   of this daemon or another, still rely on it: their isolation is off
 *   until netavark next sets one of them up;
 * - it never deletes the bridge's own rules in NETAVARK_ISOLATION_1/2, so
 *   they pile up, naming bridges that no longer exist.
 * After netavark has removed a bridge, the rules naming links that no
 * longer exist go, and the jump comes back while any rule is left. Nothing
 * else in netavark's chains is touched.
 */
import { execFile } from '../exec-file.ts';
import { NETAVARK_LOCK, ensureLockDir } from './netavark.ts';
import { linkExists } from './host-network.ts';

const CHAINS = ['NETAVARK_ISOLATION_1', 'NETAVARK_ISOLATION_2'] as const;

async function iptables(args: string[], okCodes = [0]): Promise<string> {
  ensureLockDir();
  // Under netavark's lock, as every change to its chains.
  return (await execFile('flock', ['--close', NETAVARK_LOCK, 'iptables', '-w', '-t', 'filter', ...args], { okCodes, timeoutMs: 30_000 })).stdout;
}

/** The `-A CHAIN …` rules of a chain; none when it does not exist. */
async function rules(chain: string): Promise<string[]> {
  const out = await iptables(['-S', chain], [0, 1]).catch(() => '');
  return out.split('\n').filter((l) => l.startsWith(`-A ${chain} `));
}

/** Deletes rules naming links that are gone, then puts the FORWARD jump back if isolation rules remain. */
export async function repairIsolation(): Promise<void> {
  let left = 0;
  for (const chain of CHAINS) {
    for (const rule of await rules(chain)) {
      const links = [...rule.matchAll(/-[io] (\S+)/g)].map((m) => m[1]!);
      if (links.length && links.every((l) => !linkExists(l))) {
        await iptables(['-D', ...rule.slice(3).split(' ')], [0, 1]);
      } else {
        left++;
      }
    }
  }
  if (left === 0) return;
  const forward = await rules('FORWARD');
  if (!forward.includes('-A FORWARD -j NETAVARK_ISOLATION_1')) await iptables(['-I', 'FORWARD', '1', '-j', 'NETAVARK_ISOLATION_1'], [0, 1]);
}
