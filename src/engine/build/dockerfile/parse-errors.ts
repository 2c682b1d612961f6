/**
 * The two phases of Docker's Dockerfile parsing fail with different words
 * (Docker 20.10's classic builder, which answers the classic /build API):
 * - reading the file into lines and arguments (directives, continuations,
 *   JSON arrays, ENV pairs, heredocs): `failed to parse Dockerfile: <why>`;
 * - making instructions of those lines (arguments, flags, unknown
 *   instruction): `dockerfile parse error line <n>: <why>`.
 * The parser modules throw these internal errors; parse-dockerfile.ts turns
 * them into InvalidParameterError with those words.
 *
 * These are the reference engine's words (Docker 20.10, BuildKit 0.8's
 * parser), which tests can check against it. Later classic builders say
 * `dockerfile parse error on line 3: unknown instruction: foo` (the name as
 * written, with a `did you mean` hint) and `unknown flag: foo`: to follow
 * them, change instructionPrefix here and the words in flags.ts.
 */
export class ParsePhaseError extends Error {}

export class InstructionError extends Error {}

export const PARSE_PREFIX = 'failed to parse Dockerfile: ';

export function instructionPrefix(line: number): string {
  return `dockerfile parse error line ${line}: `;
}
