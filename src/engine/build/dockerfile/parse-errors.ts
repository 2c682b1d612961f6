/**
 * The two phases of Docker's Dockerfile parsing fail with different words
 * (Docker 20.10's classic builder, which answers the classic /build API):
 * - reading the file into lines and arguments (directives, continuations,
 *   JSON arrays, ENV pairs, heredocs): `failed to parse Dockerfile: <why>`;
 * - making instructions of those lines (arguments, flags, unknown
 *   instruction): `dockerfile parse error line <n>: <why>`.
 * The parser modules throw these internal errors; parse-dockerfile.ts turns
 * them into InvalidParameterError with those words.
 */
export class ParsePhaseError extends Error {}

export class InstructionError extends Error {}

export const PARSE_PREFIX = 'failed to parse Dockerfile: ';

export function instructionPrefix(line: number): string {
  return `dockerfile parse error line ${line}: `;
}
