/**
 * Heredoc words (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) as moby/buildkit's
 * parser finds them: on a RUN/COPY/ADD line in shell form, every word of the
 * form `[fd]<<[-]name` opens a heredoc, read in order after the line. A
 * delimiter with any quote in it turns expansion of the body off.
 */
import type { CopyInstruction, Heredoc } from './ast.ts';
import { ShellLexer } from './shell-lex.ts';

export interface HeredocWord {
  name: string;
  expand: boolean;
  chomp: boolean;
}

const HEREDOC = /^(\d*)<<(-?)\s*([^<]*)$/;
const unset = (): undefined => undefined;

function words(text: string, rawQuotes: boolean, rawEscapes: boolean): string[] {
  return new ShellLexer(text, unset, { escape: '\\', rawQuotes, rawEscapes, skipUnsetEnv: true }).run().words;
}

/** The heredoc a word opens, if it is one (COPY/ADD sources use this to find their heredoc). */
export function parseHeredocWord(word: string): HeredocWord | undefined {
  const m = HEREDOC.exec(word);
  const rest = m?.[3];
  if (m === null || rest === undefined || rest === '') return undefined;
  let plain: string[];
  let raw: string[];
  try {
    plain = words(rest, false, false);
    raw = words(rest, true, false);
  } catch {
    return undefined; // not a word Docker could read as a delimiter
  }
  if (plain.length !== 1) return undefined;
  const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
  return { name: plain[0]!, expand: quotes(plain[0]!) === quotes(raw[0] ?? ''), chomp: m[2] === '-' };
}

/** The heredocs a line opens, in order. */
export function heredocsFromLine(line: string): HeredocWord[] {
  let all: string[];
  try {
    all = words(line, true, true);
  } catch {
    return []; // Docker ignores a lexing error here (an unbalanced quote is the shell's business)
  }
  const docs: HeredocWord[] = [];
  for (const word of all) {
    const doc = parseHeredocWord(word);
    if (doc !== undefined) docs.push(doc);
  }
  return docs;
}

/** `<<-`: leading tabs removed from every line of the body. */
export function chompHeredoc(content: string): string {
  return content.replace(/^\t+/gm, '');
}

/**
 * COPY/ADD sources split as BuildKit does (parseSourcesAndDest): words
 * that are heredocs (`<<EOF`) become inline files named after their
 * delimiter, with the instruction's matching body; the others are paths.
 */
export function splitCopySources(ins: CopyInstruction): { paths: string[]; contents: Heredoc[] } {
  const byName = new Map(ins.heredocs.map((h) => [h.name, h]));
  const paths: string[] = [];
  const contents: Heredoc[] = [];
  for (const src of ins.sources) {
    const word = parseHeredocWord(src);
    if (word === undefined) {
      paths.push(src);
      continue;
    }
    const body = byName.get(word.name);
    contents.push({ name: word.name, content: body?.content ?? '', expand: word.expand, chomp: word.chomp });
  }
  return { paths, contents };
}
