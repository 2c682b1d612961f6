/**
 * Compose's progress display on stderr. Off a terminal (and with
 * --progress plain) every event is a line, as Compose v2's plain writer
 * prints it: ` Container p-web-1  Started`. On a terminal the resources are
 * redrawn in place under a `[+] Running 2/3` header, finished ones ticked.
 * `quiet` prints nothing; `json` prints each event as Compose 2.29's JSON
 * writer does (`{"id":"Container p-web-1","status":"Started"}`).
 */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export type ProgressMode = 'plain' | 'tty' | 'quiet' | 'json';

interface Line {
  id: string;
  status: string;
  done: boolean;
  error: boolean;
  started: number;
  ended?: number;
}

/** Statuses that end a resource's work (Compose's Done events). */
const DONE = new Set(['Created', 'Started', 'Running', 'Recreated', 'Stopped', 'Removed', 'Healthy', 'Exited', 'Pulled', 'Built', 'Killed', 'Restarted', 'Paused', 'Unpaused', 'Skipped', 'Found', 'Warning']);

export class Progress {
  private lines: Line[] = [];
  private drawn = 0;
  constructor(
    private readonly sink: ProgressSink,
    readonly mode: ProgressMode,
    private title = 'Running',
  ) {}

  /** --dry-run: every line starts with Compose's `DRY-RUN MODE - `. */
  dryRun = false;

  static auto(sink: ProgressSink, flag: string | undefined): Progress {
    if (flag === 'quiet' || flag === 'none') return new Progress(sink, 'quiet');
    if (flag === 'plain') return new Progress(sink, 'plain');
    if (flag === 'json') return new Progress(sink, 'json');
    if (flag === 'tty') return new Progress(sink, 'tty');
    return new Progress(sink, sink.isTTY ? 'tty' : 'plain');
  }

  setTitle(title: string): void {
    this.title = title;
  }

  event(id: string, status: string, error = false): void {
    this.raw(id, '', status, error);
  }

  /** `doing`, then `fn`, then `done`; an `Error` line for the resource when `fn` fails (rethrown). */
  async step<T>(id: string, doing: string, done: string, fn: () => Promise<T>): Promise<T> {
    this.event(id, doing);
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      this.event(id, 'Error', true);
      throw err;
    }
    this.event(id, done);
    return value;
  }

  /**
   * An event with Compose's two texts (Go's Println of id, text and status text: a push layer's
   * `Pushing <tag>: <layer> Pushed `); `event` is the common one with no text.
   */
  raw(id: string, text: string, status: string, error = false): void {
    if (this.mode === 'quiet') return;
    const dry = this.dryRun ? ' DRY-RUN MODE - ' : '';
    if (this.mode === 'plain') {
      this.sink.write(`${dry} ${id} ${text} ${status}\n`);
      return;
    }
    if (this.mode === 'json') {
      this.sink.write(`${JSON.stringify({ 'dry-run': this.dryRun || undefined, id, text: text || undefined, status: status || undefined })}\n`);
      return;
    }
    status = [text, status].filter(Boolean).join(' ');
    let line = this.lines.find((l) => l.id === id);
    if (!line) {
      line = { id, status, done: false, error: false, started: Date.now() };
      this.lines.push(line);
    }
    line.status = status;
    line.error = error;
    line.done = error || DONE.has(status);
    if (line.done) line.ended = Date.now();
    this.draw();
  }

  /** Free text (warnings) between events. */
  message(text: string): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') {
      this.sink.write(`${JSON.stringify({ 'dry-run': this.dryRun || undefined, tail: true, text })}\n`);
      return;
    }
    this.sink.write(`${text}\n`);
    this.drawn = 0;
  }

  private draw(): void {
    const done = this.lines.filter((l) => l.done).length;
    const width = Math.max(...this.lines.map((l) => l.id.length + l.status.length + 2));
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    out += `\x1b[2K[+] ${this.title} ${done}/${this.lines.length}\n`;
    for (const l of this.lines) {
      const mark = l.error ? '\x1b[31m✘\x1b[0m' : l.done ? '\x1b[32m✔\x1b[0m' : '⠿';
      const secs = `${(((l.ended ?? Date.now()) - l.started) / 1000).toFixed(1)}s`;
      const text = `${l.id}  ${l.status}`.padEnd(width);
      out += `\x1b[2K ${mark} ${text} \x1b[34m${secs}\x1b[0m\n`;
    }
    this.drawn = this.lines.length + 1;
    this.sink.write(out);
  }
}
