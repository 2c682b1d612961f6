/**
 * `berth compose [OPTIONS] COMMAND`: Docker Compose's global flags are parsed
 * up to the subcommand (cobra's TraverseChildren with SetInterspersed(false)),
 * then the subcommand's own flags; help and usage errors as the docker CLI
 * prints them for a plugin command.
 */
import type { CommandSpec } from '../../command.ts';
import { StatusError } from '../../errors.ts';
import { FlagError, HelpRequested, parseFlags } from '../../flags.ts';
import { commandHelp, flagUsages, usageLine } from '../../help.ts';
import { COMPOSE_COMMANDS } from './index.ts';
import { COMPOSE_FLAGS, composeGlobals } from './project-flags.ts';

function composeHelp(path: string): string {
  const names = Object.keys(COMPOSE_COMMANDS).sort();
  const width = Math.max(11, ...names.map((n) => n.length)) + 1;
  return (
    `Usage:  ${path} [OPTIONS] COMMAND\n\nDefine and run applications made of several containers, with Berth\n\n` +
    `Options:\n${flagUsages(COMPOSE_FLAGS)}\n\nCommands:\n${names.map((n) => `  ${n.padEnd(width)}${COMPOSE_COMMANDS[n]!.short}`).join('\n')}\n\n` +
    `Run '${path} COMMAND --help' for more information on a command.\n`
  );
}

export const command: CommandSpec = {
  usage: '[OPTIONS] COMMAND',
  short: 'Define and run multi-container applications (Compose)',
  interspersed: false,
  flags: COMPOSE_FLAGS,
  async run({ cli, flags, path }) {
    const [sub, ...rest] = flags.args;
    if (sub === undefined) {
      cli.out.write(composeHelp(path));
      return 0;
    }
    const entry = COMPOSE_COMMANDS[sub];
    if (!entry) {
      cli.out.write(composeHelp(path));
      throw new StatusError(`unknown docker command: "compose ${sub}"`, 1);
    }
    const { command: spec } = await entry.load();
    const subPath = `${path} ${sub}`;
    let subFlags;
    try {
      subFlags = parseFlags(spec.flags, rest, { interspersed: spec.interspersed ?? true });
    } catch (err) {
      if (err instanceof HelpRequested) {
        cli.out.write(commandHelp(cli.bin, subPath, { ...spec, run: async () => {} }, 79));
        return 0;
      }
      if (err instanceof FlagError) throw new StatusError(`${err.message}\n\nUsage:  ${usageLine(subPath, { ...spec, run: async () => {} })}\n\nRun '${subPath} --help' for more information`, 1);
      throw err;
    }
    return spec.run({ cli, flags: subFlags, args: subFlags.args, path: subPath, compose: composeGlobals(flags) });
  },
};
