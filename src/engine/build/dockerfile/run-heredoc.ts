/**
 * What a RUN with heredocs runs (moby/buildkit dockerfile2llb dispatchRun):
 * - `RUN <<EOF` alone: the body is the script given to the shell
 *   (`sh -c "<body>"`), or, when it starts with `#!`, a file (mode 0755)
 *   mounted at /dev/pipes/<name> that the shell runs;
 * - anything else (`RUN python3 <<EOF`, several heredocs, redirections):
 *   the line and the bodies put back together (`<line>\n<body><name>`…),
 *   for the shell to read as a real heredoc.
 * Expansion of bodies is the shell's business here (Heredoc.expand is not
 * used, as in BuildKit).
 */
import type { RunInstruction } from './ast.ts';
import { parseHeredocWord } from './heredoc.ts';

export interface RunPlan {
  /** The arguments; with `shell` they follow the SHELL (`/bin/sh -c`), else they are the whole argv. */
  args: string[];
  shell: boolean;
  /** A file to provide read-only at `path` for the step (the `#!` case). */
  file?: { path: string; content: string; mode: number };
}

export function planRun(ins: RunInstruction): RunPlan {
  if (ins.command.form === 'exec') return { args: ins.command.args, shell: false };
  const command = ins.command.command;
  const first = ins.heredocs[0];
  if (first === undefined) return { args: [command], shell: true };
  if (parseHeredocWord(command) !== undefined) {
    if (first.content.startsWith('#!')) {
      const path = `/dev/pipes/${first.name}`;
      return { args: [path], shell: true, file: { path, content: first.content, mode: 0o755 } };
    }
    return { args: [first.content], shell: true };
  }
  let full = command;
  for (const h of ins.heredocs) full += `\n${h.content}${h.name}`;
  return { args: [full], shell: true };
}
