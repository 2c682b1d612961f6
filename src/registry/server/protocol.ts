/**
 * Pure parsing for the registry server (OCI distribution spec v1.1):
 * repository names, references, digests, `Range`/`Content-Range` headers,
 * `n`/`last` pagination and the route of a request path. No I/O here.
 */

/** spec.md "Pulling manifests": `<name>` MUST match this. */
export const NAME_RE = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
/** spec.md: a tag MUST be at most 128 characters and match this. */
export const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** The digest grammar of the image spec (descriptor.md). */
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256_RE = /^sha256:[a-f0-9]{64}$/;

/** Distribution's limit on a whole name (host part excluded). */
export const MAX_NAME_LENGTH = 255;

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export type DigestCheck = 'ok' | 'invalid' | 'unsupported';

/** A digest we can serve: sha256 only. Well-formed other algorithms are "unsupported". */
export function checkDigest(value: string): DigestCheck {
  if (SHA256_RE.test(value)) return 'ok';
  if (DIGEST_RE.test(value) && !value.startsWith('sha256:')) return 'unsupported';
  return 'invalid';
}

export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'token' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

const ROUTE_RE = /^\/v2\/(.+?)\/(manifests\/([^/]+)|blobs\/uploads\/?|blobs\/uploads\/([^/]+)|blobs\/([^/]+)|tags\/list|referrers\/([^/]+))$/;

/** The route of a request path (without its query), or undefined. The name is not validated here. */
export function parseRoute(path: string): Route | undefined {
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  if (path === '/v2/_catalog') return { kind: 'catalog' };
  if (path === '/token' || path === '/v2/token') return { kind: 'token' };
  const m = ROUTE_RE.exec(path);
  if (!m) return undefined;
  const name = m[1]!;
  const what = m[2]!;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (what.startsWith('manifests/')) return { kind: 'manifest', name, reference: dec(m[3]!) };
  if (m[4] !== undefined) return { kind: 'upload', name, id: m[4] };
  if (what.startsWith('blobs/uploads')) return { kind: 'uploads', name };
  if (m[5] !== undefined) return { kind: 'blob', name, digest: dec(m[5]) };
  if (what === 'tags/list') return { kind: 'tags', name };
  return { kind: 'referrers', name, digest: dec(m[6]!) };
}

/** A byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A request `Range: bytes=…` header against a blob of `size` bytes (RFC 9110
 * 14.1.2; one range only). undefined: no usable header (serve the whole
 * blob); 'unsatisfiable': answer 416.
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    // suffix range: the last N bytes
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  let end = m[2] === '' ? size - 1 : Number(m[2]);
  if (m[2] !== '' && end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  if (end >= size) end = size - 1;
  return { start, end };
}

/**
 * A chunk's `Content-Range` on PATCH: `<start>-<end>` (the spec's form) or
 * `bytes <start>-<end>/<total>`. undefined when malformed.
 */
export function parseContentRange(header: string): ByteRange | undefined {
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  return { start, end };
}

/** The `Range` header of an upload's status: `0-<last byte>`, `0-0` when empty (as distribution). */
export function uploadRange(size: number): string {
  return `0-${size > 0 ? size - 1 : 0}`;
}

export interface Page {
  items: string[];
  /** Set when more items follow: the `last` of the next page. */
  next?: string;
}

/**
 * One page of a sorted list (tags, catalog): items after `last`, at most `n`.
 * n undefined: all of them; n = 0: none (spec: "n=0" is an empty list).
 */
export function paginate(sorted: readonly string[], n: number | undefined, last: string | undefined): Page {
  let rest = last === undefined ? sorted : sorted.filter((t) => t > last);
  if (n === undefined) return { items: [...rest] };
  const items = rest.slice(0, n);
  rest = rest.slice(n);
  const tail = items[items.length - 1];
  return rest.length > 0 && tail !== undefined ? { items, next: tail } : { items };
}

/** The `n` query parameter: a non-negative integer or undefined; NaN for garbage. */
export function parseCount(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : NaN;
}
