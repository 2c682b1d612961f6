/**
 * Stages built at the same time still print as if built one after the
 * other: each stage writes to its own sink; the first unfinished stage (in
 * build order) passes its events straight through (and a slow reader slows
 * it), later ones are held until every stage before them has finished.
 */
import type { ProgressEvent, ProgressSink } from '../progress-event.ts';

export class OrderedOutput {
  private head = 0;
  private readonly held = new Map<number, ProgressEvent[]>();
  private readonly finished = new Set<number>();
  /** Every write goes through this chain, so events reach the sink one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: ProgressSink,
    private readonly order: readonly number[],
  ) {}

  private write(event: ProgressEvent): Promise<void> {
    this.chain = this.chain.then(() => this.sink(event));
    return this.chain;
  }

  /** The sink of one stage. */
  forStage(stage: number): ProgressSink {
    return (event) => {
      if (this.order[this.head] === stage) return this.write(event);
      let list = this.held.get(stage);
      if (!list) this.held.set(stage, (list = []));
      list.push(event);
      return undefined;
    };
  }

  /** The stage is done (built or failed): the next ones' held events follow. */
  finish(stage: number): Promise<void> {
    this.finished.add(stage);
    while (this.head < this.order.length && this.finished.has(this.order[this.head]!)) {
      this.head++;
      const next = this.order[this.head];
      if (next === undefined) break;
      for (const e of this.held.get(next) ?? []) void this.write(e);
      this.held.delete(next);
    }
    return this.chain;
  }

  /** Events after every stage (the final lines). */
  final(event: ProgressEvent): Promise<void> {
    return this.write(event);
  }

  /** Whatever is still held (a failed build's later stages are dropped) is flushed up to `stage` inclusive. */
  async flushThrough(stage: number): Promise<void> {
    for (const i of this.order) {
      if (i > stage) break;
      if (this.order[this.head] !== undefined && i < this.order[this.head]!) continue;
      for (const e of this.held.get(i) ?? []) void this.write(e);
      this.held.delete(i);
    }
    await this.chain;
  }
}
