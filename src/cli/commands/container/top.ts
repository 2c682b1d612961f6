/** `berth top CONTAINER [ps OPTIONS]`: the daemon's ps table, aligned by tabwriter(20, 1, 3, ' '). */
import type { CommandSpec } from '../../command.ts';
import { containerTop } from '../../../client/containers.ts';
import { TabWriter } from '../../format/tabwriter.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER [ps OPTIONS]',
  short: 'List the processes in a container',
  aliases: ['container top', 'top'],
  args: { min: 1 },
  interspersed: false,
  flags: [],
  async run({ cli, args }) {
    const [name = '', ...psArgs] = args;
    const top = await containerTop(cli.api(), name, psArgs.join(' '));
    const tw = new TabWriter(20, 1, 3, ' ', 0);
    tw.write(top.Titles.join('\t') + '\n');
    for (const p of top.Processes) tw.write(p.join('\t') + '\n');
    cli.out.write(tw.flush());
  },
};
