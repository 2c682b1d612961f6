/**
 * The Dockerfile parser: text → Dockerfile (ast.ts), or an
 * InvalidParameterError with the words of Docker 20.10's classic builder:
 * - an empty file: `the Dockerfile (Dockerfile) cannot be empty`;
 * - a file with only comments/blanks: `failed to parse Dockerfile: file with no instructions`;
 * - a line-level problem: `failed to parse Dockerfile: ENV must have two arguments`;
 * - an instruction-level problem: `dockerfile parse error line 3: unknown instruction: FOO`;
 * - an instruction before any FROM: `no build stage in current context`.
 * Pure: no file system, no environment; variables are not expanded here
 * (the builder does it per step with shell-words.ts, and reports bad
 * substitutions at that step, as Docker does).
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import type { ArgInstruction, Dockerfile, FromInstruction, Instruction, ParseWarning, Stage } from './ast.ts';
import { toInstruction } from './instructions.ts';
import { InstructionError, PARSE_PREFIX, ParsePhaseError, instructionPrefix } from './parse-errors.ts';
import { scanLines, type RawNode, type ScanResult } from './scan-lines.ts';

function scan(text: string, opts: Parameters<typeof scanLines>[1]): ScanResult {
  try {
    return scanLines(text, opts);
  } catch (err) {
    if (err instanceof ParsePhaseError) throw new InvalidParameterError(PARSE_PREFIX + err.message, { cause: err });
    throw err;
  }
}

function instruction(node: RawNode): Instruction {
  try {
    return toInstruction(node);
  } catch (err) {
    if (err instanceof InstructionError) {
      throw new InvalidParameterError(instructionPrefix(node.startLine) + err.message, { cause: err });
    }
    throw err;
  }
}

export function parseDockerfile(text: string, fileName = 'Dockerfile'): Dockerfile {
  if (text.length === 0) throw new InvalidParameterError(`the Dockerfile (${fileName}) cannot be empty`);
  const { nodes, directives, emptyContinuations } = scan(text, { directives: true });
  if (nodes.length === 0) throw new InvalidParameterError(`${PARSE_PREFIX}file with no instructions`);

  const globalArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  const instructions: Instruction[] = [];
  for (const node of nodes) {
    const ins = instruction(node);
    instructions.push(ins);
    if (ins.kind === 'FROM') {
      stages.push(newStage(stages.length, ins));
    } else if (stages.length === 0) {
      if (ins.kind !== 'ARG') throw new InvalidParameterError('no build stage in current context');
      globalArgs.push(ins);
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  const result: Dockerfile = { directives: { escape: directives.escape }, globalArgs, stages, instructions };
  if (directives.syntax !== undefined) result.directives.syntax = directives.syntax;
  if (directives.check !== undefined) result.directives.check = directives.check;
  if (emptyContinuations.length > 0) {
    result.warnings = emptyContinuations.map((w) => ({ kind: 'empty-continuation' as const, line: w.line, text: w.text }));
  }
  return result;
}

/**
 * The warnings as Docker 20.10's classic builder prints them before Step 1
 * (one stream message, which it colours as error output: `\x1b[91m` … `\x1b[0m`).
 * Empty when there are none.
 */
export function formatParseWarnings(warnings: readonly ParseWarning[] | undefined): string {
  if (warnings === undefined || warnings.length === 0) return '';
  let out = '';
  for (const w of warnings) out += `[WARNING]: Empty continuation line found in:\n    ${w.text}\n`;
  return `${out}[WARNING]: Empty continuation lines will become errors in a future release.\n`;
}

function newStage(index: number, from: FromInstruction): Stage {
  const stage: Stage = { index, from, instructions: [] };
  if (from.as !== undefined) stage.name = from.as;
  return stage;
}

/**
 * One instruction as text, e.g. an ONBUILD trigger read back from an
 * image's config (`RUN echo hi`, or `RUN <<EOF\n…\nEOF` with its heredoc
 * body): parsed with the escape character of the Dockerfile being built.
 * Triggers may not be ONBUILD, FROM or MAINTAINER (Docker's words).
 */
export function parseInstruction(line: string, escape: '\\' | '`' = '\\'): Instruction {
  const { nodes } = scan(line, { directives: false, escape });
  const node = nodes[0];
  if (node === undefined) throw new InvalidParameterError(`${PARSE_PREFIX}file with no instructions`);
  const kind = node.cmd.toUpperCase();
  if (kind === 'ONBUILD') throw new InvalidParameterError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (kind === 'MAINTAINER' || kind === 'FROM') throw new InvalidParameterError(`${kind} isn't allowed as an ONBUILD trigger`);
  return instruction(node);
}
