/**
 * Pure parsers for cgroup (v1 and v2) and procfs files: text in, numbers out.
 * Counters can exceed 2^53 (e.g. v1's "unlimited" 9223372036854771712); they
 * become the nearest double, as they would in any JSON client.
 */
import type { BlkioStatEntry, NetworkStats } from '../../wire/stats.ts';

/** `key value` per line (memory.stat, cpu.stat, memory.events, cpuacct.stat, memory.oom_control). */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value, extra] = line.trim().split(/\s+/);
    if (!key || value === undefined || extra !== undefined) continue;
    const n = Number(value);
    if (Number.isFinite(n)) out[key] = n;
  }
  return out;
}

/** A single number, or undefined for "max" (v2's unlimited) and for garbage. */
export function parseSingleValue(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Space-separated numbers (cpuacct.usage_percpu). */
export function parseNumberList(text: string): number[] {
  return text.trim().split(/\s+/).filter(Boolean).map(Number).filter(Number.isFinite);
}

/**
 * Host CPU time from /proc/stat's aggregate "cpu" line in clock ticks: the sum
 * of user, nice, system, idle, iowait, irq and softirq, as Docker sums them
 * (steal, guest and guest_nice are left out).
 */
export function parseProcStatTicks(text: string): number | undefined {
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== 'cpu') continue;
    if (parts.length < 8) return undefined;
    return parts.slice(1, 8).reduce((sum, v) => sum + Number(v), 0);
  }
  return undefined;
}

/** v1 blkio files: `MAJ:MIN Op value` lines; the closing `Total N` line is skipped. */
export function parseV1Blkio(text: string): BlkioStatEntry[] {
  const out: BlkioStatEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3) continue;
    const dev = parseDevice(parts[0] ?? '');
    const value = Number(parts[2]);
    if (!dev || !Number.isFinite(value)) continue;
    out.push({ ...dev, op: parts[1] ?? '', value });
  }
  return out;
}

/** v2 io.stat: `MAJ:MIN rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…` per device. */
export function parseV2IoStat(text: string): { major: number; minor: number; fields: Record<string, number> }[] {
  const out: { major: number; minor: number; fields: Record<string, number> }[] = [];
  for (const line of text.split('\n')) {
    const [devText, ...pairs] = line.trim().split(/\s+/);
    const dev = parseDevice(devText ?? '');
    if (!dev) continue;
    const fields: Record<string, number> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const n = Number(pair.slice(eq + 1));
      if (eq > 0 && Number.isFinite(n)) fields[pair.slice(0, eq)] = n;
    }
    out.push({ ...dev, fields });
  }
  return out;
}

function parseDevice(text: string): { major: number; minor: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** /proc/<pid>/net/dev: counters per interface (the two header lines skipped). */
export function parseNetDev(text: string): Map<string, NetworkStats> {
  const out = new Map<string, NetworkStats>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const name = line.slice(0, colon).trim();
    const v = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!name || v.length < 16 || v.some((n) => !Number.isFinite(n))) continue;
    const at = (i: number) => v[i] ?? 0;
    out.set(name, {
      rx_bytes: at(0),
      rx_packets: at(1),
      rx_errors: at(2),
      rx_dropped: at(3),
      tx_bytes: at(8),
      tx_packets: at(9),
      tx_errors: at(10),
      tx_dropped: at(11),
    });
  }
  return out;
}

/** /proc/meminfo's MemTotal in bytes. */
export function parseMemTotal(text: string): number | undefined {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}
