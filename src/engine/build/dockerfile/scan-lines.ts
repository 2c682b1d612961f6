/**
 * The first phase of parsing (moby/buildkit parser/parser.go Parse): the
 * text becomes a list of raw nodes, one per instruction, each its logical
 * line (continuations joined, comments dropped), its name, flags and
 * arguments split by the instruction's rule, and its heredoc bodies.
 *
 * Line rules kept from Docker:
 * - a line ending in the escape character (blanks after it allowed)
 *   continues on the next; the escape and newline are removed, nothing is
 *   added, and continuation lines keep their leading blanks;
 * - inside a continuation, comment lines and blank lines are skipped;
 * - a comment is a line whose first non-blank character is `#`; a `#`
 *   elsewhere is ordinary text;
 * - a byte-order mark at the start is dropped; `\r\n` line ends are accepted.
 */
import { DirectiveParser } from './directives.ts';
import { heredocsFromLine, type HeredocWord } from './heredoc.ts';
import * as lp from './line-parsers.ts';
import { ParsePhaseError } from './parse-errors.ts';
import { splitCommand } from './split-command.ts';

export interface RawHeredoc extends HeredocWord {
  /** The body as written (tabs not yet removed for `<<-`). */
  content: string;
}

export interface RawNode {
  /** The instruction name as written. */
  cmd: string;
  /** `--name[=value]` words as extracted (quotes removed). */
  flags: string[];
  args: string[];
  json: boolean;
  /** The logical line as written, continuations joined. */
  original: string;
  heredocs: RawHeredoc[];
  startLine: number;
  endLine: number;
  /** ONBUILD's instruction. */
  sub?: RawNode;
}

/** Builds a node's name, flags and arguments from its logical line (Docker's newNodeFromLine). */
export function nodeFromLine(line: string, escape: string): Omit<RawNode, 'heredocs' | 'startLine' | 'endLine'> {
  const { cmd, flags, args: rest } = splitCommand(line, escape);
  const base = { cmd, flags, original: line };
  switch (cmd.toLowerCase()) {
    case 'add':
    case 'copy':
    case 'volume':
      return { ...base, ...lp.parseMaybeJSONToList(rest) };
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      return { ...base, ...lp.parseMaybeJSON(rest) };
    case 'arg':
      return { ...base, ...lp.parseNameOrNameVal(rest, escape) };
    case 'env':
      return { ...base, ...lp.parseNameVal(rest, 'ENV', escape) };
    case 'label':
      return { ...base, ...lp.parseNameVal(rest, 'LABEL', escape) };
    case 'expose':
    case 'from':
      return { ...base, ...lp.parseWhitespaceDelimited(rest) };
    case 'healthcheck':
      return { ...base, ...lp.parseHealthConfig(rest) };
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      return { ...base, ...lp.parseString(rest) };
    case 'onbuild': {
      if (rest === '') return { ...base, args: [], json: false };
      const sub = { ...nodeFromLine(rest, escape), heredocs: [], startLine: 0, endLine: 0 };
      return { ...base, args: [sub.cmd, ...sub.args], json: sub.json, sub };
    }
    default:
      // Unknown instructions are refused in the second phase, with their line.
      return { ...base, args: [], json: false };
  }
}

const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);

function canContainHeredoc(node: Pick<RawNode, 'cmd' | 'json' | 'sub'>): boolean {
  const target = node.cmd.toLowerCase() === 'onbuild' && node.sub !== undefined ? node.sub : node;
  return HEREDOC_INSTRUCTIONS.has(target.cmd.toLowerCase()) && !target.json;
}

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  if (lines.length > 0 && lines[0]!.startsWith('\ufeff')) lines[0] = lines[0]!.slice(1);
  return lines;
}

/**
 * The escape character as the last non-blank character continues the line
 * when the character before it is not the escape character too; alone on
 * a line it continues as well. (Docker's regexp: `a \\` does not continue,
 * and neither does `a \\\`, though its last escape is unescaped.)
 */
const CONTINUATION = {
  '\\': /([^\\])\\[ \t]*$|^\\[ \t]*$/,
  '`': /([^`])`[ \t]*$|^`[ \t]*$/,
} as const;

const trimNewline = (s: string) => s.replace(/[\r\n]+$/, '');
const trimLeft = (s: string) => s.replace(/^\s+/u, '');
const isComment = (s: string) => trimLeft(s).startsWith('#');

export interface ScanResult {
  nodes: RawNode[];
  /** Instructions that had empty continuation lines: their first line and joined text. */
  emptyContinuations: { line: number; text: string }[];
  directives: DirectiveParser;
  /** Lines read (the last line's number). */
  lines: number;
}

/**
 * Scans a whole Dockerfile (withDirectives) or an ONBUILD trigger (no
 * directives, the escape character given). Throws ParsePhaseError.
 */
export function scanLines(text: string, opts: { directives: boolean; escape?: '\\' | '`' }): ScanResult {
  const d = new DirectiveParser(opts.directives);
  if (opts.escape !== undefined) d.escape = opts.escape;
  const lines = splitLines(text);
  const nodes: RawNode[] = [];
  const emptyContinuations: ScanResult['emptyContinuations'] = [];
  let n = 0;
  const read = (): string | undefined => (n < lines.length ? lines[n++] : undefined);
  const process = (raw: string, stripLeft: boolean): string => {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeft(token);
    d.parseLine(token);
    return isComment(token) ? '' : token;
  };
  const continuation = (line: string): { line: string; end: boolean } => {
    const re = CONTINUATION[d.escape];
    return re.test(line) ? { line: line.replace(re, '$1'), end: false } : { line, end: true };
  };

  for (let first = read(); first !== undefined; first = read()) {
    const startLine = n;
    let { line: part, end } = continuation(process(first, true));
    if (end && part.length === 0) continue;
    let line = part;
    let emptyContinuation = false;
    while (!end) {
      const next = read();
      if (next === undefined) break;
      const token = process(next, false);
      if (isComment(next)) continue;
      if (trimLeft(trimNewline(token)).length === 0) {
        emptyContinuation = true;
        continue;
      }
      ({ line: part, end } = continuation(token));
      line += part;
    }
    if (emptyContinuation) emptyContinuations.push({ line: startLine, text: line });
    const node: RawNode = { ...nodeFromLine(line, d.escape), heredocs: [], startLine, endLine: n };
    if (canContainHeredoc(node) && line.includes('<<')) {
      for (const doc of heredocsFromLine(line)) {
        let content = '';
        let terminated = false;
        for (let body = read(); body !== undefined; body = read()) {
          let candidate = trimNewline(body);
          if (doc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === doc.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) throw new ParsePhaseError('unterminated heredoc');
        node.heredocs.push({ ...doc, content });
      }
      node.endLine = n;
    }
    nodes.push(node);
  }
  return { nodes, emptyContinuations, directives: d, lines: n };
}
