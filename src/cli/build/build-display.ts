/**
 * Berth's live build display (`--progress=tty`), drawn from the classic
 * builder's JSON stream: one line per step with its number, instruction,
 * elapsed time and `CACHED`; under the running step the last lines of its
 * output; on failure the failing step's whole output.
 *
 * BuildView is the pure part: messages in (with the time they arrived),
 * frames out (lines already cut to the terminal's width). TtyDisplay
 * redraws a frame in place (cursor up over the previous frame, erase,
 * rewrite) on a 100 ms tick while the build runs.
 *
 * The classic stream is parsed by its lines: `Step N/M : INSTR` opens a
 * step, ` ---> Using cache` marks it cached, ` ---> <id>` closes it,
 * `Running in`/`Removing intermediate container` are bookkeeping, and any
 * other line is the step's output. Pull progress inside FROM (`status`/`id`)
 * keeps one line per layer.
 */
import type { JsonMessage } from '../../client/json-stream.ts';
import { humanSize } from '../format/units.ts';

/** Lines of a running step's output shown under it. */
export const TAIL_LINES = 6;

interface Step {
  label: string;
  title: string;
  started: number;
  ended?: number;
  cached: boolean;
  failed: boolean;
  lines: string[];
  partial: string;
  /** Pull progress: layer ID → index in lines. */
  ids: Map<string, number>;
}

const STEP_RE = /^Step (\d+)\/(\d+) : (.*)$/;
const RESULT_RE = /^ ---> ([0-9a-f]{12,64})$/;

