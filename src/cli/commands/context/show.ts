/** `berth context show`. */
import type { CommandSpec } from '../../command.ts';

export const command: CommandSpec = {
  usage: '',
  short: 'Print the name of the current context',
  aliases: ['context show'],
  args: { exact: 0 },
  flags: [],
  async run({ cli }) {
    cli.out.write(`${cli.currentContext()}\n`);
  },
};
