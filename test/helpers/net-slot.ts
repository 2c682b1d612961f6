/**
 * Each test daemon gets its own default bridge and subnets, so test files
 * running in parallel never share a bridge, an address or an iptables rule:
 * a slot 0–249 claimed with an exclusive file (freed at the end; a slot whose
 * owner process is gone is taken over). Slot n owns:
 * - the default bridge `btn<n>` on 10.200.<n>.0/24 (gateway .1);
 * - the address pool 10.201.<n>.0/24 in /28s for user networks;
 * - host ports are not slotted: tests publish on ports the kernel picks.
 * `leftovers` lists what of a slot is still on the host (links, iptables
 * rules, the netavark chains of its networks); `scrub` removes it, so even
 * a failed test leaves the host clean.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';

const DIR = '/tmp/berth-test-slots';

export interface NetSlot {
  n: number;
  bridge: string;
  bip: string;
  subnet: string;
  pool: string;
  /** berthd flags for this slot. */
  args: string[];
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function claimNetSlot(): NetSlot {
  mkdirSync(DIR, { recursive: true });
  const start = Math.floor(Math.random() * 250);
  for (let i = 0; i < 250; i++) {
    const n = (start + i) % 250;
    const file = `${DIR}/slot-${n}`;
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch {
      const owner = Number(readFileSync(file, 'utf8').trim() || '0');
      if (owner && alive(owner)) continue;
      rmSync(file, { force: true });
      try {
        fd = openSync(file, 'wx');
      } catch {
        continue;
      }
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    const slot: NetSlot = {
      n,
      bridge: `btn${n}`,
      bip: `10.200.${n}.1/24`,
      subnet: `10.200.${n}.0/24`,
      pool: `10.201.${n}.0/24`,
      args: ['--bridge', `btn${n}`, '--bip', `10.200.${n}.1/24`, '--default-address-pool', `base=10.201.${n}.0/24,size=28`],
      release: () => rmSync(file, { force: true }),
    };
    return slot;
  }
  throw new Error('no free network slot for a test daemon');
}

function run(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** The slot's subnets as they appear in iptables rules. */
function mine(slot: NetSlot, line: string): boolean {
  return line.includes(`10.200.${slot.n}.`) || line.includes(`10.201.${slot.n}.`) || new RegExp(`-[io] ${slot.bridge}( |$)`).test(line);
}

/**
 * netavark's per-network chains NETAVARK-<h> and NETAVARK-DN-<h> (nat) are named after the
 * first 13 hex digits of the SHA-512 of the network's name, which Berth makes the network's ID.
 */
export function netavarkChainHash(networkId: string): string {
  return createHash('sha512').update(networkId).digest('hex').slice(0, 13).toUpperCase();
}

const CHAIN = /NETAVARK-(?:DN-)?([0-9A-F]{13})\b/g;

/**
 * The slot's per-network chains in `table`'s listing: those of the networks given by ID,
 * and those holding or jumping from a rule that names the slot (a chain's DN sibling with it).
 * A chain nothing jumps to any more and emptied by a scrub is still found by its network's ID.
 */
function slotChains(slot: NetSlot, listing: string[], networkIds: readonly string[]): string[] {
  const hashes = new Set(networkIds.map(netavarkChainHash));
  for (const line of listing) if (mine(slot, line)) for (const m of line.matchAll(CHAIN)) hashes.add(m[1]!);
  return listing.filter((l) => l.startsWith('-N ')).map((l) => l.slice(3).trim()).filter((c) => {
    const m = /^NETAVARK-(?:DN-)?([0-9A-F]{13})$/.exec(c);
    return m !== null && hashes.has(m[1]!);
  });
}

/**
 * What the slot still has on the host: links on its bridges, iptables rules naming its subnets,
 * netavark chains of its networks (`networkIds`: the daemon's networks, default bridge included).
 */
export function leftovers(slot: NetSlot, extraLinks: string[] = [], networkIds: readonly string[] = []): string[] {
  const out: string[] = [];
  const links = run('ip', ['-o', 'link', 'show']);
  for (const line of links.split('\n')) {
    const name = line.split(': ')[1]?.split('@')[0];
    if (!name) continue;
    if (name === slot.bridge || extraLinks.includes(name) || line.includes(`master ${slot.bridge} `)) out.push(`link ${name}`);
  }
  for (const name of addressedLinks(slot)) if (!out.includes(`link ${name}`)) out.push(`link ${name}`);
  for (const table of ['nat', 'filter']) {
    const listing = run('iptables', ['-t', table, '-S']).split('\n');
    for (const line of listing) if (mine(slot, line)) out.push(`iptables -t ${table} ${line}`);
    for (const chain of slotChains(slot, listing, networkIds)) out.push(`iptables -t ${table} -N ${chain}`);
  }
  return out;
}

/** Links holding an address of the slot (user networks' bridges). */
function addressedLinks(slot: NetSlot): string[] {
  return run('ip', ['-o', 'addr', 'show'])
    .split('\n')
    .filter((line) => mine(slot, line))
    .map((line) => line.split(/\s+/)[1]!)
    .filter(Boolean);
}

/** Remove whatever `leftovers` finds (after a failed test): the slot's rules, then its networks' chains. */
export function scrub(slot: NetSlot, extraLinks: string[] = [], networkIds: readonly string[] = []): void {
  const iptables = (table: string, args: string[]) => run('flock', ['--close', '/run/lock/berth-netavark.lock', 'iptables', '-t', table, ...args]);
  for (const table of ['nat', 'filter']) {
    const listing = run('iptables', ['-t', table, '-S']).split('\n');
    const chains = slotChains(slot, listing, networkIds);
    for (const line of listing) {
      if (!mine(slot, line) || !line.startsWith('-A ')) continue;
      iptables(table, ['-D', ...line.slice(3).match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''))]);
    }
    // A jump to one of them from a rule that does not name the slot (a DNAT of a published port).
    for (const line of run('iptables', ['-t', table, '-S']).split('\n')) {
      if (line.startsWith('-A ') && chains.some((c) => line.endsWith(` -j ${c}`))) iptables(table, ['-D', ...line.slice(3).match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''))]);
    }
    for (const c of chains) iptables(table, ['-F', c]);
    for (const c of chains) iptables(table, ['-X', c]);
  }
  for (const name of new Set([slot.bridge, ...extraLinks, ...addressedLinks(slot)])) run('ip', ['link', 'del', name]);
}
