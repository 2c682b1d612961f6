/**
 * Splitting an instruction line into its name, its `--flags` and the rest
 * (moby/buildkit parser/split_command.go). Flags are the leading words that
 * start with `--`; quotes and the escape character inside them are removed
 * (`--chown="a b"` gives `--chown=a b`); a bare `--` ends them.
 */
import { isSpace } from './lex-words.ts';

/** Docker's reWhitespace: blanks other than newline. */
export const WHITESPACE = /[\t\v\f\r ]+/;

export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a]!)) a++;
  while (b > a && isSpace(s[b - 1]!)) b--;
  return s.slice(a, b);
}

export interface SplitCommand {
  cmd: string;
  flags: string[];
  args: string;
}

export function splitCommand(line: string, escape: string): SplitCommand {
  const trimmed = trimSpace(line);
  const m = WHITESPACE.exec(trimmed);
  if (m === null) return { cmd: trimmed, flags: [], args: '' };
  const cmd = trimmed.slice(0, m.index);
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length), escape);
  return { cmd, flags, args: trimSpace(rest) };
}

function extractBuilderFlags(line: string, escape: string): { rest: string; flags: string[] } {
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let buf = '';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const end = pos === line.length;
    const ch = end ? '' : line[pos]!;
    if (phase === 'spaces') {
      if (end) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || line[pos + 1] !== '-') return { rest: line.slice(pos), flags: words };
      phase = 'word';
    }
    if (end) {
      if (buf !== '--' && (blankOk || buf.length > 0)) words.push(buf);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        if (buf === '--') return { rest: line.slice(pos), flags: words };
        if (blankOk || buf.length > 0) words.push(buf);
        phase = 'spaces';
        buf = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        continue;
      }
      let c = ch;
      if (c === escape) {
        if (pos + 1 === line.length) continue; // an escape at the end is dropped
        pos++;
        c = line[pos]!;
      }
      buf += c;
      continue;
    }
    // in quotes
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    let c = ch;
    if (c === escape) {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos++;
      c = line[pos]!;
    }
    buf += c;
  }
  return { rest: '', flags: words };
}
