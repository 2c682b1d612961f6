/**
 * Picking the manifest of an index for a platform, as dockerd 20.10 does
 * (distribution/pull_v2_unix.go filterManifests with containerd's
 * platforms.Only): the OS and architecture must match; for arm the wanted
 * variant or an older one is accepted (v8 → v7 → v6 → v5), best first; an
 * entry without a platform is not a candidate; among equals, index order.
 */
import type { Platform } from '../images/platform.ts';

export interface IndexEntry {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string; 'os.version'?: string; 'os.features'?: string[] };
}

function normVariant(arch: string, variant: string | undefined): string | undefined {
  if (!variant) return arch === 'arm64' ? 'v8' : arch === 'arm' ? 'v7' : undefined;
  if (/^\d$/.test(variant)) return `v${variant}`;
  return variant;
}

/** Variants acceptable for the wanted one, best first. */
function acceptedVariants(arch: string, variant: string | undefined): (string | undefined)[] | undefined {
  const v = normVariant(arch, variant);
  if (arch === 'arm') {
    const order = ['v8', 'v7', 'v6', 'v5'];
    const i = order.indexOf(v ?? 'v7');
    return i === -1 ? [v] : order.slice(i);
  }
  if (arch === 'arm64') return ['v8'];
  return variant ? [v] : undefined; // undefined: any variant
}

/** The entries matching `want`, best first. */
export function matchingManifests<T extends IndexEntry>(entries: readonly T[], want: Platform): T[] {
  const accepted = acceptedVariants(want.architecture, want.variant);
  const scored: { e: T; score: number; i: number }[] = [];
  entries.forEach((e, i) => {
    const p = e.platform;
    if (!p || (p.os ?? '') !== want.os || (p.architecture ?? '') !== want.architecture) return;
    let score = 0;
    if (accepted) {
      const have = normVariant(p.architecture!, p.variant);
      const at = accepted.indexOf(have);
      if (at === -1) return;
      score = at;
    } else if (p.variant) {
      score = 1; // prefer an entry without a variant when none is asked
    }
    scored.push({ e, score, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).map((s) => s.e);
}
