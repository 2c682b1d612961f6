/**
 * JSON progress streams (pull, push, load, import) shown as the docker CLI's
 * jsonmessage display shows them.
 *
 * Not a terminal: one line per message ("id: status"), the `stream` text as
 * is; a message whose progress bar is not empty (Downloading, Pushing) is
 * skipped. A terminal: each layer ID keeps a line of its own, rewritten in
 * place (cursor up to it, erase, write, cursor back down) and the bar is
 * drawn here from `progressDetail` at the terminal's width; a message
 * without progress starts a new block (`pull -a` repeats layer IDs).
 * An `error` message ends the stream (docker's JSONError).
 */
import { readJsonLines, type JsonMessage } from '../../client/json-stream.ts';
import { humanSize } from './units.ts';

/** An error message inside a progress stream (docker's JSONError): printed as it is, not as the daemon's answer. */
export class JsonStreamError extends Error {}

export interface DisplayOptions {
  /** Draw bars and move the cursor (stdout is a terminal). */
  terminal: boolean;
  /** Terminal columns (the bar is drawn only wider than 110, as docker). */
  columns?: number;
  /** Called with each `aux` payload (push's {Tag, Digest, Size}). */
  onAux?: (aux: unknown) => void;
}

const ESC = '\x1b[';

/** docker's JSONProgress.String(): `[===>   ]  1.2MB/3.4MB`, the size alone without a total, '' with nothing. */
export function formatProgress(current: number, total: number, columns: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = columns > 110 ? `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] ` : '';
  const numbers = current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + numbers;
}

/** Renders messages one at a time into the bytes docker's display writes; pure apart from its line bookkeeping. */
export class ProgressRenderer {
  /** Layer ID → its line number in the current block. */
  private ids = new Map<string, number>();

  constructor(private readonly o: DisplayOptions) {}

  /** The text for one message; throws JsonStreamError for an `error` message. */
  render(msg: JsonMessage): string {
    if (msg.aux !== undefined) {
      this.o.onAux?.(msg.aux);
      return '';
    }
    const terminal = this.o.terminal;
    const hasProgress = msg.progressDetail !== undefined && msg.progressDetail !== null;
    let out = '';
    let diff = 0;
    if (msg.id && (hasProgress || msg.progress)) {
      let line = this.ids.get(msg.id);
      if (line === undefined) {
        line = this.ids.size;
        this.ids.set(msg.id, line);
        if (terminal) out += '\n';
      }
      diff = this.ids.size - line;
      if (terminal && diff > 0) out += `${ESC}${diff}A`;
    } else {
      this.ids = new Map();
    }
    if (msg.error !== undefined || msg.errorDetail !== undefined) {
      throw new JsonStreamError(msg.errorDetail?.message ?? msg.error ?? '');
    }
    const columns = this.o.columns ?? 200;
    const bar = hasProgress ? formatProgress(msg.progressDetail?.current ?? 0, msg.progressDetail?.total ?? 0, columns) : '';
    let endl = '';
    if (terminal && !msg.stream && hasProgress) {
      out += `${ESC}2K\r`;
      endl = '\r';
    } else if (hasProgress && bar !== '') {
      return out; // no bars off a terminal
    }
    if (msg.id) out += `${msg.id}: `;
    if (typeof msg['from'] === 'string' && msg['from']) out += `(from ${msg['from']}) `;
    if (hasProgress && terminal) out += `${msg.status ?? ''} ${bar}${endl}`;
    else if (msg.progress) out += `${msg.status ?? ''} ${msg.progress}${endl}`;
    else if (typeof msg.stream === 'string' && msg.stream !== '') out += `${msg.stream}${endl}`;
    else out += `${msg.status ?? ''}${endl}\n`;
    if (msg.id && terminal && diff > 0) out += `${ESC}${diff}B`;
    return out;
  }
}

/** Print a progress stream; `terminal` defaults to whether `out` is a TTY. */
export async function printJsonMessages(source: AsyncIterable<Buffer | string>, out: NodeJS.WritableStream, options: Partial<DisplayOptions> = {}): Promise<void> {
  const tty = out as NodeJS.WriteStream;
  const renderer = new ProgressRenderer({ terminal: options.terminal ?? Boolean(tty.isTTY), columns: options.columns ?? tty.columns, onAux: options.onAux });
  for await (const msg of readJsonLines(source)) {
    const text = renderer.render(msg);
    if (text) out.write(text);
  }
}
