/**
 * The shape every command module exports, and the context it runs in.
 * A module under commands/<group>/<verb>.ts exports `command: CommandSpec`;
 * the table in commands/index.ts loads it with a dynamic import only when
 * it is the command being run (start-up cost is paid per command used).
 */
import type { FlagSpec, Flags } from './flags.ts';
import type { Cli } from './cli.ts';
import { validateFilter } from './filters.ts';

export interface ArgsRule {
  min?: number;
  max?: number;
  exact?: number;
}

export interface CommandSpec {
  /** Usage after the command path: `[OPTIONS] IMAGE [COMMAND] [ARG...]`. */
  usage: string;
  short: string;
  /** The help's description when it is longer than `short` (cobra's Long). */
  long?: string;
  /** Every path that reaches this command, for the help's "Aliases:" line. */
  aliases?: string[];
  args?: ArgsRule;
  /** false: flags stop at the first positional argument (run, exec, create). */
  interspersed?: boolean;
  flags: FlagSpec[];
  run(ctx: CommandContext): Promise<number | void>;
}

export interface CommandContext {
  cli: Cli;
  flags: Flags;
  args: string[];
  /** `berth container ls`: the path as typed, for messages. */
  path: string;
}

export type CommandLoader = () => Promise<{ command: CommandSpec }>;

/** Flag specs shared by many commands. */
export const FORMAT_FLAG: FlagSpec = {
  long: 'format',
  type: 'string',
  usage: "Choose the output layout:\n'table':            a table with a header row (the default)\n'table TEMPLATE':   a table whose columns a Go template gives\n'json':             one JSON object per line\n'TEMPLATE':         each item through a Go template\n(templates follow Go's text/template syntax)",
};
export const FILTER_FLAG: FlagSpec = { long: 'filter', short: 'f', type: 'list', typeName: 'filter', usage: 'Only show items that match a condition (key=value)', parse: validateFilter };
/** prune's --filter (long only), with its example in the usage. */
export function pruneFilterFlag(usage: string): FlagSpec {
  return { long: 'filter', type: 'list', typeName: 'filter', usage, parse: validateFilter };
}
