/**
 * What rlimits a container can get on this host. runc sets them in the
 * container's init, which starts with the daemon's own limits: a hard limit
 * can be lowered freely, but raising it needs CAP_SYS_RESOURCE, which a
 * daemon may lack (a restricted bounding set). Then a `--ulimit` above the
 * daemon's hard limit cannot be applied, and create says so up front.
 */
import { readFileSync } from 'node:fs';
import { InvalidParameterError } from '../util/errors.ts';

const ROWS: Record<string, string> = {
  'Max cpu time': 'cpu', 'Max file size': 'fsize', 'Max data size': 'data', 'Max stack size': 'stack', 'Max core file size': 'core',
  'Max resident set': 'rss', 'Max processes': 'nproc', 'Max open files': 'nofile', 'Max locked memory': 'memlock', 'Max address space': 'as',
  'Max file locks': 'locks', 'Max pending signals': 'sigpending', 'Max msgqueue size': 'msgqueue', 'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio', 'Max realtime timeout': 'rttime',
};

/** Hard limits by Docker's ulimit name, from the text of /proc/<pid>/limits (unlimited is Infinity). */
export function parseHardLimits(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    const name = m && ROWS[m[1]!];
    if (!name) continue;
    out.set(name, m![3] === 'unlimited' ? Infinity : Number(m![3]));
  }
  return out;
}

/** Whether the capability (by number) is in this process's effective set. */
export function hasEffectiveCapability(bit: number, status: string = readFileSync('/proc/self/status', 'utf8')): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> BigInt(bit)) & 1n) === 1n;
}

const CAP_SYS_RESOURCE = 24;

/** Refuse (400) a ulimit whose hard limit this daemon could not set. */
export function checkUlimitsApplicable(
  ulimits: readonly { Name?: string; Soft?: number; Hard?: number }[] | null | undefined,
  host: { hardLimits: ReadonlyMap<string, number>; canRaise: boolean } = currentHost(),
): void {
  if (!ulimits?.length || host.canRaise) return;
  for (const u of ulimits) {
    const name = u.Name ?? '';
    const hard = (u.Hard ?? 0) < 0 ? Infinity : (u.Hard ?? 0);
    const limit = host.hardLimits.get(name);
    if (limit === undefined || hard <= limit) continue;
    throw new InvalidParameterError(
      `invalid ulimit ${name}=${u.Soft ?? 0}:${u.Hard ?? 0}: the hard limit is above this host's (${limit === Infinity ? 'unlimited' : limit}), and the daemon cannot raise it (no CAP_SYS_RESOURCE)`,
    );
  }
}

function currentHost(): { hardLimits: Map<string, number>; canRaise: boolean } {
  try {
    return { hardLimits: parseHardLimits(readFileSync('/proc/self/limits', 'utf8')), canRaise: hasEffectiveCapability(CAP_SYS_RESOURCE) };
  } catch {
    return { hardLimits: new Map(), canRaise: true };
  }
}
