/**
 * Just enough of Docker's reference grammar for display: the familiar form
 * of a name ("docker.io/library/busybox" → "busybox") and repo/tag splits.
 * Full parsing lives in src/oci (which the CLI may not import).
 */
export function familiarName(name: string): string {
  let n = name;
  if (n.startsWith('docker.io/')) n = n.slice('docker.io/'.length);
  else if (n.startsWith('index.docker.io/')) n = n.slice('index.docker.io/'.length);
  if (n.startsWith('library/') && n.indexOf('/', 'library/'.length) === -1) n = n.slice('library/'.length);
  return n;
}

/** "repo:tag" or "repo@digest" split into its name and the part after the separator. */
export function splitReference(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref };
}

/** Truncate an ID to 12 hex digits, dropping an algorithm prefix (stringid.TruncateID). */
export function truncateId(id: string): string {
  const i = id.indexOf(':');
  const hex = i >= 0 ? id.slice(i + 1) : id;
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}