/** Printable text: escape sequences and control characters dropped, tabs as spaces. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[@-_]/g, '').replace(/\t/g, '    ').replace(/[\x00-\x1f\x7f]/g, '');
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

export class BuildView {
  private readonly steps: Step[] = [];
  /** Output before the first step. */
  private readonly preamble: string[] = [];
  /** Output between steps or after the last one (the unused build-args warning). */
  private readonly notes: string[] = [];
  private pending = '';
  private imageId: string | undefined;
  private readonly tags: string[] = [];
  private failure: string | undefined;
  private ended: number | undefined;
  contextBytes = 0;
  contextDone = false;

  constructor(private readonly started: number) {}

  get id(): string | undefined {
    return this.imageId;
  }

  /** One message of the stream, as it arrived at `now` (an `error` line fails the current step). */
  feed(msg: JsonMessage, now: number): void {
    if (msg.aux !== undefined) {
      const id = (msg.aux as { ID?: unknown }).ID;
      if (typeof id === 'string') this.imageId = id;
      return;
    }
    if (msg.error !== undefined || msg.errorDetail !== undefined) {
      this.fail(msg.errorDetail?.message ?? msg.error ?? '', now);
      return;
    }
    if (typeof msg.stream === 'string') {
      this.text(msg.stream, now);
      return;
    }
    if (typeof msg.status === 'string') {
      const line = `${msg.id ? `${msg.id}: ` : ''}${msg.status}${msg.progress ? ` ${msg.progress}` : ''}`;
      const step = this.current();
      if (!step) {
        this.preamble.push(line);
        return;
      }
      if (msg.id) {
        const at = step.ids.get(msg.id);
        if (at !== undefined) {
          step.lines[at] = line;
          return;
        }
        step.ids.set(msg.id, step.lines.length);
      }
      step.lines.push(line);
    }
  }

  /** The build ended with `message` (an error line, or the request failing). */
  fail(message: string, now: number): void {
    this.failure = message;
    const step = this.current();
    if (step && step.ended === undefined) {
      step.failed = true;
      step.ended = now;
    }
    this.finish(now);
  }

  finish(now: number): void {
    this.flushPartial();
    this.ended ??= now;
    const step = this.current();
    if (step && step.ended === undefined) step.ended = now;
  }

  private current(): Step | undefined {
    return this.steps[this.steps.length - 1];
  }

  private flushPartial(): void {
    const step = this.current();
    if (step && step.partial !== '') {
      step.lines.push(step.partial);
      step.partial = '';
    }
  }

  private text(chunk: string, now: number): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const raw = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      this.line(raw, now);
    }
    // A RUN's unfinished line (a prompt, a progress bar) is shown as it stands.
    const step = this.current();
    if (step && step.ended === undefined && !STEP_RE.test(this.pending)) step.partial = lastSegment(this.pending);
  }

  private line(raw: string, now: number): void {
    const text = lastSegment(raw);
    const step = this.current();
    const m = STEP_RE.exec(text);
    if (m) {
      if (step && step.ended === undefined) step.ended = now;
      this.steps.push({ label: `${m[1]}/${m[2]}`, title: m[3] ?? '', started: now, cached: false, failed: false, lines: [], partial: '', ids: new Map() });
      return;
    }
    if (step) step.partial = '';
    if (text === ' ---> Using cache') {
      if (step) step.cached = true;
      return;
    }
    if (/^ ---> Running in [0-9a-f]+$/.test(text) || /^Removing intermediate container [0-9a-f]+$/.test(text)) return;
    if (RESULT_RE.test(text)) {
      if (step && step.ended === undefined) step.ended = now;
      return;
    }
    let s = /^Successfully built ([0-9a-f]+)$/.exec(text);
    if (s) return;
    s = /^Successfully tagged (.+)$/.exec(text);
    if (s) {
      this.tags.push(s[1] ?? '');
      return;
    }
    if (!step) this.preamble.push(text);
    else if (step.ended === undefined) step.lines.push(text);
    else this.notes.push(text);
  }

  /** The frame at `now`, each line at most `width` columns; `final` shows no tails (and a failed step's whole output, uncut). */
  frame(now: number, width: number, final = false): string[] {
    const w = Math.max(20, width);
    const out: string[] = [];
    const end = this.ended ?? now;
    const done = this.steps.filter((s) => s.ended !== undefined && !s.failed).length;
    const total = this.steps[0]?.label.split('/')[1] ?? '?';
    let head = `Berth build ${seconds(end - this.started)}`;
    if (this.steps.length) head += `  (${done}/${total} steps)`;
    if (this.failure !== undefined) head += '  FAILED';
    else if (this.ended !== undefined && this.imageId) head += '  done';
    out.push(cut(head, w));
    if (this.contextBytes > 0 || this.contextDone) out.push(cut(` ${this.contextDone ? '✔' : '»'} context ${humanSize(this.contextBytes)}${this.contextDone ? ' sent' : ''}`, w));
    for (const p of this.preamble) out.push(cut(`   ${sanitize(p)}`, w));
    for (const step of this.steps) {
      const running = step.ended === undefined;
      const mark = step.failed ? '✘' : running ? '»' : '✔';
      const time = seconds((step.ended ?? now) - step.started);
      const right = `${step.cached ? 'CACHED ' : ''}${time.padStart(7)}`;
      const left = cut(` ${mark} [${step.label}] ${sanitize(step.title)}`, w - right.length - 1);
      out.push(`${left}${' '.repeat(Math.max(1, w - [...left].length - right.length))}${right}`);
      const lines = step.partial !== '' ? [...step.lines, step.partial] : step.lines;
      if (step.failed) {
        for (const l of lines) out.push(final ? `   │ ${sanitize(l)}` : cut(`   │ ${sanitize(l)}`, w));
      } else if (running && !final) {
        for (const l of lines.slice(-TAIL_LINES)) out.push(cut(`   │ ${sanitize(l)}`, w));
      }
    }
    for (const n of this.notes) out.push(cut(`   ${sanitize(n)}`, w));
    if (final && this.failure === undefined && this.imageId) {
      out.push(cut(` ✔ built ${this.imageId}`, w));
      for (const t of this.tags) out.push(cut(` ✔ tagged ${t}`, w));
    }
    return out;
  }
}

function lastSegment(line: string): string {
  const parts = line.split('\r').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

/** Redraws a BuildView in place on a terminal. */
export class TtyDisplay {
  private drawn = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly view: BuildView,
    private readonly out: NodeJS.WriteStream,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.out.write('\x1b[?25l');
    this.draw();
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref?.();
  }

  feed(msg: JsonMessage): void {
    this.view.feed(msg, this.clock());
  }

  draw(final = false): void {
    let lines = this.view.frame(this.clock(), (this.out.columns || 80) - 1, final);
    // A live frame taller than the terminal could not be redrawn in place: its header and newest lines.
    const rows = this.out.rows || 24;
    if (!final && lines.length > rows - 1) lines = [lines[0] ?? '', ...lines.slice(lines.length - (rows - 2))];
    let text = this.drawn > 0 ? `\r\x1b[${this.drawn}A` : '\r';
    text += lines.map((l) => `\x1b[2K${l}\n`).join('');
    text += '\x1b[J';
    this.out.write(text);
    this.drawn = lines.length;
  }

  /** The last frame, and the cursor shown again. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
    this.out.write('\x1b[?25h');
  }
}
