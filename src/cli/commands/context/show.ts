/** `berth context show`. */
import type { CommandSpec } from '../../command.ts';

export const command: CommandSpec = {
  usage: '',
  short: 'Print which context is in use',
  aliases: ['context show'],
  args: { exact: 0 },
  flags: [],
  async run({ cli }) {
    cli.out.write(`${cli.currentContext()}\n`);
  },
};
