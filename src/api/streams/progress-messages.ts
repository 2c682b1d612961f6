/**
 * The engine's progress events (engine/progress-event.ts) as Docker's JSON
 * progress messages. The words and shapes are dockerd's: load's lines are
 * `stream` text, statuses and layer steps are `status` (+ `id`), a sized
 * step carries `progressDetail` and the pre-rendered `progress` bar, build
 * and push results travel in `aux`.
 */
import type { ProgressEvent } from '../../engine/progress-event.ts';
import type { JsonMessage } from './json-lines.ts';

export function toJsonMessage(event: ProgressEvent): JsonMessage {
  switch (event.kind) {
    case 'status':
      return event.id === undefined ? { status: event.message } : { status: event.message, id: event.id };
    case 'layer': {
      // dockerd always sends progressDetail on a layer step ({} without sizes), zero fields left out.
      const detail: { current?: number; total?: number } = {};
      if (event.current) detail.current = event.current;
      if (event.total) detail.total = event.total;
      const bar = formatProgressBar(event.current ?? 0, event.total ?? 0);
      return bar === '' ? { status: event.action, progressDetail: detail, id: event.id } : { status: event.action, progressDetail: detail, progress: bar, id: event.id };
    }
    case 'output':
      return { stream: event.text };
    case 'loaded':
      return { stream: event.ref === undefined ? `Loaded image ID: ${event.id}\n` : `Loaded image: ${event.ref}\n` };
    case 'tag-moved':
      return { stream: `The image ${event.ref} already exists, renaming the old one with ID ${event.previousId} to empty string\n` };
    case 'built':
      return { aux: { ID: event.id } };
    case 'pushed':
      // dockerd sends push's aux through its progress output: with an empty progressDetail first.
      return { progressDetail: {}, aux: { Tag: event.tag, Digest: event.digest, Size: event.size } };
  }
}

/** Width of the bar between the brackets, as dockerd renders it (for a non-terminal, 200 columns wide). */
const BAR_WIDTH = 50;

/**
 * The `progress` text dockerd puts beside `progressDetail`:
 * `[=====>      ]  1.2MB/2.217MB`, or the size alone without a total, or
 * nothing without either.
 */
export function formatProgressBar(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const filled = Math.min(BAR_WIDTH, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled)}] `;
  // A current past the total (a size that was only an estimate) shows alone, as dockerd's JSONProgress does.
  return current > total ? `${bar}${humanSize(current).padStart(8)}` : `${bar}${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Decimal units with 4 significant digits, trailing zeros dropped: 32768 → "32.77kB" (Docker's go-units HumanSize). */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(4))}${UNITS[unit]}`;
}
