/**
 * `compose logs` and the attached `up`: every container's log lines,
 * prefixed `web-1  | ` (the name without the project, padded to the
 * longest, as Compose v2 aligns them), coloured per container on a
 * terminal, demultiplexed unless the container has a TTY.
 */
import type { ApiClient } from '../client/api-client.ts';
import { containerLogs } from '../client/containers.ts';
import { FrameDecoder } from '../util/stdcopy.ts';

export interface LogTarget {
  id: string;
  /** The prefix name (`web-1`, or the container_name). */
  name: string;
  tty: boolean;
}

export interface LogSink {
  write(text: string): unknown;
}

export interface LogOptions {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  /** No prefix (--no-log-prefix). */
  noPrefix?: boolean;
  color: boolean;
  signal?: AbortSignal;
}

// Compose's rotation: the six ANSI colours, then their bright variants.
const COLORS = ['36', '33', '32', '35', '34', '31', '96', '93', '92', '95', '94', '91'];

/**
 * The prefix name Compose shows: `<service>-<n>` when the container has the
 * name Compose gives (`<project>-<service>-<n>` from its labels), else the
 * container's whole name (a container_name, even one starting with the project).
 */
export function logName(project: string, containerName: string, labels: Record<string, string> = {}): string {
  const given = `${project}-${labels['com.docker.compose.service'] ?? ''}-${labels['com.docker.compose.container-number'] ?? ''}`;
  return containerName === given ? containerName.slice(project.length + 1) : containerName;
}

export class LogPrinter {
  private width = 0;
  private colorOf = new Map<string, string>();
  constructor(
    private readonly out: LogSink,
    private readonly opts: { color: boolean; noPrefix?: boolean },
  ) {}

  register(names: string[]): void {
    for (const n of names) {
      this.width = Math.max(this.width, n.length);
      if (!this.colorOf.has(n)) this.colorOf.set(n, COLORS[this.colorOf.size % COLORS.length]!);
    }
  }

  prefix(name: string): string {
    if (this.opts.noPrefix) return '';
    const text = `${name.padEnd(this.width)}  | `;
    return this.opts.color ? `\x1b[${this.colorOf.get(name) ?? '36'}m${text}\x1b[0m` : text;
  }

  line(name: string, text: string): void {
    this.out.write(`${this.prefix(name)}${text}\n`);
  }
}

/** Stream one container's log into the printer, line by line; resolves when the stream ends. */
export async function streamContainerLog(api: ApiClient, t: LogTarget, printer: LogPrinter, opts: LogOptions): Promise<void> {
  const res = await containerLogs(api, t.id, {
    stdout: true,
    stderr: true,
    follow: opts.follow || undefined,
    tail: opts.tail || 'all',
    timestamps: opts.timestamps || undefined,
    since: opts.since || undefined,
    until: opts.until || undefined,
  });
  opts.signal?.addEventListener('abort', () => res.destroy(), { once: true });
  let pending = '';
  const push = (text: string) => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      printer.line(t.name, pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
  };
  const decoder = new FrameDecoder();
  try {
    for await (const chunk of res) {
      if (t.tty) push((chunk as Buffer).toString('utf8'));
      else for (const f of decoder.push(chunk as Buffer)) push(f.payload.toString('utf8'));
    }
  } catch (err) {
    if (!opts.signal?.aborted) throw err;
  }
  if (pending) printer.line(t.name, pending);
}
