/**
 * The CPUs and memory nodes a container may ask for: those of the cgroup
 * hierarchy's root cpuset, as dockerd's sysinfo reads them. A request
 * outside them is refused at create, with dockerd's words, instead of
 * failing later inside runc.
 */
import { readFileSync } from 'node:fs';
import { InvalidParameterError } from '../../util/errors.ts';
import { CGROUP_ROOT } from './paths.ts';

/** Parse a list such as `0-3,5` into its members; throws on anything else. */
export function parseCpuList(text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid format: ${text}`);
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (high < low) throw new Error(`invalid format: ${text}`);
    for (let n = low; n <= high; n++) out.add(n);
  }
  return out;
}

/** The root's `cpuset.cpus` / `cpuset.mems` (v1), or their effective values (v2); undefined when unreadable. */
export function availableCpuset(root: string = CGROUP_ROOT): { cpus?: string; mems?: string } {
  const read = (names: string[]): string | undefined => {
    for (const name of names) {
      try {
        return readFileSync(`${root}/${name}`, 'utf8').trim();
      } catch {
        // try the next layout
      }
    }
    return undefined;
  };
  return {
    cpus: read(['cpuset/cpuset.cpus', 'cpuset.cpus.effective']),
    mems: read(['cpuset/cpuset.mems', 'cpuset.mems.effective']),
  };
}

/**
 * dockerd's checks of `--cpuset-cpus` and `--cpuset-mems`: the list must
 * parse, and name only CPUs (nodes) the host offers (400).
 */
export function checkCpuset(requested: { CpusetCpus?: string; CpusetMems?: string }, available: { cpus?: string; mems?: string }): void {
  const check = (value: string | undefined, what: 'cpus' | 'mems', offered: string | undefined, noun: string): void => {
    if (!value) return;
    let wanted: Set<number>;
    try {
      wanted = parseCpuList(value);
    } catch (err) {
      throw new InvalidParameterError(`Invalid value ${value} for cpuset ${what}: ${(err as Error).message}`);
    }
    if (offered === undefined) return;
    let have: Set<number>;
    try {
      have = parseCpuList(offered);
    } catch {
      return;
    }
    for (const n of wanted) {
      if (!have.has(n)) throw new InvalidParameterError(`Requested ${noun} are not available - requested ${value}, available: ${offered}`);
    }
  };
  check(requested.CpusetCpus, 'cpus', available.cpus, 'CPUs');
  check(requested.CpusetMems, 'mems', available.mems, 'memory nodes');
}
