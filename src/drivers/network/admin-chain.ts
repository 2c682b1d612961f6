/**
 * The administrator's chain: `BERTH-USER` in iptables' filter table, jumped
 * to first from FORWARD, before netavark's own rules. Traffic to published
 * ports from other hosts is forwarded to the containers, so it passes
 * through here first: a rule the administrator puts in BERTH-USER (a DROP
 * for some source, say) takes effect, where Docker's published ports go
 * around an ordinary firewall (moby#22054, #4737). Berth only makes the
 * chain, its final RETURN and the jump; it never changes rules the
 * administrator put there. The chain is shared by every daemon on the host;
 * a daemon that stops removes it only when it is as Berth made it and no
 * netavark network is left on the host (`removeUnusedAdminChain`).
 */
import { execFile } from '../exec-file.ts';
import { NETAVARK_LOCK, ensureLockDir } from './netavark.ts';

export const ADMIN_CHAIN = 'BERTH-USER';

async function iptables(args: string[], okCodes = [0]): Promise<{ code: number; stdout: string }> {
  ensureLockDir();
  // Under netavark's lock: iptables-nft changes made while netavark changes the same tables can fail either side.
  return execFile('flock', ['--close', NETAVARK_LOCK, 'iptables', '-w', ...args], { okCodes, timeoutMs: 30_000 });
}

/**
 * Makes sure the chain exists, ends in RETURN, and is the first rule of
 * FORWARD, or at least ahead of netavark's jump (netavark adds it when it
 * first sets a network up, so this runs again after each set-up that may
 * have been a first).
 */
export async function ensureAdminChain(): Promise<void> {
  await iptables(['-t', 'filter', '-N', ADMIN_CHAIN], [0, 1]); // 1: it exists
  if ((await iptables(['-t', 'filter', '-C', ADMIN_CHAIN, '-j', 'RETURN'], [0, 1])).code !== 0) {
    await iptables(['-t', 'filter', '-A', ADMIN_CHAIN, '-j', 'RETURN']);
  }
  const rules = (await iptables(['-t', 'filter', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.startsWith('-A FORWARD'));
  const jump = `-A FORWARD -j ${ADMIN_CHAIN}`;
  const ours = rules.indexOf(jump);
  const netavark = rules.findIndex((l) => l.includes('-j NETAVARK_FORWARD'));
  // Ahead of netavark's rules is enough (another engine's chains, Docker's DOCKER-USER, may come first).
  if (ours >= 0 && (netavark < 0 || ours < netavark)) return;
  // Behind them or missing: every jump goes, then one comes back at the top.
  for (const rule of rules) if (rule === jump) await iptables(['-t', 'filter', '-D', 'FORWARD', '-j', ADMIN_CHAIN], [0, 1]);
  await iptables(['-t', 'filter', '-I', 'FORWARD', '1', '-j', ADMIN_CHAIN]);
}

/**
 * At daemon stop: the chain and its jump go if the chain holds nothing but
 * Berth's RETURN (no rule of the administrator's) and netavark forwards for
 * no network any more (no other daemon, or engine, still relies on it).
 */
export async function removeUnusedAdminChain(): Promise<void> {
  const own = (await iptables(['-t', 'filter', '-S', ADMIN_CHAIN], [0, 1])).stdout.split('\n').filter((l) => l.startsWith('-A '));
  // Two daemons starting together may each have added the RETURN (and the jump): any number of them is Berth's.
  if (own.length === 0 || own.some((l) => l !== `-A ${ADMIN_CHAIN} -j RETURN`)) return;
  const forwarded = (await iptables(['-t', 'filter', '-S', 'NETAVARK_FORWARD'], [0, 1])).stdout.split('\n').filter((l) => l.startsWith('-A '));
  if (forwarded.length > 0) return;
  const jumps = (await iptables(['-t', 'filter', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l === `-A FORWARD -j ${ADMIN_CHAIN}`);
  for (let i = 0; i < jumps.length; i++) await iptables(['-t', 'filter', '-D', 'FORWARD', '-j', ADMIN_CHAIN], [0, 1]);
  await iptables(['-t', 'filter', '-F', ADMIN_CHAIN], [0, 1]);
  await iptables(['-t', 'filter', '-X', ADMIN_CHAIN], [0, 1]);
}
