/**
 * Heredoc words (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) as moby/buildkit's
 * parser finds them: on a RUN/COPY/ADD line in shell form, every word of the
 * form `[fd]<<[-]name` opens a heredoc, read in order after the line. A
 * delimiter with any quote in it turns expansion of the body off.
 */
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
