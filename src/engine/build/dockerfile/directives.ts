/**
 * Parser directives (`# syntax=…`, `# escape=…`, `# check=…`), as
 * moby/buildkit's DirectiveParser reads them: only in the comment lines at
 * the very top; the first line that is not a directive (an instruction, a
 * blank line, a plain comment, an unknown directive) ends them. Names are
 * case-insensitive; each may appear once.
 */
import { ParsePhaseError } from './parse-errors.ts';

const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

export class DirectiveParser {
  private done = false;
  private readonly seen = new Set<string>();
  syntax?: string;
  check?: string;
  escape: '\\' | '`' = '\\';

  constructor(enabled = true) {
    this.done = !enabled;
  }

  /** Looks at one line (its newline and leading blanks already trimmed); true if it was a directive. */
  parseLine(line: string): boolean {
    if (this.done) return false;
    if (!line.startsWith('#')) {
      this.done = true;
      return false;
    }
    const m = DIRECTIVE.exec(line.slice(1).replace(/^\s+/, ''));
    const name = m?.[1]?.toLowerCase();
    if (m === null || name === undefined || !KNOWN.has(name)) {
      this.done = true;
      return false;
    }
    if (this.seen.has(name)) throw new ParsePhaseError(`only one ${name} parser directive can be used`);
    this.seen.add(name);
    const value = m[2] ?? '';
    if (name === 'escape') {
      if (value !== '`' && value !== '\\') throw new ParsePhaseError(`invalid escape token '${value}' does not match \` or \\`);
      this.escape = value;
    } else if (name === 'syntax') {
      this.syntax = value;
    } else {
      this.check = value;
    }
    return true;
  }
}
