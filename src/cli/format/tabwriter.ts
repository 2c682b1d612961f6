/**
 * Go's `text/tabwriter` (the elastic-tabstops filter), as docker/cli forks it
 * in `cli/command/formatter/tabwriter`: cell widths count East Asian wide
 * runes as 2 (go-runewidth). Docker's tables use
 * `new TabWriter(10, 1, 3, ' ', 0)`.
 *
 * Cells are tab-terminated, not tab-separated: the text after the last tab
 * of a line is a trailing cell that is written as is and never aligned.
 * Tab-terminated cells in contiguous lines form a column; a column is as
 * wide as its widest cell plus `padding`, and at least `minwidth`.
 * Not implemented: FilterHTML and the 0xff Escape (Docker uses neither).
 */

export const ALIGN_RIGHT = 4;
export const DISCARD_EMPTY_COLUMNS = 8;
export const TAB_INDENT = 16;
export const DEBUG = 32;

interface Cell {
  /** Length of the cell's text in `buf` (UTF-16 units). */
  size: number;
  /** Display width in terminal columns. */
  width: number;
  /** Terminated by '\t' (as opposed to '\v'). */
  htab: boolean;
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x18cff],
  [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function runeWidth(r: number): number {
  if (r < 0x20) return 0;
  if (r < 0x7f) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(r))) return 0;
  for (const [lo, hi] of WIDE) {
    if (r < lo) return 1;
    if (r <= hi) return 2;
  }
  return 1;
}

/** Terminal width of a string (go-runewidth's StringWidth, simplified to the common tables). */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch.codePointAt(0) as number);
  return w;
}

export class TabWriter {
  private buf = '';
  private cell: Cell = { size: 0, width: 0, htab: false };
  private lines: Cell[][] = [[]];
  private widths: number[] = [];
  private out = '';

  /** Same parameters as Go's `tabwriter.NewWriter(out, minwidth, tabwidth, padding, padchar, flags)`. */
  constructor(
    private readonly minwidth: number,
    private readonly tabwidth: number,
    private readonly padding: number,
    private readonly padchar: string,
    private flags: number,
  ) {
    if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new RangeError('negative minwidth, tabwidth, or padding');
    if (padchar === '\t') this.flags &= ~ALIGN_RIGHT; // tab padding enforces left-alignment
  }

  /** Buffer text; complete blocks are formatted as soon as they cannot change. */
  write(text: string): void {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.append(text.slice(n, i));
      n = i + 1;
      const ncells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A one-cell line ends every column, so everything before it is final.
        if (ch === '\f' || ncells === 1) {
          this.flushLines();
          if (ch === '\f' && this.flags & DEBUG) this.out += '---\n';
        }
      }
    }
    this.append(text.slice(n));
  }

  /** Format everything buffered and return all output not yet returned. */
  flush(): string {
    if (this.cell.size > 0) this.terminateCell(false);
    this.flushLines();
    const out = this.out;
    this.out = '';
    return out;
  }

  private append(text: string): void {
    this.buf += text;
    this.cell.size += text.length;
    this.cell.width += stringWidth(text);
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1] as Cell[];
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  private flushLines(): void {
    this.format(0, 0, this.lines.length);
    this.buf = this.buf.slice(this.buf.length - this.cell.size);
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === '\t' || useTabs) {
      if (this.tabwidth === 0) return; // tabs have no width: no padding possible
      const cw = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      this.out += '\t'.repeat(Math.ceil((cw - textw) / this.tabwidth));
      return;
    }
    this.out += this.padchar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(pos: number, line0: number, line1: number): number {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i] as Cell[];
      let useTabs = (this.flags & TAB_INDENT) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & DEBUG) this.out += '|';
        const width = this.widths[j];
        if (c.size === 0) {
          if (width !== undefined) this.writePadding(c.width, width, useTabs);
          return;
        }
        useTabs = false;
        const text = this.buf.slice(pos, pos + c.size);
        pos += c.size;
        if (this.flags & ALIGN_RIGHT) {
          if (width !== undefined) this.writePadding(c.width, width, false);
          this.out += text;
        } else {
          this.out += text;
          if (width !== undefined) this.writePadding(c.width, width, false);
        }
      });
      if (i + 1 === this.lines.length) {
        // The last buffered line has no newline yet: write its pending text.
        this.out += this.buf.slice(pos, pos + this.cell.size);
        pos += this.cell.size;
      } else {
        this.out += '\n';
      }
    }
    return pos;
  }

  /** Go's recursive column-block formatter over lines [line0, line1). */
  private format(pos: number, line0: number, line1: number): number {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= (this.lines[current] as Cell[]).length - 1) continue;
      // This line has a cell in this column: a column block starts here.
      pos = this.writeLines(pos, line0, current);
      line0 = current;
      let width = this.minwidth;
      let discardable = true;
      for (; current < line1; current++) {
        const line = this.lines[current] as Cell[];
        if (column >= line.length - 1) break;
        const c = line[column] as Cell;
        width = Math.max(width, c.width + this.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & DISCARD_EMPTY_COLUMNS) width = 0;
      this.widths.push(width);
      pos = this.format(pos, line0, current);
      this.widths.pop();
      line0 = current;
    }
    return this.writeLines(pos, line0, line1);
  }
}
