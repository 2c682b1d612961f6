/**
 * `GET /images/json` selection with Docker 20.10's rules: filters dangling,
 * label, before, since, reference; untagged images appear as
 * `<none>:<none>` unless they are intermediate (have children) and `all` is off.
 */
import { familiarName, familiarRepository, parseReference } from '../../oci/reference.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { ImageCatalog } from './image-catalog.ts';
import type { Image } from './image-store.ts';
import { createdSeconds } from './to-wire.ts';

const KEYS = new Set(['dangling', 'label', 'before', 'since', 'reference']);

/** Go's path.Match subset used by Docker's reference filter: `*`, `?`, `[...]`. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) return false;
      re += '[' + pattern.slice(i + 1, end).replace(/^\^/, '^').replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(text);
}

export function labelMatches(labels: Record<string, string> | null | undefined, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq === -1) return labels?.[w] !== undefined;
    return labels?.[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

export interface Selected {
  image: Image;
  refs: string[];
}

export function selectImages(svc: ImageCatalog, filters: Map<string, string[]>, all: boolean): Selected[] {
  for (const key of filters.keys()) if (!KEYS.has(key)) throw new InvalidParameterError(`Invalid filter '${key}'`);
  let danglingOnly = false;
  const dangling = filters.get('dangling');
  if (dangling) {
    for (const v of dangling) if (!['true', 'false', '1', '0'].includes(v.toLowerCase())) throw new InvalidParameterError(`Invalid filter 'dangling=[${dangling.join(' ')}]'`);
    danglingOnly = dangling.some((v) => v === 'true' || v === '1');
  }
  const bound = (key: string): number | undefined => {
    const values = filters.get(key);
    if (!values?.length) return undefined;
    return Math.min(...values.map((v) => createdSeconds(svc.resolveImage(v))));
  };
  const before = bound('before');
  const since = filters.get('since')?.length ? Math.max(...filters.get('since')!.map((v) => createdSeconds(svc.resolveImage(v)))) : undefined;
  const labels = filters.get('label') ?? [];
  const patterns = filters.get('reference') ?? [];
  const out: Selected[] = [];
  for (const image of svc.store.images.values()) {
    const created = createdSeconds(image);
    if (before !== undefined && created >= before) continue;
    if (since !== undefined && created <= since) continue;
    if (labels.length && !labelMatches(image.config.config?.Labels, labels)) continue;
    let refs = svc.store.refsOf(image.record.id);
    if (patterns.length) {
      refs = refs.filter((r) => {
        const ref = parseReference(r);
        return patterns.some((p) => globMatch(p, familiarName(ref)) || globMatch(p, familiarRepository(ref)));
      });
      if (refs.length === 0) continue;
    }
    if (refs.length === 0) {
      if (!all && svc.children(image.record.id).length > 0) continue;
      if (dangling && !danglingOnly) continue;
    } else if (danglingOnly) continue;
    out.push({ image, refs });
  }
  return out;
}
