/**
 * The CRI "k8s-file" log format that conmon writes: one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <tags> <content>\n`. The tag `F` marks
 * the end of a line of output; `P` a partial chunk that continues in the next
 * record of the same stream (conmon cuts long lines at its buffer size, and a
 * last chunk without a newline stays `P`). Tags may be joined by ':'.
 */
export interface K8sRecord {
  stream: 'stdout' | 'stderr';
  /** UTC, 9 fraction digits: Docker's RFC3339NanoFixed. */
  time: string;
  /** Unix seconds, fractional (for since/until). */
  timestamp: number;
  partial: boolean;
  content: Buffer;
}

const TIME_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Parse conmon's timestamp into Docker's UTC form and unix seconds. */
export function parseLogTime(text: string): { time: string; timestamp: number } | undefined {
  const m = TIME_RE.exec(text);
  if (!m || m[1] === undefined || m[3] === undefined) return undefined;
  const ms = Date.parse(m[1] + m[3]);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  const time = new Date(ms).toISOString().slice(0, 19) + '.' + frac + 'Z';
  return { time, timestamp: ms / 1000 + Number(frac) / 1e9 };
}

/** Whether a tags field marks a partial chunk. */
export function isPartialTag(tags: string): boolean {
  return tags.split(':').includes('P');
}

/** Parse one record (without its trailing newline); undefined when malformed. */
export function parseK8sRecord(line: Buffer): K8sRecord | undefined {
  const s1 = line.indexOf(0x20);
  if (s1 < 0) return undefined;
  const s2 = line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  let s3 = line.indexOf(0x20, s2 + 1);
  // An empty F line may be written without the separator after the tag.
  if (s3 < 0) s3 = line.length;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const t = parseLogTime(line.toString('latin1', 0, s1));
  if (!t) return undefined;
  const tags = line.toString('latin1', s2 + 1, s3);
  return { stream, ...t, partial: isPartialTag(tags), content: line.subarray(Math.min(s3 + 1, line.length)) };
}

/** The tags of a record from its first bytes (header only); undefined when incomplete. */
export function recordTags(head: Buffer): string | undefined {
  const s1 = head.indexOf(0x20);
  if (s1 < 0) return undefined;
  const s2 = head.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  let s3 = head.indexOf(0x20, s2 + 1);
  if (s3 < 0) s3 = head.indexOf(0x0a, s2 + 1);
  if (s3 < 0) return undefined;
  return head.toString('latin1', s2 + 1, s3);
}
