/** `berth network prune`: unused user networks, after docker's confirmation prompt; "Deleted Networks:" and their names. */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { networkPrune } from '../../../client/networks.ts';
import { parseFilters } from '../../filters.ts';
import { confirm } from '../../prompt.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Delete networks no container uses',
  aliases: ['network prune'],
  args: { exact: 0 },
  flags: [
    pruneFilterFlag('Only prune networks that match (e.g. "until=<timestamp>")'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Prune without asking first' },
  ],
  async run({ cli, flags }) {
    const warning = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?';
    if (!flags.bool('force') && !(await confirm(cli, warning))) return 0;
    const r = await networkPrune(cli.api(), parseFilters(flags.list('filter')));
    if (r.NetworksDeleted?.length) cli.out.write(`Deleted Networks:\n${r.NetworksDeleted.join('\n')}\n\n`);
  },
};
