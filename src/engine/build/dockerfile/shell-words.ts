/**
 * Variable expansion as Docker's builder applies it to Dockerfile arguments
 * (moby/buildkit frontend/dockerfile/shell): `$VAR`, `${VAR}`, `${VAR:-x}`,
 * `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`, `${VAR:?msg}`, `${VAR?msg}`, plus
 * BuildKit's `${VAR#pat}`, `${VAR%pat}`, `${VAR/pat/repl}`; quotes removed,
 * the escape character (`\` or `` ` ``) keeping the next character literal.
 * The builder calls these with the ARG/ENV values in force at the step.
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import type { Instruction } from './ast.ts';
import { LexError } from './lex-error.ts';
import { ShellLexer, type EnvLookup } from './shell-lex.ts';

export type { EnvLookup } from './shell-lex.ts';

type Escape = '\\' | '`';

function lex(word: string, env: EnvLookup, escape: Escape, skipProcessQuotes = false): { result: string; words: string[] } {
  try {
    return new ShellLexer(word, env, { escape, skipProcessQuotes }).run();
  } catch (err) {
    if (err instanceof LexError) {
      // Docker: `failed to process "${a": missing ':' in substitution`.
      throw new InvalidParameterError(`failed to process ${JSON.stringify(word)}: ${err.message}`);
    }
    throw err;
  }
}

/** One word, expanded; whitespace inside it is kept (ENV values, WORKDIR, USER, COPY sources…). */
export function expandWord(word: string, env: EnvLookup, escape: Escape = '\\'): string {
  return lex(word, env, escape).result;
}

/**
 * The word expanded then split on unquoted whitespace, the split applying to
 * substituted values too (`EXPOSE $PORTS` with PORTS="80 443" gives two).
 * Empty words vanish (`""` alone gives none), as in Docker.
 */
export function expandWords(word: string, env: EnvLookup, escape: Escape = '\\'): string[] {
  return lex(word, env, escape).words;
}

/**
 * A heredoc body of COPY/ADD whose delimiter was not quoted (Heredoc.expand),
 * as BuildKit expands it: variables substituted, quotes kept as they are,
 * `\` (always backslash) escaping the next character (`\$` keeps a `$`).
 */
export function expandHeredoc(content: string, env: EnvLookup): string {
  return lex(content, env, '\\', true).result;
}

/**
 * The instructions whose arguments Docker expands with ARG/ENV values (the
 * reference's "Environment replacement": ADD COPY ENV EXPOSE FROM LABEL
 * STOPSIGNAL USER VOLUME WORKDIR, plus ARG defaults). RUN, CMD, ENTRYPOINT,
 * SHELL and HEALTHCHECK are left to the shell at run time; MAINTAINER is
 * taken literally; ONBUILD keeps its trigger as written (it is expanded
 * when it runs, as the instruction it holds).
 */
const EXPANDED: ReadonlySet<Instruction['kind']> = new Set<Instruction['kind']>([
  'ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG',
]);

export function expandsVariables(kind: Instruction['kind']): boolean {
  return EXPANDED.has(kind);
}

/**
 * Flags the builder expands before use (BuildKit expands these; the classic
 * builder expanded --chown and --from too): COPY/ADD `--from`, `--chown`,
 * `--chmod`, `--checksum`, `--exclude`, FROM `--platform`, RUN `--mount`, `--network`.
 */
export function expandsFlag(kind: Instruction['kind'], flag: string): boolean {
  switch (kind) {
    case 'COPY':
    case 'ADD':
      return ['from', 'chown', 'chmod', 'checksum', 'exclude'].includes(flag);
    case 'FROM':
      return flag === 'platform';
    case 'RUN':
      return flag === 'mount' || flag === 'network';
    default:
      return false;
  }
}
